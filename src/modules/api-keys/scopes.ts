/** Developer-key scopes (omi-behaviour.md §2.4). Write scopes do not imply read scopes. */
export const SCOPES = [
  'conversations:read',
  'conversations:write',
  'memories:read',
  'memories:write',
  'action_items:read',
  'action_items:write',
  'goals:read',
  'goals:write',
] as const;

export type Scope = (typeof SCOPES)[number];

/** What a key gets when created without `scopes`, and what a key stored without scopes means. */
export const DEFAULT_SCOPES: readonly Scope[] = ['conversations:read', 'memories:read', 'action_items:read', 'goals:read'];

export const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value);

export const effectiveScopes = (stored: readonly string[] | null): readonly string[] => stored ?? DEFAULT_SCOPES;

/** Python's list repr, as upstream embeds it in the 400 detail. */
export const availableScopesText = (): string => `[${SCOPES.map((s) => `'${s}'`).join(', ')}]`;
