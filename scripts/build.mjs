#!/usr/bin/env node
// Production build: bundles the server (dist/main.js) and the CLI (dist/cli.js) with their
// dependencies, so a cold start reads a handful of files instead of compiling TypeScript and
// resolving thousands of modules.
//
//   node scripts/build.mjs [--if-stale] [outdir]   (outdir defaults to dist/, or OMI_BUILD_OUTDIR)
//
// `--if-stale` (what `npm start` runs) builds only when the inputs changed since the last build:
// a hash of every input file's path and content is written next to the bundles (.build-stamp)
// and compared on the next run, so a start with nothing changed skips esbuild altogether. A hash
// rather than modification times: a checkout, a copy or a `touch` changes mtimes, not content.
import { createHash } from 'node:crypto';
import { access, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const ifStale = args.includes('--if-stale');
const positional = args.filter((arg) => !arg.startsWith('--'));
const outdir = resolve(positional[0] ?? process.env.OMI_BUILD_OUTDIR ?? resolve(root, 'dist'));
const stampFile = join(outdir, '.build-stamp');

/**
 * Everything the bundles are made from (the installed packages through package-lock.json),
 * the web console's sources and build (web/) included.
 */
const INPUTS = ['src', 'web', 'package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.mjs'];

async function inputFiles(path) {
  const entries = await readdir(path, { withFileTypes: true }).catch((error) => {
    if (error.code === 'ENOTDIR') return undefined;
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries === undefined) return [path];
  const nested = await Promise.all(entries.map((entry) => inputFiles(join(path, entry.name))));
  return nested.flat();
}

async function inputsHash() {
  const files = (await Promise.all(INPUTS.map((input) => inputFiles(resolve(root, input))))).flat().sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(root, file)).update('\0').update(await readFile(file)).update('\0');
  return hash.digest('hex');
}

async function upToDate(hash) {
  const stamp = await readFile(stampFile, 'utf8').catch(() => undefined);
  if (stamp?.trim() !== hash) return false;
  const outputs = ['main.js', 'cli.js', join('web', 'index.html')];
  const present = await Promise.all(outputs.map((file) => access(join(outdir, file)).then(() => true, () => false)));
  return present.every(Boolean);
}

const hash = await inputsHash();
if (ifStale && (await upToDate(hash))) {
  console.log(`${relative(process.cwd(), outdir) || '.'} is up to date (sources unchanged since the last build)`);
  process.exit(0);
}
// A build that fails half-way must not leave a stamp vouching for the old bundles.
await rm(stampFile, { force: true });
// Loaded only when a build is needed: importing esbuild is a good part of a skipped build's cost.
const { build } = await import('esbuild');

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
// The web console (web/), served by the server at /: its own entry point, into <outdir>/web.
const { buildConsole } = await import('../web/build.mjs');
await buildConsole(join(outdir, 'web'));

// The hash of the inputs as they were when the build started: a source edited during the build
// leaves a stale stamp, so the next `--if-stale` run builds again.
await writeFile(stampFile, `${hash}\n`);
