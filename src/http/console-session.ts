import type { FastifyReply, FastifyRequest } from 'fastify';
import { forbidden } from '../lib/errors.ts';

/**
 * The web console's session cookie. It carries an ordinary session token (the same kind
 * `POST /v1/auth/login` returns), so sign-out, expiry and password changes treat both alike.
 * HttpOnly (page scripts never see it), SameSite=Lax, Secure when the request came over https.
 *
 * CSRF: a cookie-authenticated request with an unsafe method must carry `X-Omi-Console: 1`
 * (a header no cross-site form can send, and no cross-origin script without a CORS preflight),
 * and any Origin it carries must be this server's own, so not even an origin that CORS lets in
 * can act with the cookie. Bearer-token requests are not affected.
 */
export const CONSOLE_COOKIE = 'omi_console_session';
export const CONSOLE_HEADER = 'x-omi-console';
export const MISSING_CONSOLE_HEADER = 'Cookie-authenticated requests must send the X-Omi-Console: 1 header';
export const CROSS_SITE_REQUEST = 'Cross-site request refused';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The console session token from the Cookie header, if any. */
export function consoleCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== CONSOLE_COOKIE) continue;
    const value = part.slice(at + 1).trim();
    return value === '' ? undefined : value;
  }
  return undefined;
}

/** The first value of a header a proxy may have set (`a, b` or repeated). */
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();

/**
 * Whether the cookie gets `Secure`: `request.protocol` (X-Forwarded-Proto counts only from a peer
 * OMI_TRUST_PROXY trusts), or any X-Forwarded-Proto of https: a header can only add the flag,
 * never remove it, so an untrusted one cannot weaken the cookie.
 */
function isHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https' || first(request.headers['x-forwarded-proto']) === 'https';
}

/** The host an Origin header names, or undefined for `null` and anything unparsable. */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/**
 * Refuses a cookie-authenticated unsafe request that a cross-site page could have made. The
 * Origin must name this server: the request's Host, the Host a proxy forwarded, or the host of
 * OMI_PUBLIC_URL (none of which a cross-site page can set).
 */
export function checkConsoleRequest(request: FastifyRequest, publicUrl: string | undefined): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.origin;
  if (origin !== undefined) {
    const host = originHost(origin);
    const own = [request.headers.host, first(request.headers['x-forwarded-host']), publicUrl && originHost(publicUrl)];
    if (host === undefined || !own.includes(host)) throw forbidden(CROSS_SITE_REQUEST);
  }
  if (request.headers[CONSOLE_HEADER] !== '1') throw forbidden(MISSING_CONSOLE_HEADER);
}

/** Lives as long as the session (`maxAgeSeconds`, the configured session lifetime). */
export function setConsoleCookie(request: FastifyRequest, reply: FastifyReply, token: string, maxAgeSeconds: number): void {
  const maxAge = Math.max(0, Math.floor(maxAgeSeconds));
  const attributes = [`${CONSOLE_COOKIE}=${token}`, 'Path=/', `Max-Age=${maxAge}`, 'HttpOnly', 'SameSite=Lax'];
  if (isHttps(request)) attributes.push('Secure');
  reply.header('set-cookie', attributes.join('; '));
}

export function clearConsoleCookie(request: FastifyRequest, reply: FastifyReply): void {
  const attributes = [`${CONSOLE_COOKIE}=`, 'Path=/', 'Max-Age=0', 'HttpOnly', 'SameSite=Lax'];
  if (isHttps(request)) attributes.push('Secure');
  reply.header('set-cookie', attributes.join('; '));
}
