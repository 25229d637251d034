import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import { exportJsonChunks } from '../modules/data-transfer/export.ts';
import { writeMarkdownVault } from '../modules/data-transfer/markdown.ts';
import { CliError, requireAccount, type CliContext } from './context.ts';

interface ExportOptions {
  email: string;
  format: string;
  out: string;
  json?: boolean;
}

export function registerExportCommand(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .summary("write everything of an account to a file (JSON) or a folder (Markdown vault)")
    .description(
      'write everything of account E: --format json is one lossless document (what `import --file` reads back); ' +
        '--format markdown is a folder of notes for Obsidian (conversations, daily notes, memories, action items, goals)',
    )
    .requiredOption('--email <email>', 'the account to export')
    .requiredOption('--out <path>', 'the file (json) or folder (markdown) to write')
    .option('--format <format>', 'json or markdown', 'json')
    .option('--json', 'print {"format","out","counts":{…}}')
    .action(async (options: ExportOptions) => {
      if (options.format !== 'json' && options.format !== 'markdown') {
        throw new CliError(`--format must be json or markdown, got "${options.format}"`);
      }
      const out = resolve(options.out);
      const counts = await ctx.withServices(async (services, storage) => {
        const user = await requireAccount(services, options.email);
        if (options.format === 'markdown') return writeMarkdownVault(storage, user, out);
        const counts = {};
        // Written beside the target and renamed into place: a failed export never leaves half a file.
        const partial = `${out}.partial-${process.pid}`;
        await mkdir(dirname(out), { recursive: true });
        try {
          await pipeline(Readable.from(exportJsonChunks(storage, user, new Date(), { counts })), createWriteStream(partial));
          await rename(partial, out);
        } catch (error) {
          await rm(partial, { force: true });
          throw error;
        }
        return counts;
      });
      if (options.json) return ctx.printJson({ format: options.format, out, counts });
      const summary = Object.entries(counts).map(([name, n]) => `${n} ${name.replace('_', ' ')}`).join(', ');
      ctx.print(`Exported ${options.email} to ${out}: ${summary}`);
    });
}
