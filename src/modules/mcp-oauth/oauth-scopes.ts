import { OAuthProblem } from './oauth-problem.ts';

/** The MCP OAuth scopes (omi-webhooks-and-data.md §5.3), in the order they are listed and granted. */
export const OAUTH_SCOPES = [
  'memories.read',
  'memories.write',
  'conversations.read',
  'action_items.read',
  'action_items.write',
  'goals.read',
  'chat.read',
  'screen_activity.read',
  'people.read',
  'calendar.read',
] as const;

/** What an authorization request without `scope` is granted. */
export const DEFAULT_OAUTH_SCOPE = 'memories.read';

const KNOWN = new Set<string>(OAUTH_SCOPES);

/** Scopes in the canonical order, without duplicates. */
export const orderScopes = (scopes: Iterable<string>): string[] => {
  const set = new Set(scopes);
  return OAUTH_SCOPES.filter((scope) => set.has(scope));
};

/** A space-separated `scope` parameter; omitted or blank → memories.read; unknown → invalid_scope. */
export function parseScopeParam(value: string | undefined): string[] {
  const words = (value ?? '').split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return [DEFAULT_OAUTH_SCOPE];
  const unknown = words.filter((word) => !KNOWN.has(word));
  if (unknown.length > 0) {
    throw new OAuthProblem('invalid_scope', `Unknown scope: ${unknown.join(' ').slice(0, 200)}. Supported: ${OAUTH_SCOPES.join(' ')}`);
  }
  return orderScopes(words);
}
