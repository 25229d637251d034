import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { McpPrincipal } from '../modules/mcp-keys/mcp-keys.types.ts';
import type { Services } from '../services.ts';
import { registerActionItemTools } from './tools/action-items.tools.ts';
import { registerConversationTools } from './tools/conversations.tools.ts';
import { registerDailySummaryTools } from './tools/daily-summaries.tools.ts';
import { registerGoalTools } from './tools/goals.tools.ts';
import { registerMemoryTools } from './tools/memories.tools.ts';
import type { ToolContext } from './tools/tool-context.ts';

export const MCP_SERVER_NAME = 'omi-mcp-server';
export const MCP_SERVER_VERSION = '1.0.0';

export const MCP_INSTRUCTIONS =
  "These tools read and change one Omi user's memories, conversations, action items, goals and daily summaries. " +
  'Before answering a question about the user, retrieve the evidence with the read and search tools and base the ' +
  'answer on what they return. Do not create, edit, complete or delete anything unless the user explicitly asks ' +
  'for that change.';

/** An MCP server acting for `principal`: only the tools its scopes allow, each scoped to its user. */
export function createMcpServer(services: Services, principal: McpPrincipal, log?: ToolContext['log']): McpServer {
  const server = new McpServer(
    { name: MCP_SERVER_NAME, version: MCP_SERVER_VERSION },
    { instructions: MCP_INSTRUCTIONS, capabilities: { tools: {} } },
  );
  const ctx: ToolContext = { server, services, userId: principal.userId, scopes: new Set(principal.scopes), registered: [], log };
  registerMemoryTools(ctx);
  registerConversationTools(ctx);
  registerActionItemTools(ctx);
  registerGoalTools(ctx);
  registerDailySummaryTools(ctx);
  // The SDK installs tools/list with the first tool; a principal allowed none still gets an empty list.
  if (ctx.registered.length === 0) {
    server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [] }));
  }
  return server;
}
