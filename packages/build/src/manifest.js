/**
 * The build's record, read on every start: `dist/current.json` names the current build
 * (`dist/<id>/main.js`) and every file it was made from, so "is it stale?" is one stat per input —
 * no compiler is loaded when the build is fresh.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is packages/build/src/manifest.js). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/**
 * @typedef {object} Manifest
 * @property {string} id the build's folder under dist/
 * @property {string} entry the entry file in that folder (main.js)
 * @property {number} builtAt when the build started (ms since the epoch); an input changed after it makes the build stale
 * @property {string[]} inputs every file the build read, relative to the repository root (sources, package.json files, the lockfile)
 */

/** @param {string} appDir */
export function distDir(appDir) {
  return join(appDir, 'dist');
}

/** @param {string} appDir @returns {Manifest | null} */
export function readManifest(appDir) {
  try {
    return /** @type {Manifest} */ (JSON.parse(readFileSync(join(distDir(appDir), 'current.json'), 'utf8')));
  } catch {
    return null; // no build yet (or a half-written one from an older layout): build
  }
}

/**
 * Fresh when the built entry exists and no input is missing or newer than the build.
 * @param {string} appDir @param {Manifest} manifest
 */
export function isFresh(appDir, manifest) {
  if (!existsSync(join(distDir(appDir), manifest.id, manifest.entry))) return false;
  for (const input of manifest.inputs) {
    let mtime;
    try {
      mtime = statSync(join(REPO_ROOT, input)).mtimeMs;
    } catch {
      return false; // a source was removed or renamed: what imported it changed too
    }
    if (mtime > manifest.builtAt) return false;
  }
  return true;
}
