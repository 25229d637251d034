import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { presentCallingKey, presentCreatedKey, presentKey } from '../../modules/api-keys/api-keys.presenter.ts';
import { DevApiKey, DevApiKeyCreate, DevApiKeyCreated, KeyIdParams } from '../../modules/api-keys/api-keys.schema.ts';
import { requireKey, requireUser } from '../auth.ts';

const session = { auth: 'session' } as const;

export const apiKeysRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { services }) => {
  app.get('/v1/dev/keys', {
    config: session,
    schema: {
      operationId: 'listApiKeys',
      summary: 'Get Keys',
      tags: ['API Keys'],
      response: { 200: Type.Array(DevApiKey, { title: 'Response Listapikeys' }) },
    },
    handler: async (request) => (await services.apiKeys.list(requireUser(request).id)).map(presentKey),
  });

  app.post('/v1/dev/keys', {
    config: session,
    schema: {
      operationId: 'createApiKey',
      summary: 'Create Key',
      description:
        'Create a new Developer API key with optional scopes. Without `scopes` the key is read-only ' +
        '(conversations:read, memories:read, action_items:read, goals:read). The full key is returned only here.',
      tags: ['API Keys'],
      body: DevApiKeyCreate,
      response: { 200: DevApiKeyCreated },
    },
    handler: async (request) => {
      const { key, secret } = await services.apiKeys.create(requireUser(request).id, request.body);
      return presentCreatedKey(key, secret);
    },
  });

  app.delete('/v1/dev/keys/:key_id', {
    config: session,
    schema: {
      operationId: 'revokeApiKey',
      summary: 'Delete Key',
      description: 'Revoke a key. It stops working on the very next request. Unknown ids also answer 204.',
      tags: ['API Keys'],
      params: KeyIdParams,
      response: { 204: Type.Null({ description: 'Key revoked successfully.' }) },
    },
    handler: async (request, reply) => {
      await services.apiKeys.revoke(requireUser(request).id, request.params.key_id);
      return reply.code(204).send(null);
    },
  });

  app.post('/v1/dev/keys/:key_id/rotate', {
    config: session,
    schema: {
      operationId: 'rotateApiKey',
      summary: 'Rotate Key',
      description: 'Issue a new secret for the key, keeping its id, name and scopes. The old secret stops working at once.',
      tags: ['API Keys'],
      params: KeyIdParams,
      response: { 200: DevApiKeyCreated },
    },
    handler: async (request) => {
      const { key, secret } = await services.apiKeys.rotate(requireUser(request).id, request.params.key_id);
      return presentCreatedKey(key, secret);
    },
  });

  app.get('/v1/dev/key', {
    config: { auth: 'developer-key', policy: 'dev:key_read' },
    schema: {
      operationId: 'getCallingApiKey',
      summary: 'Get Calling Key',
      description: 'Describe the Developer API key that authenticates this request, with its effective scopes.',
      tags: ['API Keys'],
      response: { 200: DevApiKey },
    },
    handler: async (request) => presentCallingKey(requireKey(request)),
  });
};
