import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { sendError } from '../errors.ts';

const Status = Type.Object({ status: Type.Literal('ok') });

export const healthRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { storage }) => {
  app.get('/healthz', {
    schema: { operationId: 'healthz', summary: 'Liveness', tags: ['Health'], response: { 200: Status } },
    handler: async () => ({ status: 'ok' as const }),
  });

  app.get('/readyz', {
    schema: { operationId: 'readyz', summary: 'Readiness: the database answers', tags: ['Health'], response: { 200: Status } },
    handler: async (request, reply) => {
      try {
        await storage.ping();
        return { status: 'ok' as const };
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
        return sendError(reply, 503, 'Database unavailable');
      }
    },
  });
};
