import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP proxy in front of a source server that misbehaves on purpose, deterministically:
 * a seeded generator decides, request by request, whether to answer 429 (with Retry-After), a 5xx,
 * or to destroy the connection, else the request is forwarded untouched.
 */
export interface FaultRates {
  rateLimited?: number;
  serverError?: number;
  dropped?: number;
  /** The Retry-After sent with 429s, in seconds. */
  retryAfter?: number;
}

export interface FaultProxy {
  url: string;
  /** Forwarded requests' paths (with query), in order. */
  forwarded: string[];
  /** Every request the proxy received. */
  received: number;
  faults: { rateLimited: number; serverError: number; dropped: number };
  setRates(rates: FaultRates, seed?: number): void;
  /** After `n` more requests, answer every request with this (an outage), until cleared with null. */
  failAfter(n: number | null, mode?: 'serverError' | 'dropped'): void;
  /** Answer every request with this body instead of forwarding (a bad source), until cleared with null. */
  replaceWith(answer: { status: number; contentType: string; body: string } | null): void;
  close(): Promise<void>;
}

/** mulberry32: a small seeded generator, the same sequence for the same seed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let rates: FaultRates = {};
  let random = generator(1);
  let outage: { remaining: number; mode: 'serverError' | 'dropped' } | null = null;
  let replacement: { status: number; contentType: string; body: string } | null = null;

  const server: Server = createServer((req, res) => {
    proxy.received++;
    if (replacement) {
      res.writeHead(replacement.status, { 'content-type': replacement.contentType }).end(replacement.body);
      return;
    }
    if (outage && outage.remaining-- <= 0) {
      if (outage.mode === 'dropped') req.socket.destroy();
      else res.writeHead(503, { 'content-type': 'application/json' }).end('{"detail":"Service Unavailable"}');
      return;
    }
    const roll = random();
    const { rateLimited = 0, serverError = 0, dropped = 0 } = rates;
    if (roll < rateLimited) {
      proxy.faults.rateLimited++;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(rates.retryAfter ?? 0) });
      res.end('{"detail":"Rate limit exceeded. Try again in 0s."}');
      return;
    }
    if (roll < rateLimited + serverError) {
      proxy.faults.serverError++;
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>Bad Gateway</body></html>');
      return;
    }
    if (roll < rateLimited + serverError + dropped) {
      proxy.faults.dropped++;
      req.socket.destroy();
      return;
    }
    proxy.forwarded.push(req.url ?? '/');
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => req.socket.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${port}`,
    forwarded: [],
    received: 0,
    faults: { rateLimited: 0, serverError: 0, dropped: 0 },
    setRates(next, seed = 1) {
      rates = next;
      random = generator(seed);
    },
    failAfter(n, mode = 'serverError') {
      outage = n === null ? null : { remaining: n, mode };
    },
    replaceWith(answer) {
      replacement = answer;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return proxy;
}
