/** Who an MCP request acts for: the key's owner and the key's MCP scopes. */
export interface McpPrincipal {
  userId: string;
  keyId: string;
  scopes: readonly string[];
}

/** An MCP session (`Mcp-Session-Id`), stored so that any instance can check whose it is. */
export interface McpSession {
  id: string;
  userId: string;
  createdAt: string;
}
