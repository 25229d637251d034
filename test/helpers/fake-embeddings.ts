import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local OpenAI-compatible `/embeddings` server for tests, the search eval and the search
 * benchmark. Its "model" is deterministic feature hashing: each word (crudely de-suffixed) and
 * each character trigram of each word adds ±1 to one of FAKE_DIMS dimensions. Texts sharing
 * words or word pieces point the same way, so typos and word forms land near each other; it
 * knows nothing of meaning (no synonyms), which keeps the figures it produces honest.
 */
export const FAKE_DIMS = 256;
export const FAKE_EMBEDDING_MODEL = 'fake-hashing-256';

export interface FakeEmbeddingsRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: { model?: string; input?: unknown } | undefined;
}

export type FakeEmbeddingsMode = 'ok' | 'http-500' | 'invalid-json' | 'wrong-count';

export interface FakeEmbeddings {
  /** Base URL ending in `/v1`, as OMI_EMBEDDINGS_BASE_URL takes it. */
  readonly url: string;
  readonly requests: FakeEmbeddingsRequest[];
  /** How the server answers from now on. */
  mode: FakeEmbeddingsMode;
  /** Every text embedded so far (inputs of successful requests), in order. */
  embeddedTexts(): string[];
  close(): Promise<void>;
}

const slot = (feature: string): [number, number] => {
  const digest = createHash('md5').update(feature).digest();
  return [digest.readUInt32LE(0) % FAKE_DIMS, digest[4]! & 1 ? 1 : -1];
};

const root = (word: string) => word.replace(/(ings?|ed|es|s|ly)$/u, '') || word;

/** The fake model: a unit vector for `text`. */
export function fakeEmbedding(text: string): number[] {
  const vector = new Array<number>(FAKE_DIMS).fill(0);
  const words = text.toLowerCase().normalize('NFKD').match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const word of words) {
    const stem = root(word);
    const [i, sign] = slot(`w:${stem}`);
    vector[i]! += 2 * sign;
    const padded = `^${stem}$`;
    for (let k = 0; k + 3 <= padded.length; k++) {
      const [j, s] = slot(`t:${padded.slice(k, k + 3)}`);
      vector[j]! += s;
    }
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((x) => x / norm);
}

export async function startFakeEmbeddings(): Promise<FakeEmbeddings> {
  const requests: FakeEmbeddingsRequest[] = [];
  const embedded: string[] = [];
  const sockets = new Set<Socket>();
  const state = { mode: 'ok' as FakeEmbeddingsMode };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: FakeEmbeddingsRequest['body'];
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FakeEmbeddingsRequest['body'];
      } catch {
        body = undefined;
      }
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      const inputs = Array.isArray(body?.input) ? (body.input as unknown[]).map(String) : [String(body?.input ?? '')];
      if (req.url !== '/v1/embeddings' || state.mode === 'http-500') {
        res.writeHead(req.url === '/v1/embeddings' ? 500 : 404, { 'content-type': 'application/json' });
        return res.end('{"error":"unavailable"}');
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      if (state.mode === 'invalid-json') return res.end('{"data": [');
      const used = state.mode === 'wrong-count' ? inputs.slice(1) : inputs;
      if (state.mode === 'ok') embedded.push(...inputs);
      res.end(
        JSON.stringify({
          object: 'list',
          model: body?.model,
          data: used.map((text, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(text) })),
        }),
      );
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
    get mode() {
      return state.mode;
    },
    set mode(mode: FakeEmbeddingsMode) {
      state.mode = mode;
    },
    embeddedTexts: () => [...embedded],
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
