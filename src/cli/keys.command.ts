import type { Command } from 'commander';
import { presentCreatedKey, presentKey } from '../modules/api-keys/api-keys.presenter.ts';
import type { ApiKey } from '../modules/api-keys/api-keys.types.ts';
import { DEFAULT_SCOPES, SCOPES } from '../modules/api-keys/scopes.ts';
import { CliError, requireAccount, type CliContext } from './context.ts';

interface Common {
  email: string;
  json?: boolean;
}

/** `a,b` → ['a','b']; blanks around commas are ignored. */
const parseScopes = (value: string): string[] =>
  value
    .split(',')
    .map((scope) => scope.trim())
    .filter((scope) => scope !== '');

function table(keys: ApiKey[]): string[] {
  const rows = keys.map((key) => {
    const wire = presentKey(key);
    const scopes = (wire.scopes ?? DEFAULT_SCOPES).join(',');
    return [wire.id, wire.name, wire.key_prefix, scopes, wire.created_at, wire.last_used_at ?? 'never'];
  });
  const all = [['ID', 'NAME', 'PREFIX', 'SCOPES', 'CREATED', 'LAST USED'], ...rows];
  const widths = all[0]!.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  return all.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
}

export function registerKeysCommands(program: Command, ctx: CliContext): void {
  const keys = program.command('keys').description('manage an account’s developer API keys');

  keys
    .command('create')
    .description('create a developer key and print it (shown only this once)')
    .requiredOption('--email <email>', 'email of the owning account')
    .requiredOption('--name <name>', 'a label for the key')
    .option('--scopes <scopes>', `comma-separated, from: ${SCOPES.join(', ')} (default: ${DEFAULT_SCOPES.join(',')})`)
    .option('--json', 'print the DevApiKeyCreated object')
    .action(async (options: Common & { name: string; scopes?: string }) => {
      const scopes = options.scopes === undefined ? undefined : parseScopes(options.scopes);
      const { key, secret } = await ctx.withServices(async (services) => {
        const user = await requireAccount(services, options.email);
        return services.apiKeys.create(user.id, { name: options.name, scopes });
      });
      if (options.json) return ctx.printJson(presentCreatedKey(key, secret));
      ctx.print(secret);
      ctx.io.stderr.write('Store this key now: it cannot be shown again.\n');
    });

  keys
    .command('list')
    .description('list an account’s developer keys (never the secrets)')
    .requiredOption('--email <email>', 'email of the owning account')
    .option('--json', 'print an array of DevApiKey objects')
    .action(async (options: Common) => {
      const list = await ctx.withServices(async (services) =>
        services.apiKeys.list((await requireAccount(services, options.email)).id),
      );
      if (options.json) return ctx.printJson(list.map(presentKey));
      if (list.length === 0) return ctx.print(`No API keys for ${options.email}`);
      for (const line of table(list)) ctx.print(line);
    });

  keys
    .command('revoke')
    .description('revoke a developer key; it stops working on the very next request')
    .argument('<key_id>', 'the key’s id (see `keys list`)')
    .requiredOption('--email <email>', 'email of the owning account')
    .option('--json', 'print {"id","revoked":true}')
    .action(async (keyId: string, options: Common) => {
      await ctx.withServices(async (services) => {
        const user = await requireAccount(services, options.email);
        // HTTP answers 204 for unknown ids; a person at a terminal wants to know about a typo.
        const owned = (await services.apiKeys.list(user.id)).some((key) => key.id === keyId);
        if (!owned) throw new CliError(`No API key ${keyId} for ${options.email}`);
        await services.apiKeys.revoke(user.id, keyId);
      });
      if (options.json) ctx.printJson({ id: keyId, revoked: true });
      else ctx.print(`Revoked ${keyId}`);
    });
}
