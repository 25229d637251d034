import { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import type { CliContext, Output } from './context.ts';
import { CliError } from './context.ts';

interface McpOptions {
  key?: string;
  url?: string;
}

const KEY_ENV = 'OMI_MCP_KEY';

/** The command's stdout as a stream the SDK can write to (tests pass a plain writer). */
function writable(output: Output): Writable {
  if (output instanceof Writable) return output;
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      output.write(chunk.toString());
      callback();
    },
  });
}

/** The `detail` of an HTTP error the hosted server answered, or the error's own message. */
function describeRemoteFailure(error: unknown, url: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const body = /\{.*\}\s*$/s.exec(message)?.[0];
  if (body) {
    try {
      const detail = (JSON.parse(body) as { detail?: unknown }).detail;
      if (typeof detail === 'string') return detail;
    } catch {
      // not a JSON error body
    }
  }
  return `Cannot connect to ${url}: ${message}`;
}

export function registerMcpCommand(program: Command, ctx: CliContext): void {
  program
    .command('mcp')
    .description('serve the MCP tools over stdio for desktop MCP clients, from the local database or bridged to a running server')
    .option('--key <key>', `an MCP API key, omi_mcp_… (default: $${KEY_ENV})`)
    .option('--url <url>', 'bridge to the MCP server of a running omi-dev-api (e.g. http://localhost:8000) instead of opening the database')
    .action(async (options: McpOptions) => {
      const key = options.key ?? ctx.env(KEY_ENV);
      if (!key) throw new CliError(`An MCP API key is required: pass --key omi_mcp_… or set ${KEY_ENV}`);
      const streams = { stdin: ctx.io.stdin as unknown as Readable, stdout: writable(ctx.io.stdout) };
      // Loaded on demand so the other commands do not pay for the MCP SDK.
      const { serveStdio, createBridgeServer } = await import('../mcp/stdio.ts');

      if (options.url === undefined) {
        const { createMcpServer } = await import('../mcp/server.ts');
        await ctx.withServices(async (services) => {
          const principal = await services.mcpKeys.authenticate(key);
          await serveStdio(createMcpServer(services, principal), streams);
        });
        return;
      }

      let endpoint: URL;
      try {
        endpoint = new URL(`${options.url.replace(/\/+$/, '')}/v1/mcp/sse`);
      } catch {
        throw new CliError(`Invalid --url: ${options.url}`);
      }
      const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
      const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
      const client = new Client({ name: 'omi-dev-api-mcp-bridge', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(endpoint, {
        requestInit: { headers: { Authorization: `Bearer ${key}` } },
      });
      try {
        await client.connect(transport);
      } catch (error) {
        await client.close().catch(() => {});
        throw new CliError(describeRemoteFailure(error, endpoint.href));
      }
      try {
        await serveStdio(createBridgeServer(client), streams);
      } finally {
        await transport.terminateSession().catch(() => {});
        await client.close();
      }
    });
}
