import type { Command } from 'commander';
import type { CliContext } from './context.ts';
import { progressWanted, ProgressReporter } from './progress.ts';

export function registerReindexCommand(program: Command, ctx: CliContext): void {
  program
    .command('reindex')
    .description(
      'rebuild the keyword search index from the stored data; with OMI_EMBEDDINGS_* set, also embed every document not yet embedded',
    )
    .option('--reembed', 'discard all stored embeddings and embed everything again (e.g. after changing the model)')
    .option('--json', 'print {"documents":N,"embedded":N,"embeddings":bool}')
    .option('--progress', 'a line per step on stderr (the default when stderr is a terminal)')
    .action(async (options: { reembed?: boolean; json?: boolean; progress?: boolean }) => {
      const progress = progressWanted(ctx.io.stderr, options.progress) ? new ProgressReporter(ctx.io.stderr) : undefined;
      const result = await ctx.withServices(async (services) => {
        const counts = await services.search.reindex({
          reembed: options.reembed === true,
          onProgress: progress
            ? (p) => {
                if (p.phase === 'keyword') progress.report('keyword index', p.documents, p.documents, 'documents');
                // How many documents wait is not counted up front; how many users is.
                else progress.report('embeddings', p.embedded, undefined, 'documents', `user ${p.usersDone + 1} of ${p.users}`);
              }
            : undefined,
        });
        return { ...counts, embeddings: services.search.hybrid };
      });
      if (options.json) return ctx.printJson(result);
      ctx.print(`Indexed ${result.documents} documents for keyword search`);
      if (result.embeddings) ctx.print(`Embedded ${result.embedded} documents`);
      else ctx.print('Embeddings are not configured (OMI_EMBEDDINGS_*): keyword search only');
    });
}
