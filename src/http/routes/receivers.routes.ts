import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import {
  ConversationPayload,
  DaySummaryPayload,
  RealtimePayload,
  ReceiverParams,
  ReceiverQuery,
  ReceiverUrls,
} from '../../modules/receivers/receivers.schema.ts';
import { requireUser } from '../auth.ts';
import { publicBase } from './oauth-metadata.ts';

const session = { auth: 'session' } as const;
const Ok = Type.Object({ status: Type.String() });

/**
 * Receivers for the Omi app's developer webhooks (Settings → Developer → Webhooks): the signed-in
 * user reads or rotates their URLs; the app posts to them with the path token as the only
 * credential (`?uid=` is recorded, never trusted). An unknown or rotated token is a plain 404.
 */
export const receiversRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { config, services, rateLimiter }) => {
  app.get('/v1/users/developer/receivers', {
    config: session,
    schema: { hide: true, response: { 200: ReceiverUrls } },
    handler: async (request) => services.receivers.urls(requireUser(request).id, publicBase(config, request)),
  });

  app.post('/v1/users/developer/receivers/rotate', {
    config: session,
    schema: { hide: true, response: { 200: ReceiverUrls } },
    handler: async (request) => services.receivers.rotate(requireUser(request).id, publicBase(config, request)),
  });

  /** The token's owner, charged against the token's rate limit; runs before the body is read. */
  const owner = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const { token } = request.params as { token: string };
    request.receiverUserId = await services.receivers.owner(token);
    const { headers } = await rateLimiter.check('receivers:deliver', `receiver:${token}`);
    reply.headers(headers);
  };
  const omiUid = (request: FastifyRequest): string | null => (request.query as { uid?: string }).uid ?? null;

  app.post('/v1/receivers/:token/memory_created', {
    onRequest: owner,
    schema: { hide: true, params: ReceiverParams, querystring: ReceiverQuery, body: ConversationPayload, response: { 200: Ok } },
    handler: async (request) => {
      await services.receivers.receiveConversation(request.receiverUserId!, omiUid(request), request.body);
      return { status: 'ok' };
    },
  });

  app.post('/v1/receivers/:token/realtime_transcript', {
    onRequest: owner,
    schema: { hide: true, params: ReceiverParams, querystring: ReceiverQuery, body: RealtimePayload, response: { 200: Ok } },
    handler: async (request) => {
      await services.receivers.receiveRealtime(request.receiverUserId!, request.body);
      return { status: 'ok' };
    },
  });

  app.post('/v1/receivers/:token/day_summary', {
    onRequest: owner,
    schema: { hide: true, params: ReceiverParams, querystring: ReceiverQuery, body: DaySummaryPayload, response: { 200: Ok } },
    handler: async (request) => {
      await services.receivers.receiveDaySummary(request.receiverUserId!, omiUid(request), request.body);
      return { status: 'ok' };
    },
  });
};

declare module 'fastify' {
  interface FastifyRequest {
    /** The owner of the receiver token in the path. */
    receiverUserId?: string;
  }
}
