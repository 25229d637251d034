import { Type, type Static } from 'typebox';
import { component, DateTime, Nullable } from '../../http/schema.ts';

export const DeveloperAskRequest = component(
  'DeveloperAskRequest',
  Type.Object({
    question: Type.String({
      minLength: 1,
      maxLength: 1000,
      title: 'Question',
      description: "A natural-language question about the user's life/conversations",
    }),
    limit: Type.Optional(
      Type.Integer({
        default: 5,
        minimum: 1,
        maximum: 10,
        title: 'Limit',
        description: 'How many of the most relevant conversations to ground the answer on',
      }),
    ),
    timezone: Type.Optional(
      Type.String({ default: 'UTC', title: 'Timezone', description: 'IANA timezone used to resolve relative dates in the answer' }),
    ),
  }),
);
export type DeveloperAskRequest = Static<typeof DeveloperAskRequest>;

export const DeveloperAskSource = component(
  'DeveloperAskSource',
  Type.Object({
    id: Type.String({ title: 'Id' }),
    title: Type.String({ title: 'Title' }),
    created_at: Nullable(DateTime(), { title: 'Created At' }),
  }),
);

export const DeveloperAskResponse = component(
  'DeveloperAskResponse',
  Type.Object({
    answer: Type.String({ title: 'Answer' }),
    sources: Type.Array(DeveloperAskSource, { title: 'Sources' }),
  }),
);
