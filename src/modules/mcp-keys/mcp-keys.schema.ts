import { Type } from 'typebox';
import { Nullable } from '../../http/schema.ts';
import { keyFields as developerKeyFields } from '../api-keys/api-keys.schema.ts';

const keyFields = {
  ...developerKeyFields,
  app_id: Type.String({ title: 'App Id' }),
  scopes: Type.Array(Type.String(), { title: 'Scopes' }),
};

/** Upstream's McpApiKey (omi-behaviour.md §14.1); not in the published developer document. */
export const McpApiKey = Type.Object(keyFields, { title: 'McpApiKey' });
export const McpApiKeyCreated = Type.Object({ ...keyFields, key: Type.String({ title: 'Key' }) }, { title: 'McpApiKeyCreated' });

export const McpApiKeyCreate = Type.Object(
  {
    name: Type.String({ title: 'Name' }),
    scopes: Type.Optional(Nullable(Type.Array(Type.String()), { title: 'Scopes' })),
  },
  { title: 'McpApiKeyCreate' },
);
