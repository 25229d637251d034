#!/usr/bin/env node
// Production build: bundles the server (dist/main.js) and the CLI (dist/cli.js) with their
// dependencies, so a cold start reads a handful of files instead of compiling TypeScript and
// resolving thousands of modules.
//
//   node scripts/build.mjs [outdir]      (outdir defaults to dist/, or OMI_BUILD_OUTDIR)
import { build } from 'esbuild';
import { readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = resolve(process.argv[2] ?? process.env.OMI_BUILD_OUTDIR ?? resolve(root, 'dist'));

/**
 * @fastify/swagger-ui serves its static files (swagger-ui-dist) from `__dirname/../static`, which a
 * bundle does not have. Its code is bundled all the same (with @fastify/static and the rest, that
 * saves resolving and compiling some hundred files at start), with `__dirname` pointing at the
 * installed package, resolved when the server starts.
 */
const swaggerUiAssets = {
  name: 'swagger-ui-assets',
  setup(build) {
    const inPackage = /[\\/]node_modules[\\/]@fastify[\\/]swagger-ui[\\/](.*\.js)$/;
    build.onLoad({ filter: inPackage }, async (args) => {
      // The file's directory inside the package ('.' for index.js, 'lib' for lib/routes.js).
      const subdir = dirname(inPackage.exec(args.path)[1]).split('\\').join('/');
      const dir = `require('node:path').join(require('node:path').dirname(require.resolve('@fastify/swagger-ui/package.json')), ${JSON.stringify(subdir)})`;
      return { contents: `var __dirname = ${dir};\n${await readFile(args.path, 'utf8')}`, loader: 'js' };
    });
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/main.ts', cli: 'src/cli/index.ts' },
  outdir,
  bundle: true,
  // One build with code splitting: the CLI's `serve` command imports dist/main.js itself instead
  // of a copy of it, so each module's `import.meta.url` (and the entry-point check in src/main.ts)
  // stays its own; code shared by both entries lands in chunks next to them.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  metafile: true,
  plugins: [swaggerUiAssets],
  external: [
    // Native addon, loaded from node_modules at run time.
    'better-sqlite3',
    // Optional native driver that pg requires only when asked to; not installed.
    'pg-native',
  ],
  // Bundled CommonJS packages call require(); ESM output has none unless one is made.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});

// Chunk names carry a content hash: drop the ones an earlier build left behind.
const chunks = join(outdir, 'chunks');
const written = new Set(Object.keys(result.metafile.outputs).map((file) => resolve(root, file)));
for (const name of await readdir(chunks).catch(() => [])) {
  const file = join(chunks, name);
  if (!written.has(file)) await rm(file);
}
