import type { Command } from 'commander';
import type { CliContext } from './context.ts';

export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('start the HTTP server (what `npm start` runs); stops on SIGTERM/SIGINT')
    .option('--json', 'accepted for uniformity: server logs are always JSON lines')
    .action(async () => {
      const config = ctx.loadConfig();
      // Loaded on demand so the other commands do not pay for the HTTP stack.
      const { serve } = await import('../main.ts');
      await serve(config);
    });
}
