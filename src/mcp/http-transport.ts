import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/** What the SDK insists on seeing; the reply mode is chosen from the client's own Accept header. */
const SDK_ACCEPT = 'application/json, text/event-stream';
const SDK_CONTENT_TYPE = 'application/json';

/** True when the client asked for Server-Sent Events; otherwise it gets plain JSON. */
export const acceptsEventStream = (accept: string | undefined): boolean => (accept ?? '').toLowerCase().includes('text/event-stream');

/** Replaces a request header in both views Node keeps of it (the SDK's adapter reads either). */
function setRequestHeader(raw: IncomingMessage, name: string, value: string): void {
  raw.headers[name] = value;
  const list = raw.rawHeaders;
  for (let i = list.length - 2; i >= 0; i -= 2) if (list[i]?.toLowerCase() === name) list.splice(i, 2);
  list.push(name, value);
}

/** A JSON-RPC message with a method, as the transport sees it before the SDK validates it. */
const isMessage = (value: unknown): value is { method?: unknown; id?: unknown } => value !== null && typeof value === 'object';

/** An `initialize` request (alone: the SDK refuses one batched with anything else). */
export function isInitialize(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.length === 1 && isMessage(messages[0]) && messages[0].method === 'initialize' && messages[0].id !== undefined;
}

export interface PostOptions {
  /** Called with transport failures the client cannot see (it gets its own JSON-RPC error). */
  onError?: (error: Error) => void;
}

/**
 * Answers one POST with a fresh server on a stateless Streamable HTTP transport: the server
 * lives exactly as long as the request. The body has already been read and parsed by the
 * caller; the reply is written straight to `res` (JSON or an SSE stream, per the Accept header).
 */
export async function handleMcpPost(
  server: McpServer,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  options: PostOptions = {},
): Promise<void> {
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: !acceptsEventStream(req.headers.accept),
  });
  if (options.onError) transport.onerror = options.onError;
  // Upstream answers plain JSON clients (curl) too: the reply mode is already fixed above.
  setRequestHeader(req, 'accept', SDK_ACCEPT);
  setRequestHeader(req, 'content-type', SDK_CONTENT_TYPE);
  res.on('close', () => {
    void transport.close().catch(() => {});
    void server.close().catch(() => {});
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}
