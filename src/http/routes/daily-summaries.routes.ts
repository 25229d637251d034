import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../app.ts';
import { presentDailySummary } from '../../modules/daily-summaries/daily-summaries.presenter.ts';
import {
  DailySummary,
  DailySummaryIdParams,
  DailySummaryList,
  ListDailySummariesQuery,
} from '../../modules/daily-summaries/daily-summaries.schema.ts';
import { requireKey } from '../auth.ts';

const read = { auth: 'developer-key', scope: 'conversations:read', policy: 'dev:conversations_read' } as const;
const tags = ['Daily Summaries'];

export const dailySummariesRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { services }) => {
  app.get('/v1/dev/user/daily-summaries', {
    config: read,
    schema: {
      operationId: 'listDailySummaries',
      summary: 'Get Daily Summaries',
      description:
        'Summaries of the days that have conversations, newest first, as `{"summaries": [...]}`. A day’s ' +
        'summary is (re)generated in the background whenever one of its conversations is created, changed ' +
        'or deleted. `start_date` / `end_date` are inclusive YYYY-MM-DD (UTC days); `limit` is 1..100 (default 30) ' +
        'and `offset` at least 0: anything else is a 422.',
      tags,
      querystring: ListDailySummariesQuery,
      response: { 200: DailySummaryList },
    },
    handler: async (request) => ({
      summaries: (await services.dailySummaries.list(requireKey(request).userId, request.query)).map(presentDailySummary),
    }),
  });

  app.get('/v1/dev/user/daily-summaries/:summary_id', {
    config: read,
    schema: {
      operationId: 'getDailySummary',
      summary: 'Get Daily Summary',
      description: 'One daily summary by ID.',
      tags,
      params: DailySummaryIdParams,
      response: { 200: DailySummary },
    },
    handler: async (request) =>
      presentDailySummary(await services.dailySummaries.get(requireKey(request).userId, request.params.summary_id)),
  });
};
