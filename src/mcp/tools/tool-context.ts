import type { McpServer, ToolCallback } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { Services } from '../../services.ts';
import { AppError } from '../../lib/errors.ts';
import { toolFailure, toolResult } from './results.ts';

/** What every tool works with: the server to register on and the principal's user and scopes. */
export interface ToolContext {
  server: McpServer;
  services: Services;
  userId: string;
  scopes: ReadonlySet<string>;
  /** Names of the tools registered so far. */
  registered: string[];
  /** Where unexpected tool failures are reported (the client only sees "Internal error"). */
  log?: { error(obj: object, msg: string): void } | undefined;
}

export interface ToolDefinition<Shape extends z.ZodRawShape> {
  name: string;
  /** The MCP scope the tool needs; without it the tool is not registered (not even listed). */
  scope: string;
  description: string;
  input: Shape;
  annotations?: ToolAnnotations;
}

export type ToolArgs<Shape extends z.ZodRawShape> = z.objectOutputType<Shape, z.ZodTypeAny>;

export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };
export const WRITE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, openWorldHint: false };
export const DESTRUCTIVE: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, openWorldHint: false };

/** Registers a tool if the principal may use it; its result or failure is shaped in one place. */
export function addTool<Shape extends z.ZodRawShape>(
  ctx: ToolContext,
  definition: ToolDefinition<Shape>,
  run: (args: ToolArgs<Shape>) => Promise<Record<string, unknown>>,
): void {
  if (!ctx.scopes.has(definition.scope)) return;
  const handler = async (args: ToolArgs<Shape>) => {
    try {
      return toolResult(await run(args));
    } catch (error) {
      if (!(error instanceof AppError)) ctx.log?.error({ err: error, tool: definition.name }, 'MCP tool failed');
      return toolFailure(error);
    }
  };
  ctx.registered.push(definition.name);
  ctx.server.registerTool(
    definition.name,
    {
      description: definition.description,
      inputSchema: definition.input,
      ...(definition.annotations && { annotations: definition.annotations }),
    },
    handler as unknown as ToolCallback<Shape>,
  );
}
