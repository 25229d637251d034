/** Wire schemas of the OAuth routes (documentation and response serialization; inputs are checked by the service). */

const open = (description: string, properties: Record<string, unknown> = {}) => ({
  description,
  type: 'object',
  additionalProperties: true,
  properties,
});

const str = { type: 'string' };
const strings = { type: 'array', items: str };
const nullableStr = { anyOf: [str, { type: 'null' }] };

const OAuthError = open('OAuth error (`{"error", "error_description", "detail"}`)', {
  error: str,
  error_description: str,
  detail: str,
});
const Detail = open('Error (`{"detail"}`)', { detail: str });

const TAGS = ['MCP OAuth'];

const PARAMS_NOTE =
  'Parameters: `response_type=code`, `client_id`, `redirect_uri` (registered, exact), `code_challenge` ' +
  '(`[A-Za-z0-9._~-]{43,128}`), `code_challenge_method=S256`, optional `state` (echoed), `scope` ' +
  '(space-separated MCP scopes; default `memories.read`) and `resource` (`<base>/v1/mcp` or `<base>/v1/mcp/sse`, the default).';

const Grant = {
  type: 'object',
  properties: {
    id: str,
    client_id: str,
    client_name: str,
    resource: str,
    scopes: strings,
    created_at: str,
    updated_at: str,
    last_used_at: nullableStr,
  },
  required: ['id', 'client_id', 'client_name', 'resource', 'scopes', 'created_at', 'updated_at', 'last_used_at'],
};

export const OAUTH_SCHEMAS = {
  protectedResource: (suffix: string, legacy: boolean) => ({
    operationId: `oauthProtectedResourceMetadata${suffix}`,
    summary: `OAuth protected-resource metadata (RFC 9728) for ${legacy ? 'the legacy /v1/mcp/sse' : 'the canonical /v1/mcp'} endpoint`,
    tags: TAGS,
    response: { 200: open('Protected-resource metadata', { resource: str, authorization_servers: strings, scopes_supported: strings }) },
  }),
  authorizationServer: {
    operationId: 'oauthAuthorizationServerMetadata',
    summary: 'OAuth authorization-server metadata (RFC 8414)',
    tags: TAGS,
    response: { 200: open('Authorization-server metadata', { issuer: str, authorization_endpoint: str, token_endpoint: str }) },
  },
  register: {
    operationId: 'oauthRegisterClient',
    summary: 'Dynamic client registration (RFC 7591)',
    description:
      'JSON body: `redirect_uris` (https, or http on a loopback host; no fragment), optional `client_name` and ' +
      '`token_endpoint_auth_method` (`none` for public clients, `client_secret_post` — the default — for confidential ones, ' +
      'which get a `client_secret`). Rate-limited per client address.',
    tags: TAGS,
    response: { 201: open('The registered client', { client_id: str, client_secret: str }), 400: OAuthError, 429: Detail },
  },
  authorize: {
    operationId: 'oauthAuthorize',
    summary: 'OAuth authorization endpoint: checks the request and sends the browser to the consent page',
    description: `${PARAMS_NOTE} A valid request redirects to \`/consent\` with the same parameters; an invalid one is a 400. The legacy \`client_id=omi\` redirects straight back with \`code=omi\`.`,
    tags: TAGS,
    response: { 302: { description: 'To the consent page (or the legacy redirect)', type: 'null' }, 400: OAuthError },
  },
  authorizationRequest: {
    operationId: 'oauthAuthorizationRequest',
    summary: 'The consent page: what an authorization request asks for',
    description: PARAMS_NOTE,
    tags: TAGS,
    response: {
      200: open('The client, the scopes, the redirect URI and the resource', {
        client: open('The client', { client_id: str, client_name: str }),
        scopes: strings,
        redirect_uri: str,
        resource: str,
      }),
      400: OAuthError,
    },
  },
  decide: {
    operationId: 'oauthDecide',
    summary: "The user's answer on the consent page",
    description: `JSON body: the authorization request's parameters and \`approve\` (boolean). ${PARAMS_NOTE}`,
    tags: TAGS,
    response: { 200: open('Where to send the browser', { redirect_uri: str }), 400: OAuthError },
  },
  token: {
    operationId: 'oauthToken',
    summary: 'OAuth token endpoint: authorization_code and refresh_token grants',
    description:
      'Form-urlencoded or JSON. `authorization_code`: `code`, `redirect_uri`, `client_id`, `code_verifier`, optional `resource`; ' +
      '`refresh_token`: `refresh_token`, `client_id`, optional `scope` (narrowing only) and `resource`. Confidential clients add ' +
      '`client_secret`; public clients send none. Refresh tokens rotate on every use.',
    tags: TAGS,
    response: {
      200: open('Tokens', { access_token: str, refresh_token: str, token_type: str, expires_in: { type: 'integer' }, scope: str }),
      400: OAuthError,
      401: OAuthError,
    },
  },
  listGrants: {
    operationId: 'listMcpOAuthGrants',
    summary: "The signed-in user's active MCP OAuth grants",
    tags: TAGS,
    response: { 200: { type: 'object', properties: { grants: { type: 'array', items: Grant } }, required: ['grants'] } },
  },
  revokeGrant: {
    operationId: 'revokeMcpOAuthGrant',
    summary: 'Revoke an MCP OAuth grant and every token it issued, at once',
    tags: TAGS,
    params: { type: 'object', properties: { grant_id: { type: 'string', maxLength: 200 } }, required: ['grant_id'] },
    response: { 204: { description: 'Revoked', type: 'null' } },
  },
};
