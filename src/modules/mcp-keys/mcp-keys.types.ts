/** Who an MCP request acts for: the key's (or OAuth grant's) owner and its MCP scopes. */
export interface McpPrincipal {
  userId: string;
  keyId: string;
  scopes: readonly string[];
  /** Set when the request came with an OAuth access token rather than an MCP key. */
  oauth?: { clientId: string; grantId: string };
}

/** An MCP session (`Mcp-Session-Id`), stored so that any instance can check whose it is. */
export interface McpSession {
  id: string;
  userId: string;
  createdAt: string;
}
