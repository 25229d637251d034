import type { Command } from 'commander';
import { MIN_PASSWORD_LENGTH } from '../modules/accounts/accounts.service.ts';
import type { User } from '../modules/accounts/accounts.types.ts';
import { CliError, requireAccount, type CliContext } from './context.ts';
import { promptHidden } from './prompt.ts';
import { formatTable } from './table.ts';

export const NEW_USER_PASSWORD_ENV = 'OMI_NEW_USER_PASSWORD';

interface CreateOptions {
  email: string;
  name: string;
  password?: string;
  json?: boolean;
}

/** --password, else OMI_NEW_USER_PASSWORD, else a no-echo prompt on a terminal, else an error. */
async function resolvePassword(ctx: CliContext, given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  const fromEnv = ctx.env(NEW_USER_PASSWORD_ENV);
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!ctx.io.stdin.isTTY) {
    throw new CliError(`No password given: pass --password, set ${NEW_USER_PASSWORD_ENV}, or run in a terminal`);
  }
  const password = await promptHidden('Password: ', ctx.io.stdin, ctx.io.stderr);
  if (password.length < MIN_PASSWORD_LENGTH) return password; // the service words the error
  const again = await promptHidden('Repeat password: ', ctx.io.stdin, ctx.io.stderr);
  if (again !== password) throw new CliError('Passwords do not match');
  return password;
}

export function registerUsersCommands(program: Command, ctx: CliContext): void {
  const users = program.command('users').description('manage accounts');

  users
    .command('create')
    .description('create an account and print its id')
    .requiredOption('--email <email>', 'login email (unique, case-insensitive)')
    .requiredOption('--name <name>', 'display name (speaker name of the account’s own transcript segments)')
    .option('--password <password>', `at least ${MIN_PASSWORD_LENGTH} characters; else ${NEW_USER_PASSWORD_ENV}, else a prompt`)
    .option('--json', 'print {"id","email","name","created_at"}')
    .action(async (options: CreateOptions) => {
      if (options.name.trim() === '') throw new CliError('name must not be empty');
      const password = await resolvePassword(ctx, options.password);
      const user = await ctx.withServices((services) =>
        services.accounts.createUser({ email: options.email, name: options.name, password }),
      );
      if (options.json) ctx.printJson(presentUser(user));
      else ctx.print(user.id);
    });

  registerAccountAdminCommands(users, ctx);
}

const presentUser = (user: User) => ({ id: user.id, email: user.email, name: user.name, created_at: user.createdAt });

/** `users list|delete|set-password|rename`: the operator's account maintenance. */
function registerAccountAdminCommands(users: Command, ctx: CliContext): void {
  users
    .command('list')
    .description('list every account, oldest first')
    .option('--json', 'print an array of {"id","email","name","created_at"}')
    .action(async (options: { json?: boolean }) => {
      const list = await ctx.withServices((services) => services.accounts.list());
      if (options.json) return ctx.printJson(list.map(presentUser));
      if (list.length === 0) return ctx.print('No accounts');
      for (const line of formatTable(['ID', 'EMAIL', 'NAME', 'CREATED'], list.map((u) => [u.id, u.email, u.name, u.createdAt]))) ctx.print(line);
    });

  users
    .command('delete')
    .description('delete an account and everything it owns (keys, sessions, memories, conversations, jobs); cannot be undone')
    .requiredOption('--email <email>', 'email of the account')
    .option('--yes', 'confirm the deletion (required)')
    .option('--json', 'print {"id","email","deleted":true}')
    .action(async (options: { email: string; yes?: boolean; json?: boolean }) => {
      if (!options.yes) throw new CliError(`Deleting ${options.email} removes all of its data; add --yes to confirm`);
      const user = await ctx.withServices(async (services) => {
        const found = await requireAccount(services, options.email);
        if (!(await services.accounts.delete(found.id))) throw new CliError(`No account with email ${options.email}`);
        return found;
      });
      if (options.json) ctx.printJson({ id: user.id, email: user.email, deleted: true });
      else ctx.print(`Deleted ${user.email} (${user.id})`);
    });

  users
    .command('set-password')
    .description('set a new password for an account; every session of the account ends')
    .requiredOption('--email <email>', 'email of the account')
    .option('--password <password>', `at least ${MIN_PASSWORD_LENGTH} characters; else ${NEW_USER_PASSWORD_ENV}, else a prompt`)
    .option('--json', 'print {"id","email","password_set":true}')
    .action(async (options: { email: string; password?: string; json?: boolean }) => {
      const user = await ctx.withServices(async (services) => {
        const found = await requireAccount(services, options.email);
        await services.accounts.setPassword(found.id, await resolvePassword(ctx, options.password));
        return found;
      });
      if (options.json) ctx.printJson({ id: user.id, email: user.email, password_set: true });
      else ctx.print(`Password set for ${user.email}; its sessions have ended`);
    });

  users
    .command('rename')
    .description('change an account’s display name (the speaker name of its own transcript segments)')
    .requiredOption('--email <email>', 'email of the account')
    .requiredOption('--name <name>', 'the new name')
    .option('--json', 'print {"id","email","name","created_at"}')
    .action(async (options: { email: string; name: string; json?: boolean }) => {
      const user = await ctx.withServices(async (services) => services.accounts.rename((await requireAccount(services, options.email)).id, options.name));
      if (options.json) ctx.printJson(presentUser(user));
      else ctx.print(`Renamed ${user.email} to ${user.name}`);
    });
}
