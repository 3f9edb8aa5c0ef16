#!/usr/bin/env node
// `salesfleet-build [app folder]` (the `build` script of apps/api and apps/cli): compiles the app in
// the current folder into dist/<id>/ and makes it the current build.
import { resolve } from 'node:path';
import { buildApp } from '../src/build.js';

const appDir = resolve(process.argv[2] ?? '.');
const started = performance.now();
try {
  const manifest = await buildApp({ appDir });
  process.stdout.write(
    `built ${appDir}/dist/${manifest.id} (${manifest.inputs.length} inputs) in ${Math.round(performance.now() - started)} ms\n`,
  );
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
