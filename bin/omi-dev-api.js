#!/usr/bin/env node
// Runs the TypeScript sources directly (no build step): tsx compiles them on load.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import(new URL('../src/cli/index.ts', import.meta.url).href);
// exitCode, not exit(): `serve` resolves once listening and must keep the process alive.
process.exitCode = await runCli(process.argv.slice(2));
