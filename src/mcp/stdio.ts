import type { Readable, Writable } from 'node:stream';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  CallToolRequestSchema,
  CallToolResultSchema,
  ListToolsRequestSchema,
  ErrorCode,
  ListToolsResultSchema,
  McpError,
  type JSONRPCMessage,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';

export interface StdioStreams {
  stdin: Readable;
  stdout: Writable;
}

const isRequest = (message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId; method: string } =>
  'method' in message && 'id' in message;

const isResponse = (message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId } =>
  'id' in message && ('result' in message || 'error' in message);

/**
 * Serves `server` over newline-delimited JSON-RPC on stdin/stdout until stdin ends, then closes
 * it once every request already received has been answered (so `echo … | omi-dev-api mcp`
 * gets its replies). Nothing but protocol messages is written to `stdout`.
 */
export async function serveStdio(server: McpServer, streams: StdioStreams): Promise<void> {
  const transport = new StdioServerTransport(streams.stdin, streams.stdout);
  const pending = new Set<RequestId>();
  let inputEnded = false;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const closeWhenIdle = () => {
    if (inputEnded && pending.size === 0) finish();
  };

  // connect() installs the protocol's handlers; wrap them to follow requests in flight.
  await server.connect(transport);
  const receive = transport.onmessage;
  transport.onmessage = (message) => {
    if (isRequest(message)) pending.add(message.id);
    receive?.(message);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message) => {
    try {
      await send(message);
    } finally {
      if (isResponse(message)) {
        pending.delete(message.id);
        closeWhenIdle();
      }
    }
  };
  transport.onclose = ((previous) => () => {
    previous?.();
    inputEnded = true;
    pending.clear();
    finish();
  })(transport.onclose);

  const ended = () => {
    inputEnded = true;
    closeWhenIdle();
  };
  streams.stdin.once('end', ended);
  streams.stdin.once('close', ended);
  try {
    await finished;
  } finally {
    streams.stdin.off('end', ended);
    streams.stdin.off('close', ended);
    await server.close();
  }
}

/**
 * A stdio-side server that forwards `tools/list` and `tools/call` to a connected client of the
 * hosted server, keeping the remote server's name, version and instructions.
 */
export function createBridgeServer(client: Client): McpServer {
  const remote = client.getServerVersion();
  const instructions = client.getInstructions();
  const server = new McpServer(
    { name: remote?.name ?? 'omi-mcp-server', version: remote?.version ?? '1.0.0' },
    { capabilities: { tools: {} }, ...(instructions !== undefined && { instructions }) },
  );
  server.server.setRequestHandler(ListToolsRequestSchema, (request) =>
    forward(() => client.request({ method: 'tools/list', params: request.params }, ListToolsResultSchema)),
  );
  server.server.setRequestHandler(CallToolRequestSchema, (request) =>
    forward(() => client.request({ method: 'tools/call', params: request.params }, CallToolResultSchema)),
  );
  return server;
}

/** The remote server's JSON-RPC errors pass through; transport failures (HTTP 401, 429, no route) become -32603. */
async function forward<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof McpError) throw error;
    throw new McpError(ErrorCode.InternalError, `The Omi server could not be reached: ${error instanceof Error ? error.message : String(error)}`);
  }
}
