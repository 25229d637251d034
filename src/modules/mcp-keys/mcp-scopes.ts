/**
 * MCP-key scopes (omi-behaviour.md §14.1), dot-separated unlike developer scopes. Every MCP key
 * holds all of them: a `scopes` list given at creation is validated, then widened to the full set.
 */
export const MCP_SCOPES = [
  'memories.read',
  'memories.write',
  'conversations.read',
  'action_items.read',
  'action_items.write',
  'goals.read',
  'chat.read',
  'people.read',
] as const;

export const isMcpScope = (value: string): boolean => (MCP_SCOPES as readonly string[]).includes(value);

/** Python's list repr, as upstream embeds it in the 400 detail. */
export const availableMcpScopesText = (): string => `[${MCP_SCOPES.map((s) => `'${s}'`).join(', ')}]`;
