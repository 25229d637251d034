/** Developer keys (`omi_dev_`) serve /v1/dev/*; MCP keys (`omi_mcp_`) serve /v1/mcp/*. */
export type KeyFamily = 'developer' | 'mcp';

export interface ApiKey {
  id: string;
  family: KeyFamily;
  userId: string;
  name: string;
  hashedKey: string;
  keyPrefix: string;
  /** null: a key stored without scopes, which means the read-only default. */
  scopes: string[] | null;
  createdAt: string;
  lastUsedAt: string | null;
  rotatedAt: string | null;
}
