import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../app.ts';
import { KeyIdParams } from '../../modules/api-keys/api-keys.schema.ts';
import { presentCreatedMcpKey, presentMcpKey } from '../../modules/mcp-keys/mcp-keys.presenter.ts';
import { McpApiKey, McpApiKeyCreate, McpApiKeyCreated } from '../../modules/mcp-keys/mcp-keys.schema.ts';
import { requireUser } from '../auth.ts';

const session = { auth: 'session' } as const;
const tags = ['MCP'];

/** `/v1/mcp/keys`: MCP keys (`omi_mcp_…`), managed with a session as developer keys are. */
export const mcpKeysRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { services }) => {
  app.get('/v1/mcp/keys', {
    config: session,
    schema: {
      operationId: 'listMcpKeys',
      summary: 'Get MCP Keys',
      tags,
      response: { 200: Type.Array(McpApiKey) },
    },
    handler: async (request) => (await services.mcpKeys.list(requireUser(request).id)).map(presentMcpKey),
  });

  app.post('/v1/mcp/keys', {
    config: session,
    schema: {
      operationId: 'createMcpKey',
      summary: 'Create MCP Key',
      description:
        'Create an MCP key for AI assistants (the MCP server at /v1/mcp/sse). It always holds every MCP scope; ' +
        'a `scopes` list is checked, then widened. The full key is returned only here.',
      tags,
      body: McpApiKeyCreate,
      response: { 200: McpApiKeyCreated },
    },
    handler: async (request) => {
      const { key, secret } = await services.mcpKeys.create(requireUser(request).id, request.body);
      return presentCreatedMcpKey(key, secret);
    },
  });

  app.delete('/v1/mcp/keys/:key_id', {
    config: session,
    schema: {
      operationId: 'revokeMcpKey',
      summary: 'Delete MCP Key',
      description: 'Revoke an MCP key. It stops working on the very next request. Unknown ids also answer 204.',
      tags,
      params: KeyIdParams,
      response: { 204: Type.Null({ description: 'Key revoked successfully.' }) },
    },
    handler: async (request, reply) => {
      await services.mcpKeys.revoke(requireUser(request).id, request.params.key_id);
      return reply.code(204).send(null);
    },
  });

  app.post('/v1/mcp/keys/:key_id/rotate', {
    config: session,
    schema: {
      operationId: 'rotateMcpKey',
      summary: 'Rotate MCP Key',
      description: 'Issue a new secret for the MCP key, keeping its id and name. The old secret stops working at once.',
      tags,
      params: KeyIdParams,
      response: { 200: McpApiKeyCreated },
    },
    handler: async (request) => {
      const { key, secret } = await services.mcpKeys.rotate(requireUser(request).id, request.params.key_id);
      return presentCreatedMcpKey(key, secret);
    },
  });
};
