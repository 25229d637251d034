import type { OpenAiCompatibleEndpoint } from '../../config/config.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompleteJsonOptions {
  /** Names the schema in the instruction appended to the system prompt. */
  schemaName?: string;
  /** JSON Schema of the expected reply; shown to the model, not enforced by the server. */
  schema?: object;
  maxTokens?: number;
}

export type LlmFailure = 'timeout' | 'http' | 'network' | 'invalid_json' | 'empty';

/** Any failure to get a JSON object out of the endpoint. The message never carries the API key or the prompt. */
export class LlmError extends Error {
  constructor(
    readonly reason: LlmFailure,
    message: string,
    /** The HTTP status, for `http` failures. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

/**
 * Optional request fields that some OpenAI-compatible servers refuse with a 400 (LM Studio rejects
 * `json_object`, reasoning models reject `temperature: 0` and `max_tokens`). When the error body
 * names one, the request is repeated without it rather than failing outright.
 */
const DROPPABLE = ['response_format', 'temperature', 'max_tokens'] as const;

/** A thin chat-completions client that asks for, and extracts, one JSON object. */
export class ChatClient {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(
    private readonly endpoint: OpenAiCompatibleEndpoint,
    options: { timeoutMs: number; fetch?: typeof fetch },
  ) {
    this.timeoutMs = options.timeoutMs;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async completeJson(messages: ChatMessage[], options: CompleteJsonOptions = {}): Promise<unknown> {
    const body: Record<string, unknown> = {
      model: this.endpoint.model,
      messages: options.schema === undefined ? messages : withSchema(messages, options.schema, options.schemaName),
      temperature: 0,
      response_format: { type: 'json_object' },
    };
    if (options.maxTokens !== undefined) body.max_tokens = options.maxTokens;
    // One budget for the whole call, retries included: callers wait at most timeoutMs.
    const signal = AbortSignal.timeout(this.timeoutMs);
    for (;;) {
      const response = await this.post(body, signal);
      const text = await readText(response);
      if (response.ok) return extractJson(parseEnvelope(text));
      const refused = response.status === 400 ? DROPPABLE.filter((field) => field in body && text.includes(field)) : [];
      if (refused.length === 0) {
        throw new LlmError('http', `LLM endpoint answered HTTP ${response.status}`, response.status);
      }
      for (const field of refused) delete body[field];
    }
  }

  private async post(body: Record<string, unknown>, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.endpoint.apiKey !== undefined) headers.authorization = `Bearer ${this.endpoint.apiKey}`;
    try {
      return await this.fetch(`${this.endpoint.baseUrl}/chat/completions`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal,
      });
    } catch (error) {
      throw transportError(error);
    }
  }
}

async function readText(response: Response): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    throw transportError(error);
  }
}

function transportError(error: unknown): LlmError {
  if (error instanceof LlmError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return new LlmError('timeout', 'LLM request timed out');
  // Deliberately not the underlying message: it can name the URL, which may embed credentials.
  return new LlmError('network', 'LLM endpoint unreachable or connection dropped');
}

/** Shows the model the reply's JSON Schema inside the (first) system message; some chat templates allow only one. */
function withSchema(messages: ChatMessage[], schema: object, name = 'reply'): ChatMessage[] {
  const instruction =
    `Reply with exactly one JSON object, no prose, matching the JSON Schema "${name}":\n` + JSON.stringify(schema);
  const index = messages.findIndex((message) => message.role === 'system');
  if (index === -1) return [{ role: 'system', content: instruction }, ...messages];
  return messages.map((message, i) =>
    i === index ? { ...message, content: `${message.content}\n\n${instruction}` } : message,
  );
}

function parseEnvelope(text: string): string {
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    throw new LlmError('invalid_json', 'LLM endpoint answered with a body that is not JSON');
  }
  const choices = (envelope as { choices?: unknown } | null)?.choices;
  const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
  const content = (first as { message?: { content?: unknown } } | undefined)?.message?.content;
  if (typeof content !== 'string' || content.trim() === '') throw new LlmError('empty', 'LLM reply has no content');
  return content;
}

/**
 * Finds the JSON object in a reply. Models asked for bare JSON still wrap it in ```json fences,
 * prepend a sentence, or (reasoning models) emit a `<think>` block first.
 */
export function extractJson(content: string): Record<string, unknown> {
  const text = content.replace(/<think>[\s\S]*?<\/think>/gi, '').trim();
  const candidates = [text];
  for (const fence of text.matchAll(/```[a-zA-Z]*\s*([\s\S]*?)```/g)) candidates.push(fence[1]!.trim());
  for (const candidate of candidates) {
    const parsed = tryObject(candidate);
    if (parsed !== undefined) return parsed;
  }
  // Prose around the object: try each balanced {…} span in turn, a bounded number of them.
  let from = text.indexOf('{');
  for (let tries = 0; from !== -1 && tries < 20; tries++) {
    const end = matchingBrace(text, from);
    if (end !== -1) {
      const parsed = tryObject(text.slice(from, end + 1));
      if (parsed !== undefined) return parsed;
    }
    from = text.indexOf('{', from + 1);
  }
  throw new LlmError('invalid_json', 'LLM reply holds no JSON object');
}

function tryObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    return isObject ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Index of the `}` closing the `{` at `start`, skipping braces inside strings; -1 if unbalanced. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return i;
  }
  return -1;
}
