// The web console: web/src compiled by esbuild (Preact, JSX) into <outdir>/web — index.html and
// content-hashed files under assets/ — which the server serves at / (src/http/routes/console.routes.ts).
//
//   import { buildConsole } from './web/build.mjs'; await buildConsole('dist/web');
import { build } from 'esbuild';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

const page = (script, style) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>Omi console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/${style}">
<script type="module" src="/assets/${script}"></script>
</head>
<body>
<noscript>The Omi console needs JavaScript.</noscript>
<div id="app"></div>
</body>
</html>
`;

/** Builds the console into `outdir` (replacing what an earlier build left); returns the files' names. */
export async function buildConsole(outdir) {
  const out = resolve(outdir);
  const assets = join(out, 'assets');
  await rm(out, { recursive: true, force: true });
  await mkdir(assets, { recursive: true });
  const result = await build({
    absWorkingDir: here,
    entryPoints: { app: join(here, 'src', 'main.tsx') },
    outdir: assets,
    entryNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    target: 'es2020',
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const names = Object.keys(result.metafile.outputs).map((file) => basename(file));
  const script = names.find((name) => name.endsWith('.js'));
  const style = names.find((name) => name.endsWith('.css'));
  if (!script || !style) throw new Error('console build produced no script or stylesheet');
  await writeFile(join(out, 'index.html'), page(script, style));
  const files = await readdir(assets);
  return { outdir: relative(process.cwd(), out) || '.', script, style, files };
}
