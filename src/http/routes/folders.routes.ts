import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { presentFolder } from '../../modules/folders/folders.presenter.ts';
import { DeveloperFolder } from '../../modules/folders/folders.schema.ts';
import { requireKey } from '../auth.ts';

export const foldersRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { services }) => {
  app.get('/v1/dev/user/folders', {
    config: { auth: 'developer-key', scope: 'conversations:read', policy: 'dev:conversations_read' },
    schema: {
      operationId: 'listFolders',
      summary: 'Get User Folders',
      description:
        'Get all folders for the authenticated user, sorted by `order`. Strictly read-only: a user with no ' +
        'folders gets `[]`. The system folders (Work, Personal, Social) are created by the processing ' +
        'pipeline when the first conversation is filed. `conversation_count` counts completed, non-discarded ' +
        'conversations. Use `folder_id` on the conversations list to filter by folder.',
      tags: ['Folders'],
      response: { 200: Type.Array(DeveloperFolder, { title: 'Response Listfolders' }) },
    },
    handler: async (request) => (await services.folders.list(requireKey(request).userId)).map(presentFolder),
  });
};
