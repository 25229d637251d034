import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { unavailable } from '../../lib/errors.ts';
import { actionItemsRoutes } from './action-items.routes.ts';
import { conversationsRoutes } from './conversations.routes.ts';
import { dailySummariesRoutes } from './daily-summaries.routes.ts';
import { foldersRoutes } from './folders.routes.ts';
import { goalsRoutes } from './goals.routes.ts';
import { memoriesRoutes } from './memories.routes.ts';

/**
 * The web console: its built files (web/ compiled by scripts/build.mjs into <outdir>/web), the
 * page for every client-side route (among them /consent, where the OAuth server's GET /authorize
 * sends the browser), and the bridge through which the console reaches the developer API with
 * its session cookie.
 */

/** The bridge: /console/api + a /v1/dev/user/* path, guarded by the console cookie (auth.ts). */
export const CONSOLE_API_PREFIX = '/console/api';

/** Client-side routes (web/src/routes.ts names the same ones); each answers with index.html. */
export const CLIENT_ROUTES = [
  '/',
  '/signin',
  '/consent',
  '/account',
  '/keys',
  '/mcp-keys',
  '/apps',
  '/memories',
  '/conversations',
  '/conversations/:id',
  '/action-items',
  '/goals',
  '/goals/:id',
  '/summaries',
] as const;

/** The console's own routes, which the published API document leaves out. */
export function isConsoleRoute(path: string): boolean {
  return (
    path.startsWith(`${CONSOLE_API_PREFIX}/`) ||
    path.startsWith('/assets/') ||
    (CLIENT_ROUTES as readonly string[]).includes(path)
  );
}

interface Asset {
  body: Buffer;
  gzip: Buffer;
  type: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Where the built console lives: next to the running bundle (dist/web), else the project's dist/web. */
export function defaultConsoleDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'web'), join(here, '..', 'web'), resolve(here, '..', '..', '..', 'dist', 'web')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[candidates.length - 1]!;
}

function loadAssets(dir: string): Map<string, Asset> | undefined {
  if (!existsSync(join(dir, 'index.html'))) return undefined;
  const assets = new Map<string, Asset>();
  const add = (name: string, file: string) => {
    const body = readFileSync(file);
    assets.set(name, { body, gzip: gzipSync(body, { level: 9 }), type: TYPES[extname(file)] ?? 'application/octet-stream' });
  };
  add('index.html', join(dir, 'index.html'));
  const assetDir = join(dir, 'assets');
  if (existsSync(assetDir)) for (const name of readdirSync(assetDir)) add(`assets/${name}`, join(assetDir, name));
  return assets;
}

function send(request: FastifyRequest, reply: FastifyReply, asset: Asset, cache: string) {
  reply.header('content-type', asset.type).header('cache-control', cache).header('x-content-type-options', 'nosniff');
  reply.header('vary', 'accept-encoding');
  if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
    return reply.header('content-encoding', 'gzip').send(asset.gzip);
  }
  return reply.send(asset.body);
}

export const consoleRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, deps) => {
  const dir = deps.consoleDir ?? defaultConsoleDir();
  let assets = loadAssets(dir);
  const built = () => {
    assets ??= loadAssets(dir);
    if (!assets) throw unavailable('The web console is not built: run `npm run build`');
    return assets;
  };

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    const index = built().get('index.html')!;
    reply.header('content-security-policy', CSP).header('referrer-policy', 'no-referrer').header('x-frame-options', 'DENY');
    return send(request, reply, index, 'no-cache');
  };
  for (const path of CLIENT_ROUTES) app.get(path, { schema: { hide: true } }, page);

  app.get<{ Params: { file: string } }>('/assets/:file', { schema: { hide: true } }, async (request, reply) => {
    const asset = built().get(`assets/${request.params.file}`);
    if (!asset) return reply.code(404).send({ detail: 'Not Found' });
    // Names carry a content hash: a file never changes under its name.
    return send(request, reply, asset, 'public, max-age=31536000, immutable');
  });

  // The developer routes once more under /console/api: same handlers and services, guarded by
  // the console cookie instead of a key, left out of the published document.
  await app.register(
    async (bridge) => {
      bridge.addHook('onRoute', (route) => {
        route.config = { ...route.config, auth: 'console' };
        route.schema = { ...route.schema, hide: true };
      });
      for (const routes of BRIDGED) await bridge.register(routes, deps);
    },
    { prefix: CONSOLE_API_PREFIX },
  );
};

const BRIDGED = [memoriesRoutes, actionItemsRoutes, goalsRoutes, conversationsRoutes, foldersRoutes, dailySummariesRoutes];
