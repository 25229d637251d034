/** Builds the console into `outdir` (replacing what an earlier build left); returns the files' names. */
export function buildConsole(outdir: string): Promise<{ outdir: string; script: string; style: string; files: string[] }>;
