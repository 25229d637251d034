import type { Command } from 'commander';
import { MIN_PASSWORD_LENGTH } from '../modules/accounts/accounts.service.ts';
import { CliError, type CliContext } from './context.ts';
import { promptHidden } from './prompt.ts';

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
      if (options.json) ctx.printJson({ id: user.id, email: user.email, name: user.name, created_at: user.createdAt });
      else ctx.print(user.id);
    });
}
