import type { Command } from 'commander';
import { presentCreatedMcpKey, presentMcpKey } from '../modules/mcp-keys/mcp-keys.presenter.ts';
import { CliError, requireAccount, type CliContext } from './context.ts';
import { formatTable } from './table.ts';

interface Common {
  email: string;
  json?: boolean;
}

export function registerMcpKeysCommands(program: Command, ctx: CliContext): void {
  const keys = program.command('mcp-keys').description('manage an account’s MCP keys (omi_mcp_…, for `omi-dev-api mcp` and /v1/mcp/sse)');

  keys
    .command('create')
    .description('create an MCP key and print it (shown only this once); it holds every MCP scope')
    .requiredOption('--email <email>', 'email of the owning account')
    .requiredOption('--name <name>', 'a label for the key')
    .option('--json', 'print the McpApiKeyCreated object')
    .action(async (options: Common & { name: string }) => {
      const { key, secret } = await ctx.withServices(async (services) => {
        const user = await requireAccount(services, options.email);
        return services.mcpKeys.create(user.id, { name: options.name });
      });
      if (options.json) return ctx.printJson(presentCreatedMcpKey(key, secret));
      ctx.print(secret);
      ctx.io.stderr.write('Store this key now: it cannot be shown again.\n');
    });

  keys
    .command('list')
    .description('list an account’s MCP keys (never the secrets)')
    .requiredOption('--email <email>', 'email of the owning account')
    .option('--json', 'print an array of McpApiKey objects')
    .action(async (options: Common) => {
      const list = await ctx.withServices(async (services) => services.mcpKeys.list((await requireAccount(services, options.email)).id));
      if (options.json) return ctx.printJson(list.map(presentMcpKey));
      if (list.length === 0) return ctx.print(`No MCP keys for ${options.email}`);
      const rows = list.map((key) => [key.id, key.name, key.keyPrefix, key.createdAt, key.lastUsedAt ?? 'never']);
      for (const line of formatTable(['ID', 'NAME', 'PREFIX', 'CREATED', 'LAST USED'], rows)) ctx.print(line);
    });

  keys
    .command('revoke')
    .description('revoke an MCP key; it stops working on the very next request')
    .argument('<key_id>', 'the key’s id (see `mcp-keys list`)')
    .requiredOption('--email <email>', 'email of the owning account')
    .option('--json', 'print {"id","revoked":true}')
    .action(async (keyId: string, options: Common) => {
      await ctx.withServices(async (services) => {
        const user = await requireAccount(services, options.email);
        const owned = (await services.mcpKeys.list(user.id)).some((key) => key.id === keyId);
        if (!owned) throw new CliError(`No MCP key ${keyId} for ${options.email}`);
        await services.mcpKeys.revoke(user.id, keyId);
      });
      if (options.json) ctx.printJson({ id: keyId, revoked: true });
      else ctx.print(`Revoked ${keyId}`);
    });
}
