/**
 * What an app's bin runs: the compiled app from `dist/`, built first when missing or stale (a fresh
 * clone, a pull, an edit). A fresh build costs one stat per source file; esbuild is loaded only to build.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { distDir, isFresh, readManifest } from './manifest.js';

/**
 * @param {URL} appUrl the app's folder (`new URL('..', import.meta.url)` in its bin)
 * @param {{ entry?: string }} [options]
 */
export async function launch(appUrl, options = {}) {
  const appDir = fileURLToPath(appUrl);
  let manifest = readManifest(appDir);
  if (!manifest || !isFresh(appDir, manifest)) {
    const { appName, buildApp } = await import('./build.js');
    // Only on a terminal: stdout/stderr of a script (`--json`, a test) stay exactly the app's.
    if (process.stderr.isTTY) process.stderr.write(`Building ${appName(appDir)} (esbuild)…\n`);
    try {
      manifest = await buildApp({ appDir, entry: options.entry });
    } catch (err) {
      process.stderr.write(`Salesfleet could not build ${appDir}: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    }
  }
  await import(pathToFileURL(join(distDir(appDir), manifest.id, manifest.entry)).href);
}
