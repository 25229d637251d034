import { Type } from 'typebox';
import { component, DateTime, Nullable } from '../../http/schema.ts';

/** The fields every key shows (the secret only on create and rotate). */
export const keyFields = {
  id: Type.String({ title: 'Id' }),
  name: Type.String({ title: 'Name' }),
  key_prefix: Type.String({ title: 'Key Prefix' }),
  created_at: DateTime({ title: 'Created At' }),
  last_used_at: Nullable(DateTime(), { title: 'Last Used At' }),
  scopes: Nullable(Type.Array(Type.String()), { title: 'Scopes' }),
};

export const DevApiKey = component('DevApiKey', Type.Object(keyFields));

export const DevApiKeyCreated = component(
  'DevApiKeyCreated',
  Type.Object({ ...keyFields, key: Type.String({ title: 'Key' }) }),
);

export const DevApiKeyCreate = component(
  'DevApiKeyCreate',
  Type.Object({
    name: Type.String({ title: 'Name' }),
    scopes: Type.Optional(Nullable(Type.Array(Type.String()), { title: 'Scopes' })),
  }),
);

export const KeyIdParams = Type.Object({ key_id: Type.String({ title: 'Key Id' }) });
