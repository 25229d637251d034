import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { exportJsonChunks } from '../../modules/data-transfer/export.ts';
import { markdownZipChunks } from '../../modules/data-transfer/markdown.ts';
import { requireUser } from '../auth.ts';

const ExportQuery = Type.Object(
  {
    format: Type.Optional(
      Type.Union([Type.Literal('json'), Type.Literal('markdown')], {
        description: '`json` (default): the lossless document; `markdown`: the Obsidian vault as a .zip',
      }),
    ),
  },
  { additionalProperties: false },
);

export const exportRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { storage }) => {
  app.get('/v1/users/export', {
    config: { auth: 'session' },
    schema: {
      operationId: 'exportUserData',
      summary: 'Download everything of the signed-in account',
      description:
        'One JSON document (`{"format": "omi-dev-api.export", "version": 1, ...}`) holding the account profile, ' +
        'folders, conversations with transcripts and structured summaries, memories, action items, goals with their ' +
        'progress history and daily summaries, every stored field kept. Sent as an attachment ' +
        '(`omi-export.json`), streamed a page at a time. `omi-dev-api import --file` brings it back. ' +
        '`?format=markdown`: the same data as a Markdown vault for Obsidian, zipped (`omi-export.zip`).',
      tags: ['Accounts'],
      querystring: ExportQuery,
    },
    handler: async (request, reply) => {
      const user = requireUser(request);
      if (request.query.format === 'markdown') {
        return reply
          .header('content-type', 'application/zip')
          .header('content-disposition', 'attachment; filename="omi-export.zip"')
          .send(Readable.from(markdownZipChunks(storage, user)));
      }
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', 'attachment; filename="omi-export.json"')
        .send(Readable.from(exportJsonChunks(storage, user, new Date())));
    },
  });
};
