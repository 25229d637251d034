import type { OpenAiCompatibleEndpoint } from '../../config/config.ts';

/** Turns texts into vectors. One implementation talks to an OpenAI-compatible `/embeddings`. */
export interface Embedder {
  /** Stored with each vector: changing the model re-embeds everything. */
  readonly model: string;
  /** One unit-length vector per text, in order. */
  embed(texts: string[]): Promise<Float32Array[]>;
}

export type EmbeddingsFailure = 'timeout' | 'http' | 'network' | 'invalid_reply';

/** Any failure to get vectors. The message never carries the API key or the texts. */
export class EmbeddingsError extends Error {
  constructor(
    readonly reason: EmbeddingsFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'EmbeddingsError';
  }
}

/** Scales to unit length, so a dot product is the cosine similarity. */
export function normalize(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
  return vector;
}

interface EmbeddingsReply {
  data?: { embedding?: unknown; index?: unknown }[];
}

/** `POST {baseUrl}/embeddings` with `{model, input: [...]}` (OpenAI, Ollama, LM Studio, vLLM…). */
export class OpenAiEmbeddingsClient implements Embedder {
  readonly model: string;
  private readonly fetch: typeof fetch;

  constructor(
    private readonly endpoint: OpenAiCompatibleEndpoint,
    private readonly options: { timeoutMs: number; fetch?: typeof fetch },
  ) {
    this.model = endpoint.model;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.endpoint.apiKey) headers.authorization = `Bearer ${this.endpoint.apiKey}`;
    let response: Response;
    try {
      response = await this.fetch(`${this.endpoint.baseUrl.replace(/\/+$/, '')}/embeddings`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: this.model, input: texts }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new EmbeddingsError(timedOut ? 'timeout' : 'network', timedOut ? 'embeddings request timed out' : 'embeddings endpoint unreachable');
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new EmbeddingsError('http', `embeddings endpoint answered ${response.status}`, response.status);
    }
    let reply: EmbeddingsReply;
    try {
      reply = (await response.json()) as EmbeddingsReply;
    } catch {
      throw new EmbeddingsError('invalid_reply', 'embeddings reply is not JSON');
    }
    return readVectors(reply, texts.length);
  }
}

function readVectors(reply: EmbeddingsReply, count: number): Float32Array[] {
  const data = Array.isArray(reply.data) ? reply.data : [];
  const vectors: (Float32Array | undefined)[] = Array.from({ length: count }, () => undefined);
  data.forEach((item, position) => {
    const index = typeof item.index === 'number' ? item.index : position;
    const values = item.embedding;
    if (index < 0 || index >= count || !Array.isArray(values) || values.length === 0) return;
    if (!values.every((x): x is number => typeof x === 'number' && Number.isFinite(x))) return;
    vectors[index] = normalize(Float32Array.from(values));
  });
  const dims = vectors[0]?.length;
  if (vectors.some((v) => v === undefined || v.length !== dims)) {
    throw new EmbeddingsError('invalid_reply', 'embeddings reply does not hold one vector per input');
  }
  return vectors as Float32Array[];
}
