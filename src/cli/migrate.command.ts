import type { Command } from 'commander';
import { openStorage } from '../storage/index.ts';
import type { CliContext } from './context.ts';

export function registerMigrateCommand(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('apply pending database migrations (OMI_DATABASE_URL) and exit')
    .option('--json', 'print {"applied":[…names]}')
    .action(async (options: { json?: boolean }) => {
      const storage = await openStorage(ctx.loadConfig().databaseUrl); // opening storage is what migrates it
      const applied = [...storage.appliedMigrations];
      await storage.close();
      if (options.json) return ctx.printJson({ applied });
      if (applied.length === 0) ctx.print('Database is up to date');
      else for (const name of applied) ctx.print(`Applied ${name}`);
    });
}
