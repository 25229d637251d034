import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../web/build.mjs';
import { createTestContext, type TestContext } from '../helpers/context.ts';

/**
 * The web console's server side: the built page and assets, the cookie session (flags, CSRF
 * guard), the bridge to the developer routes, and the account settings routes.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
const consoleDir = mkdtempSync(join(root, 'node_modules', '.cache', 'omi-console-test-'));
const PASSWORD = 'correct horse battery';
const HOST = 'omi.test';

let ctx: TestContext;
let email: string;
let userId: string;
let cookie: string;

function inject(method: string, url: string, headers: Record<string, string> = {}, body?: unknown): Promise<LightMyRequestResponse> {
  return ctx.app.inject({
    method: method as 'GET',
    url,
    headers: { host: HOST, ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { payload: JSON.stringify(body) }),
  });
}

/** A cookie-authenticated call as the console makes it (same origin, X-Omi-Console). */
const consoleCall = (method: string, url: string, body?: unknown, extra: Record<string, string> = {}) =>
  inject(method, url, { cookie, 'x-omi-console': '1', origin: `http://${HOST}`, ...extra }, body);

async function signInWithCookie(address: string, password = PASSWORD, headers: Record<string, string> = {}) {
  const response = await inject('POST', '/v1/console/session', headers, { email: address, password });
  expect(response.statusCode).toBe(200);
  const setCookie = String(response.headers['set-cookie']);
  return { response, setCookie, cookie: setCookie.split(';')[0]! };
}

beforeAll(async () => {
  await buildConsole(consoleDir);
  ctx = await createTestContext({}, { consoleDir });
  ({ userId } = await ctx.signIn());
  email = (await ctx.storage.users.findById(userId))!.email;
  ({ cookie } = await signInWithCookie(email));
}, 60_000);

afterAll(async () => {
  await ctx?.close();
  rmSync(consoleDir, { recursive: true, force: true });
});

