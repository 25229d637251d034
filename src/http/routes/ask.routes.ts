import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../app.ts';
import { DeveloperAskRequest, DeveloperAskResponse } from '../../modules/ask/ask.schema.ts';
import { presentAskResult } from '../../modules/ask/ask.presenter.ts';
import { requireKey } from '../auth.ts';

export const askRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { services }) => {
  app.post('/v1/dev/user/ask', {
    config: { auth: 'developer-key', scope: 'conversations:read', policy: 'dev:ask' },
    schema: {
      operationId: 'ask',
      summary: 'Ask Conversations',
      description:
        "Answer a natural-language question grounded in the user's own conversations, citing them. Read-only. " +
        'Nothing relevant found: a fixed answer with empty sources, and no LLM call.',
      tags: ['Conversations'],
      body: DeveloperAskRequest,
      response: { 200: DeveloperAskResponse },
    },
    handler: async (request) => presentAskResult(await services.ask.ask(requireKey(request).userId, request.body)),
  });
};
