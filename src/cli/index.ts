import { Command, CommanderError, type HelpContext } from 'commander';
// Inlined by the production build (scripts/build.mjs), so dist/cli.js needs no package.json beside it.
import pkg from '../../package.json' with { type: 'json' };
import { isEntryPoint } from '../lib/entry-point.ts';
import { AppError } from '../lib/errors.ts';
import { registerBackupCommands } from './backup.command.ts';
import { CliContext, type CliIo } from './context.ts';
import { registerExportCommand } from './export.command.ts';
import { registerImportCommand } from './import.command.ts';
import { registerJobsCommands } from './jobs.command.ts';
import { registerKeysCommands } from './keys.command.ts';
import { registerMcpCommand } from './mcp.command.ts';
import { registerMcpKeysCommands } from './mcp-keys.command.ts';
import { registerMigrateCommand } from './migrate.command.ts';
import { registerMigrateDataCommand } from './migrate-data.command.ts';
import { registerReindexCommand } from './reindex.command.ts';
import { registerServeCommand } from './serve.command.ts';
import { registerUsersCommands } from './users.command.ts';

const commandPath = (command: Command): string =>
  command.parent ? `${commandPath(command.parent)} ${command.name()}` : command.name();

/** Commander prints the whole usage when a group runs without a subcommand; keep errors to one line. */
class OmiCommand extends Command {
  override createCommand(name?: string): Command {
    return new OmiCommand(name);
  }

  override help(context?: HelpContext | ((text: string) => string)): never {
    if (typeof context === 'object' && context.error) {
      this.error(`error: missing command; run '${commandPath(this)} --help' for usage`);
    }
    return super.help(context as HelpContext);
  }
}

function buildProgram(ctx: CliContext): Command {
  const program = new OmiCommand('omi-dev-api')
    .description('Self-hosted Omi Developer API: server, migrations, accounts and developer keys')
    .version(pkg.version)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void ctx.io.stdout.write(text),
      writeErr: (text) => void ctx.io.stderr.write(text),
    });
  // Subcommands copy the output and exit settings, so they are added after them.
  registerServeCommand(program, ctx);
  registerMigrateCommand(program, ctx);
  registerMigrateDataCommand(program, ctx);
  registerReindexCommand(program, ctx);
  registerUsersCommands(program, ctx);
  registerKeysCommands(program, ctx);
  registerMcpCommand(program, ctx);
  registerMcpKeysCommands(program, ctx);
  registerJobsCommands(program, ctx);
  registerExportCommand(program, ctx);
  registerImportCommand(program, ctx);
  registerBackupCommands(program, ctx);
  return program;
}

/** Expected failures (bad input, unknown account, bad config) as one line; never a stack trace. */
function describe(error: unknown): string {
  const text =
    error instanceof AppError && typeof error.detail !== 'string'
      ? JSON.stringify(error.detail)
      : error instanceof Error
        ? error.message
        : String(error);
  return text.replace(/\s*\n\s*/g, ' ');
}

/**
 * Runs `omi-dev-api` with the arguments after the executable name and returns the exit status.
 * `io` defaults to the process's streams and environment (with `.env` loaded).
 */
export async function runCli(argv: string[], io: Partial<CliIo> = {}): Promise<number> {
  const ctx = new CliContext({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, ...io });
  try {
    await buildProgram(ctx).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    // Commander has already printed its own message (or the help) before throwing.
    if (error instanceof CommanderError) return error.exitCode;
    ctx.io.stderr.write(`${describe(error)}\n`);
    return 1;
  }
}

// `npm run cli -- …` runs this file directly; the bin launcher imports it and calls runCli itself.
// exitCode, not exit(): `serve` resolves once listening and must keep the process alive.
if (isEntryPoint(import.meta.url)) process.exitCode = await runCli(process.argv.slice(2));