describe('the console page and assets', () => {
  it.each(['/', '/memories', '/consent?client_id=x', '/conversations/abc', '/goals/g1', '/apps'])('serves index.html at %s', async (path) => {
    const response = await inject('GET', path);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.body).toContain('<div id="app"></div>');
  });

  it("serves every page of the console's navigation", async () => {
    const source = readFileSync(join(root, 'web', 'src', 'routes.ts'), 'utf8');
    const nav = source.slice(source.indexOf('export const NAV'), source.indexOf('export const PLANNED'));
    const paths = [...nav.matchAll(/path: '([^']+)'/g)].map((match) => match[1]!);
    expect(paths.length).toBeGreaterThan(5);
    for (const path of paths) expect((await inject('GET', path)).statusCode, path).toBe(200);
  });

  it('serves the hashed assets, gzipped when asked, cacheable for good, with no external URL', async () => {
    const page = (await inject('GET', '/')).body;
    const assets = [...page.matchAll(/\/assets\/[\w.-]+/g)].map((match) => match[0]);
    expect(assets).toHaveLength(2);
    for (const asset of assets) {
      const plain = await inject('GET', asset);
      expect(plain.statusCode).toBe(200);
      expect(plain.headers['cache-control']).toContain('immutable');
      expect(plain.body).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
      const gzipped = await inject('GET', asset, { 'accept-encoding': 'gzip, br' });
      expect(gzipped.headers['content-encoding']).toBe('gzip');
      expect(gzipped.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    }
    expect(page).not.toMatch(/https?:\/\//);
  });

  it('answers 404 with a detail for an unknown asset and an unknown path', async () => {
    expect((await inject('GET', '/assets/nope.js')).json()).toEqual({ detail: 'Not Found' });
    const unknown = await inject('GET', '/v1/nothing-here');
    expect({ status: unknown.statusCode, body: unknown.json() }).toEqual({ status: 404, body: { detail: 'Not Found' } });
  });

  it('answers 503 with a detail when the console has not been built', async () => {
    const bare = await createTestContext({}, { consoleDir: join(consoleDir, 'missing') });
    try {
      const response = await bare.call('GET', '/');
      expect(response.statusCode).toBe(503);
      expect(response.json().detail).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });
});

describe('cookie sessions', () => {
  it('signs in with an HttpOnly, SameSite=Lax cookie and no token in the body', async () => {
    const { response, setCookie } = await signInWithCookie(email);
    expect(setCookie).toMatch(/^omi_console_session=omi_session_[0-9a-f]{64}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    expect(response.body).not.toContain('omi_session_');
    expect(response.json()).toMatchObject({ user: { id: userId, email } });
  });

  it('marks the cookie Secure when the request came over https', async () => {
    const { setCookie } = await signInWithCookie(email, PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(setCookie).toContain('; Secure');
  });

  it('refuses a wrong password with the login text, and sets no cookie', async () => {
    const response = await inject('POST', '/v1/console/session', {}, { email, password: 'wrong password' });
    expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 401, body: { detail: 'Invalid email or password' } });
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('authenticates the session routes with the cookie', async () => {
    const me = await inject('GET', '/v1/users/me', { cookie });
    expect(me.json()).toMatchObject({ id: userId, email });
    expect((await consoleCall('GET', '/v1/dev/keys')).statusCode).toBe(200);
  });

  it('refuses a cookie-authenticated unsafe request without X-Omi-Console, or from another origin', async () => {
    const before = (await ctx.services.apiKeys.list(userId)).length;
    const noHeader = await inject('POST', '/v1/dev/keys', { cookie }, { name: 'csrf' });
    expect(noHeader.statusCode).toBe(403);
    expect(noHeader.json().detail).toContain('X-Omi-Console');
    const foreign = await consoleCall('POST', '/v1/dev/keys', { name: 'csrf' }, { origin: 'https://evil.example' });
    expect({ status: foreign.statusCode, body: foreign.json() }).toEqual({ status: 403, body: { detail: 'Cross-site request refused' } });
    const opaque = await consoleCall('POST', '/v1/dev/keys', { name: 'csrf' }, { origin: 'null' });
    expect(opaque.statusCode).toBe(403);
    const bridged = await inject('POST', '/console/api/v1/dev/user/memories', { cookie, origin: 'https://evil.example' }, { content: 'csrf' });
    expect(bridged.statusCode).toBe(403);
    expect((await ctx.services.apiKeys.list(userId)).length).toBe(before);
  });

  it("accepts the Origin of this server behind a proxy: the forwarded Host, or OMI_PUBLIC_URL's", async () => {
    const forwarded = await consoleCall('PATCH', '/v1/users/me', { name: 'Ada' }, { origin: 'https://console.example', 'x-forwarded-host': 'console.example' });
    expect(forwarded.statusCode).toBe(200);
    const other = await createTestContext({ OMI_PUBLIC_URL: 'https://omi.example.com' }, { consoleDir });
    try {
      const { userId: id } = await other.signIn();
      const address = (await other.storage.users.findById(id))!.email;
      const login = await other.app.inject({ method: 'POST', url: '/v1/console/session', payload: { email: address, password: PASSWORD } });
      const headers = { cookie: String(login.headers['set-cookie']).split(';')[0]!, 'x-omi-console': '1', host: '10.0.0.5:8080' };
      const rename = (origin: string) => other.app.inject({ method: 'PATCH', url: '/v1/users/me', headers: { ...headers, origin }, payload: { name: 'Bo' } });
      expect((await rename('https://omi.example.com')).statusCode).toBe(200);
      expect((await rename('https://evil.example')).statusCode).toBe(403);
    } finally {
      await other.close();
    }
  });

  it('keeps bearer sessions working as before, and the bearer wins over a cookie', async () => {
    const { session } = await ctx.signIn();
    const me = await inject('GET', '/v1/users/me', { authorization: `Bearer ${session}`, cookie });
    expect(me.json().id).not.toBe(userId);
    // A bearer needs no console header, even for unsafe methods.
    expect((await inject('POST', '/v1/dev/keys', { authorization: `Bearer ${session}` }, { name: 'k' })).statusCode).toBe(200);
  });

  it('signs out: the session ends and the cookie is cleared', async () => {
    const own = await signInWithCookie(email);
    const out = await inject('DELETE', '/v1/console/session', { cookie: own.cookie, 'x-omi-console': '1' });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^omi_console_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax$/);
    expect((await inject('GET', '/v1/users/me', { cookie: own.cookie })).statusCode).toBe(401);
  });
});

describe('the bridge to the developer routes', () => {
  it('serves /v1/dev/user/* to the console cookie, scoped to its user', async () => {
    const created = await consoleCall('POST', '/console/api/v1/dev/user/memories', { content: 'I like green tea', category: 'interests' });
    expect(created.statusCode).toBe(200);
    const list = await consoleCall('GET', '/console/api/v1/dev/user/memories?q=tea');
    expect(list.json().map((m: { id: string }) => m.id)).toEqual([created.json().id]);
    const other = await ctx.developer();
    const theirs = await ctx.call('POST', '/v1/dev/user/memories', other.key, { content: 'Not yours' });
    expect((await consoleCall('DELETE', `/console/api/v1/dev/user/memories/${theirs.json().id}`)).statusCode).toBe(404);
  });

  it('takes neither a developer key nor a session bearer', async () => {
    const { key, session } = await ctx.developer();
    for (const token of [key, session]) {
      const response = await inject('GET', '/console/api/v1/dev/user/memories', { authorization: `Bearer ${token}` });
      expect(response.statusCode).toBe(401);
    }
  });

  it('leaves /v1/dev/user/* itself to developer keys: a cookie is not enough', async () => {
    const response = await consoleCall('GET', '/v1/dev/user/memories');
    expect({ status: response.statusCode, body: response.json() }).toEqual({
      status: 401,
      body: { detail: "Missing or invalid Authorization header. Must be 'Bearer API_KEY'" },
    });
  });

  it('is not in the published API document', async () => {
    const document = (await inject('GET', '/openapi.json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/console'))).toEqual([]);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/console/session', '/v1/users/me/password']));
  });
});

describe('account settings', () => {
  it('renames the account; a blank name is a 422 and changes nothing', async () => {
    const renamed = await consoleCall('PATCH', '/v1/users/me', { name: '  Ada Lovelace ' });
    expect(renamed.json()).toMatchObject({ id: userId, name: 'Ada Lovelace' });
    const blank = await consoleCall('PATCH', '/v1/users/me', { name: '   ' });
    expect({ status: blank.statusCode, body: blank.json() }).toEqual({ status: 422, body: { detail: 'name must not be empty' } });
    const missing = await consoleCall('PATCH', '/v1/users/me', {});
    expect(missing.statusCode).toBe(422);
    expect((await inject('GET', '/v1/users/me', { cookie })).json().name).toBe('Ada Lovelace');
  });

  it('changes the password: checks the current one, ends the other sessions, keeps this one', async () => {
    const { session: otherSession } = { session: (await ctx.services.accounts.login(email, PASSWORD)).token };
    const wrong = await consoleCall('POST', '/v1/users/me/password', { current_password: 'not it', new_password: 'a new password' });
    expect({ status: wrong.statusCode, body: wrong.json() }).toEqual({ status: 401, body: { detail: 'Current password is incorrect' } });
    const short = await consoleCall('POST', '/v1/users/me/password', { current_password: PASSWORD, new_password: 'short' });
    expect(short.statusCode).toBe(422);
    expect((await ctx.call('GET', '/v1/users/me', otherSession)).statusCode).toBe(200);

    const changed = await consoleCall('POST', '/v1/users/me/password', { current_password: PASSWORD, new_password: 'a new password' });
    expect(changed.statusCode).toBe(204);
    expect((await ctx.call('GET', '/v1/users/me', otherSession)).statusCode).toBe(401);
    expect((await inject('GET', '/v1/users/me', { cookie })).statusCode).toBe(200);
    expect((await ctx.call('POST', '/v1/auth/login', undefined, { email, password: PASSWORD })).statusCode).toBe(401);
    expect((await ctx.call('POST', '/v1/auth/login', undefined, { email, password: 'a new password' })).statusCode).toBe(200);
  });
});
