import { randomHex, sha256Hex } from '../../lib/crypto.ts';
import { toIso, type Clock } from '../../lib/time.ts';
import type { Storage } from '../../storage/storage.ts';
import { OAuthProblem } from './oauth-problem.ts';
import type { OAuthClient, TokenEndpointAuthMethod } from './mcp-oauth.types.ts';

/** The legacy fork's pseudo-client (§5.1): `code=omi`, the MCP key as the access token. */
export const LEGACY_CLIENT_ID = 'omi';

const BUILT_IN_EPOCH = '2025-01-01T00:00:00.000Z';

/** Upstream's allow-listed public clients (§5.3). */
export const BUILT_IN_CLIENTS: readonly OAuthClient[] = [
  {
    id: 'omi-claude-prod',
    name: 'Claude',
    redirectUris: ['https://claude.ai/api/mcp/auth_callback'],
    tokenEndpointAuthMethod: 'none',
    secretHash: null,
    createdAt: BUILT_IN_EPOCH,
  },
  ...(['omi-chatgpt-prod', 'omi-chatgpt-dev'] as const).map(
    (id): OAuthClient => ({
      id,
      name: 'ChatGPT',
      redirectUris: [],
      redirectUriPrefixes: ['https://chatgpt.com/connector/oauth/'],
      tokenEndpointAuthMethod: 'none',
      secretHash: null,
      createdAt: BUILT_IN_EPOCH,
    }),
  ),
];

const MAX_REDIRECT_URIS = 10;
const MAX_URI_LENGTH = 2000;
const MAX_NAME_LENGTH = 200;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const AUTH_METHODS: readonly TokenEndpointAuthMethod[] = ['none', 'client_secret_post'];

/** https anywhere, http only on loopback; never a fragment. Returns the problem, or undefined. */
export function redirectUriProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'redirect_uris must be non-empty strings';
  if (value.length > MAX_URI_LENGTH) return `redirect URI longer than ${MAX_URI_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `not an absolute URL: ${value.slice(0, 200)}`;
  }
  if (value.includes('#')) return 'redirect URIs must not contain a fragment';
  if (url.username !== '' || url.password !== '') return 'redirect URIs must not contain credentials';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return undefined;
  return 'redirect URIs must use https (http is allowed on loopback hosts only)';
}

/** Whether the client may be sent back to `uri`: exact match, or a built-in's https prefix. */
export function redirectAllowed(client: OAuthClient, uri: string): boolean {
  if (client.redirectUris.includes(uri)) return true;
  return (client.redirectUriPrefixes ?? []).some(
    (prefix) => uri.startsWith(prefix) && !/[#?]/.test(uri) && !uri.includes('..') && redirectUriProblem(uri) === undefined,
  );
}

export interface RegisteredClient {
  client: OAuthClient;
  /** The secret of a confidential client, shown once. */
  secret: string | undefined;
}

function stringList(body: Record<string, unknown>, field: string, allowed: readonly string[]): void {
  const value = body[field];
  if (value === undefined) return;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && allowed.includes(item))) {
    throw new OAuthProblem('invalid_client_metadata', `${field} may only contain: ${allowed.join(', ')}`);
  }
}

/** Validates RFC 7591 client metadata into what is stored. */
function parseMetadata(body: unknown): { name: string; redirectUris: string[]; method: TokenEndpointAuthMethod } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OAuthProblem('invalid_client_metadata', 'The body must be a JSON object of client metadata');
  }
  const record = body as Record<string, unknown>;
  const uris = record.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0 || uris.length > MAX_REDIRECT_URIS) {
    throw new OAuthProblem('invalid_redirect_uri', `redirect_uris must list 1 to ${MAX_REDIRECT_URIS} URIs`);
  }
  for (const uri of uris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new OAuthProblem('invalid_redirect_uri', problem);
  }
  const method = record.token_endpoint_auth_method ?? 'client_secret_post';
  if (typeof method !== 'string' || !(AUTH_METHODS as readonly string[]).includes(method)) {
    throw new OAuthProblem('invalid_client_metadata', `token_endpoint_auth_method must be one of: ${AUTH_METHODS.join(', ')}`);
  }
  stringList(record, 'grant_types', ['authorization_code', 'refresh_token']);
  stringList(record, 'response_types', ['code']);
  const name = record.client_name ?? new URL(uris[0] as string).host;
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME_LENGTH) {
    throw new OAuthProblem('invalid_client_metadata', `client_name must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
  }
  return { name: name.trim(), redirectUris: [...new Set(uris as string[])], method: method as TokenEndpointAuthMethod };
}

/** Clients: the built-ins, then the registered ones. */
export class OAuthClients {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  async find(id: string): Promise<OAuthClient | undefined> {
    const builtIn = BUILT_IN_CLIENTS.find((client) => client.id === id);
    if (builtIn) return builtIn;
    if (id.length > 200) return undefined;
    return this.storage.oauth.findClient(id);
  }

  /** Dynamic client registration (RFC 7591): any client with valid metadata gets an id. */
  async register(body: unknown): Promise<RegisteredClient> {
    const { name, redirectUris, method } = parseMetadata(body);
    const secret = method === 'client_secret_post' ? `omi_cs_${randomHex(32)}` : undefined;
    const client: OAuthClient = {
      id: `omi-dcr-${randomHex(12)}`,
      name,
      redirectUris,
      tokenEndpointAuthMethod: method,
      secretHash: secret === undefined ? null : sha256Hex(secret),
      createdAt: toIso(this.clock.now()),
    };
    await this.storage.oauth.insertClient(client);
    return { client, secret };
  }
}
