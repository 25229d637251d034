/**
 * Upstream's Developer API rate-limit policies (omi-behaviour.md §3): requests per hour, per key.
 * The effective limit is the base times OMI_RATE_LIMIT_MULTIPLIER (floor 1); 0 disables limits.
 */
export const POLICIES = {
  'dev:memories_read': 120,
  'dev:memories': 120,
  'dev:memories_batch': 15,
  'dev:conversations_read': 60,
  'dev:conversation_detail_read': 60,
  'dev:conversation_transcript_read': 25,
  'dev:conversations': 25,
  'dev:ask': 25,
  'dev:action_items_read': 120,
  'dev:action_items_write': 120,
  'dev:goals_read': 120,
  'dev:goals_write': 120,
  // Upstream's value is not published; it guards a cheap introspection route.
  'dev:key_read': 120,
  // The hosted MCP server's transport (§14.1), per user rather than per key.
  'mcp:sse': 2000,
  // The MCP REST routes under /v1/mcp/* (§14.1, §14.4), per MCP key.
  'mcp:read': 300,
  'mcp:memories_read': 120,
  'mcp:memories_write': 120,
  'memories:create': 60,
  'action_items:write': 120,
  // MCP OAuth dynamic client registration (POST /register), per client address.
  'oauth:register': 20,
  // Receivers of the Omi app's developer webhooks, per receiver token: live transcripts arrive
  // about once a second while the app records (3,600 an hour), so twice that leaves headroom.
  'receivers:deliver': 7200,
} as const;

export type PolicyName = keyof typeof POLICIES;

export const WINDOW_SECONDS = 3600;

export function effectiveLimit(policy: PolicyName, multiplier: number): number {
  return Math.max(1, Math.floor(POLICIES[policy] * multiplier));
}
