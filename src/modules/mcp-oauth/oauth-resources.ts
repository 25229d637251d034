import { OAuthProblem } from './oauth-problem.ts';

/** The MCP endpoints an OAuth token may be bound to (its audience). */
export const CANONICAL_MCP_PATH = '/v1/mcp';
export const LEGACY_MCP_PATH = '/v1/mcp/sse';

export const canonicalResource = (base: string): string => `${base}${CANONICAL_MCP_PATH}`;
export const legacyResource = (base: string): string => `${base}${LEGACY_MCP_PATH}`;

/** Both MCP endpoints accept both audiences: a trailing `/sse` (and slash) is stripped before comparing. */
export function sameAudience(a: string, b: string): boolean {
  const normalize = (value: string) => value.replace(/\/+$/, '').replace(/\/sse$/, '');
  return normalize(a) === normalize(b);
}

/**
 * The audience an authorization binds to: omitted → the legacy `/v1/mcp/sse` (upstream's
 * default); otherwise one of this server's two MCP endpoints, else invalid_target.
 */
export function resolveResource(base: string, requested: string | undefined): string {
  if (requested === undefined || requested === '') return legacyResource(base);
  const trimmed = requested.replace(/\/+$/, '');
  if (trimmed === canonicalResource(base) || trimmed === legacyResource(base)) return trimmed;
  throw new OAuthProblem('invalid_target', `Unknown resource; use ${canonicalResource(base)}`);
}
