import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SCHEMA_NAMES } from '../../src/processing/llm/llm-schemas.ts';

/**
 * A local OpenAI-compatible chat-completions server for tests: it records every request and
 * answers from a handler, by default with a valid reply for whichever prompt it was sent.
 */
export interface FakeLlm {
  /** Base URL ending in `/v1`, as OMI_LLM_BASE_URL takes it. */
  readonly url: string;
  readonly requests: FakeLlmRequest[];
  respondWith(handler: FakeLlmHandler): void;
  /** Back to the default replies. */
  reset(): void;
  close(): Promise<void>;
}

export type FakeLlmKind = 'summarize' | 'memories' | 'daily' | 'categorize' | 'answer' | 'unknown';

export interface FakeLlmRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined if it was not JSON). */
  body: ChatCompletionBody | undefined;
  /** Which prompt this is, read from the schema named in the system message. */
  kind: FakeLlmKind;
  /** The system message, for assertions on prompt content. */
  system: string;
  /** The user message(s), joined. */
  user: string;
}

export interface ChatCompletionBody {
  model?: string;
  messages?: { role: string; content: string }[];
  temperature?: number;
  response_format?: { type: string };
  max_tokens?: number;
  [key: string]: unknown;
}

export type FakeLlmReply =
  | { json: object }
  | { content: string }
  | { status: number; body?: object }
  | { hang: true }
  | { destroy: true };

export type FakeLlmHandler = (request: FakeLlmRequest) => FakeLlmReply | Promise<FakeLlmReply>;

export const FAKE_SUMMARY = {
  discarded: false,
  title: 'Fake LLM Summary',
  overview: 'The fake language model summarised this conversation.',
  emoji: '🤖',
  category: 'technology',
  action_items: [{ description: 'Review the fake summary', due_at: null }],
  events: [],
} as const;

export const FAKE_MEMORIES = {
  memories: [
    { content: 'Tests software against fake language models', category: 'system' },
    { content: 'Was told that small, frequent commits make reviews easier', category: 'interesting' },
  ],
} as const;

export const FAKE_DAY_SUMMARY = {
  day_emoji: '🤖',
  headline: 'A Day Summarised by the Fake LLM',
  overview: 'You had conversations that the fake language model summarised.',
  highlights: ['The fake language model answered'],
  knowledge_nuggets: ['Fakes keep tests deterministic'],
} as const;

export const FAKE_MEMORY_CATEGORY = { category: 'interesting' } as const;

export const FAKE_ANSWER = { answer: 'The fake language model answered from your conversations [1].', sources: [1] } as const;

/** The default reply for each prompt. */
export function defaultReply(request: FakeLlmRequest): FakeLlmReply {
  switch (request.kind) {
    case 'summarize':
      return { json: FAKE_SUMMARY };
    case 'memories':
      return { json: FAKE_MEMORIES };
    case 'daily':
      return { json: FAKE_DAY_SUMMARY };
    case 'categorize':
      return { json: FAKE_MEMORY_CATEGORY };
    case 'answer':
      return { json: FAKE_ANSWER };
    default:
      return { status: 400, body: { error: { message: 'fake LLM: unrecognised prompt' } } };
  }
}

function kindOf(system: string): FakeLlmKind {
  const named = (name: string) => system.includes(`JSON Schema "${name}"`);
  if (named(SCHEMA_NAMES.summary)) return 'summarize';
  if (named(SCHEMA_NAMES.memories)) return 'memories';
  if (named(SCHEMA_NAMES.daySummary)) return 'daily';
  if (named(SCHEMA_NAMES.memoryCategory)) return 'categorize';
  if (named(SCHEMA_NAMES.answer)) return 'answer';
  return 'unknown';
}

function parse(raw: string): ChatCompletionBody | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null ? (value as ChatCompletionBody) : undefined;
  } catch {
    return undefined;
  }
}

function completion(model: string, content: string): object {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 0,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

function send(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startFakeLlm(): Promise<FakeLlm> {
  const requests: FakeLlmRequest[] = [];
  const sockets = new Set<Socket>();
  let handler: FakeLlmHandler = defaultReply;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = parse(Buffer.concat(chunks).toString('utf8'));
      const messages = Array.isArray(body?.messages) ? body.messages : [];
      const text = (role: string) =>
        messages
          .filter((message) => message.role === role)
          .map((message) => String(message.content))
          .join('\n');
      const system = text('system');
      const request: FakeLlmRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        kind: kindOf(system),
        system,
        user: text('user'),
      };
      requests.push(request);
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        send(res, 404, { error: { message: 'not found' } });
        return;
      }
      Promise.resolve()
        .then(() => handler(request))
        .then((reply) => {
          if ('hang' in reply) return; // Left open until close() destroys the socket.
          if ('destroy' in reply) req.socket.destroy();
          else if ('status' in reply) send(res, reply.status, reply.body ?? { error: { message: 'fake LLM error' } });
          else {
            const content = 'json' in reply ? JSON.stringify(reply.json) : reply.content;
            send(res, 200, completion(body?.model ?? 'fake', content));
          }
        })
        .catch(() => send(res, 500, { error: { message: 'fake LLM handler threw' } }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    respondWith(next) {
      handler = next;
    },
    reset() {
      handler = defaultReply;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hanging requests and idle keep-alive connections would otherwise hold close() open.
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
