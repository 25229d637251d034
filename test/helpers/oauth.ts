import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { TestContext } from './context.ts';

/** Shared steps of the MCP OAuth suites: a client, the user's consent, the token endpoint. */
export const BASE = 'https://omi.example.com';
export const REDIRECT = 'https://client.example/callback';
export const SCOPES = ['memories.read', 'memories.write', 'conversations.read', 'action_items.read', 'action_items.write', 'goals.read',
  'chat.read', 'screen_activity.read', 'people.read', 'calendar.read'];

export const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

export const json = (response: { body: string }) => JSON.parse(response.body) as Record<string, unknown>;

export const qs = (params: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();

export function authParams(clientId: string, challenge: string, extra: Record<string, string | undefined> = {}) {
  return { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 's1', ...extra };
}

export const expectProblem = (response: { statusCode: number; body: string }, status: number, error: string, description?: string) => {
  expect(response.statusCode, response.body).toBe(status);
  expect(json(response).error).toBe(error);
  if (description !== undefined) expect(json(response).error_description).toBe(description);
};

/** The steps, against the suite's context and signed-in user (set in its beforeAll). */
export function oauthSteps(state: { ctx?: TestContext; session?: string }) {
  let address = 0;
  const ctx = () => state.ctx!;

  /** Registers from an address of its own, so that only the rate-limit test meets the limit. */
  const register = (body: unknown) =>
    ctx().app.inject({
      method: 'POST',
      url: '/register',
      remoteAddress: `10.0.${Math.floor(++address / 250)}.${address % 250}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });

  const publicClient = async (redirect = REDIRECT): Promise<string> => {
    const response = await register({ client_name: 'Public', redirect_uris: [redirect], token_endpoint_auth_method: 'none' });
    return json(response).client_id as string;
  };

  /** The user approves; returns the code from the redirect. */
  const approve = async (params: Record<string, string | undefined>, token = state.session): Promise<string> => {
    const response = await ctx().call('POST', '/authorize', token, { ...params, approve: true });
    expect(response.statusCode, response.body).toBe(200);
    return new URL(json(response).redirect_uri as string).searchParams.get('code')!;
  };

  const token = (body: Record<string, string>, form = true) =>
    ctx().app.inject({
      method: 'POST',
      url: '/token',
      headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
      payload: form ? new URLSearchParams(body).toString() : JSON.stringify(body),
    });

  /** A full authorization for a fresh public client: its id, the code and the token response. */
  const authorized = async (scope?: string, resource?: string) => {
    const clientId = await publicClient();
    const { verifier, challenge } = pkce();
    const code = await approve(authParams(clientId, challenge, { scope, resource }));
    const response = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier });
    expect(response.statusCode, response.body).toBe(200);
    return { clientId, verifier, code, tokens: json(response) as { access_token: string; refresh_token: string; scope: string } };
  };

  /** tools/list on an MCP endpoint with a bearer token. */
  const mcp = (path: string, accessToken: string) =>
    ctx().app.inject({
      method: 'POST',
      url: path,
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
      payload: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });

  return { register, publicClient, approve, token, authorized, mcp };
}
