import type { Command } from 'commander';
import type { CliContext } from './context.ts';

export function registerReindexCommand(program: Command, ctx: CliContext): void {
  program
    .command('reindex')
    .description(
      'rebuild the keyword search index from the stored data; with OMI_EMBEDDINGS_* set, also embed every document not yet embedded',
    )
    .option('--reembed', 'discard all stored embeddings and embed everything again (e.g. after changing the model)')
    .option('--json', 'print {"documents":N,"embedded":N,"embeddings":bool}')
    .action(async (options: { reembed?: boolean; json?: boolean }) => {
      const result = await ctx.withServices(async (services) => {
        const counts = await services.search.reindex({ reembed: options.reembed === true });
        return { ...counts, embeddings: services.search.hybrid };
      });
      if (options.json) return ctx.printJson(result);
      ctx.print(`Indexed ${result.documents} documents for keyword search`);
      if (result.embeddings) ctx.print(`Embedded ${result.embedded} documents`);
      else ctx.print('Embeddings are not configured (OMI_EMBEDDINGS_*): keyword search only');
    });
}
