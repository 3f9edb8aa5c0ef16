/**
 * Compiles one app (apps/api, apps/cli) with esbuild: its entry and every workspace package it
 * imports (they export TypeScript sources) become ES modules in `dist/<id>/`, split at each dynamic
 * `import()` so a command loads only what it uses. Packages from node_modules stay external, imported
 * by their resolved path — the very files Node would load from the importing package, so pnpm's strict
 * layout (tenancy's `pg` is not apps/api's dependency) and native or dynamically required modules
 * (sqlite3, pg, mysql2, Sequelize's dialect loading, pino's workers) work as they do from source.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { distDir, REPO_ROOT } from './manifest.js';

/** Builds kept besides the current one (a process started from an older build may still load its chunks). */
const KEEP_BUILDS = 3;
/** A build younger than this is never removed (another process may have just started from it). */
const KEEP_YOUNG_MS = 10 * 60_000;

/** Files outside the bundle's sources that change what it is or what it loads. */
const EXTRA_INPUTS = ['pnpm-lock.yaml', 'node_modules/.modules.yaml', 'tsconfig.base.json'];

/**
 * npm packages compiled into the bundle instead of loaded from node_modules: pure ES modules of many
 * small files (zod alone is about 80), which Node would otherwise find, read and link one by one at
 * every start. Only packages that nothing outside the bundle imports (one copy of each in the process).
 */
const BUNDLED_PACKAGES = ['zod', 'hono', '@hono/node-server'];

/**
 * Worker-thread entries (a worker starts from a file of its own): each is compiled as its own entry
 * next to `main.js` (`<name>.js`, sharing the bundle's chunks). A source spawning one names it as
 * `new URL('./<source>.ts', import.meta.url)`; in the bundle that expression becomes the compiled
 * file's URL (see sourceFileUrls), so the spawner starts the compiled entry, and the source one
 * (through tsx) when run from sources.
 */
const WORKER_ENTRIES = { 'migrate-worker': 'packages/tenancy/src/provisioning/migrate-worker.ts' };

/** esbuild's plugin data marking the resolve call made by our own plugin (not to be intercepted again). */
const OWN_RESOLVE = Symbol('salesfleet-externals');

/**
 * @param {{ appDir: string, entry?: string }} options
 * @returns {Promise<import('./manifest.js').Manifest>}
 */
export async function buildApp({ appDir, entry = 'src/main.ts' }) {
  const { build } = await import('esbuild');
  const builtAt = Date.now();
  const id = `${builtAt.toString(36)}-${process.pid.toString(36)}`;
  const dist = distDir(appDir);
  const finalDir = join(dist, id);
  const tmpDir = `${finalDir}.tmp`;
  mkdirSync(dist, { recursive: true });
  let metafile;
  try {
    const result = await build({
      absWorkingDir: REPO_ROOT,
      entryPoints: {
        main: join(appDir, entry),
        ...Object.fromEntries(Object.entries(WORKER_ENTRIES).map(([name, source]) => [name, join(REPO_ROOT, source)])),
      },
      outdir: tmpDir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20.12',
      // Node's own conditions (esbuild would add "module" by default).
      conditions: [],
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'silent',
      plugins: [externalPackages(finalDir), sourceFileUrls()],
    });
    metafile = result.metafile;
  } catch (err) {
    rmSync(tmpDir, { recursive: true, force: true });
    throw err;
  }
  renameSync(tmpDir, finalDir);

  const own = [fileURLToPath(new URL('./build.js', import.meta.url)), join(appDir, 'package.json'), join(appDir, 'tsconfig.json')];
  const inputs = new Set(Object.keys(metafile.inputs));
  for (const file of [...EXTRA_INPUTS.map((f) => join(REPO_ROOT, f)), ...own]) {
    if (exists(file)) inputs.add(relative(REPO_ROOT, file));
  }
  /** @type {import('./manifest.js').Manifest} */
  const manifest = { id, entry: 'main.js', builtAt, inputs: [...inputs].sort() };
  const current = join(dist, 'current.json');
  writeFileSync(`${current}.${process.pid}`, `${JSON.stringify(manifest, null, 1)}\n`);
  renameSync(`${current}.${process.pid}`, current); // atomic: a concurrent start reads the old or the new one
  prune(dist, id);
  return manifest;
}

/** @param {string} path */
function exists(path) {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Bare imports of anything but a workspace package (`@salesfleet/*`, bundled from its sources) or one of
 * BUNDLED_PACKAGES stay
 * external, rewritten to the file esbuild resolved from the importing file (relative to the output
 * folder, so the tree can move as a whole).
 * @param {string} outDir
 * @returns {import('esbuild').Plugin}
 */
function externalPackages(outDir) {
  return {
    name: 'salesfleet-externals',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === OWN_RESOLVE) return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        if (args.path.startsWith('@salesfleet/') || BUNDLED_PACKAGES.some((p) => args.path === p || args.path.startsWith(`${p}/`)))
          return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: OWN_RESOLVE,
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        const path = relative(outDir, resolved.path).split(sep).join('/');
        return { path: path.startsWith('.') ? path : `./${path}`, external: true };
      });
    },
  };
}

/**
 * `import.meta.url` in a workspace source means that source file (apps/admin's dist-path.ts finds
 * `../dist` from it, the CLI its package.json): keep that meaning in the bundle. Except in
 * `new URL('<relative>.ts', import.meta.url)` naming one of WORKER_ENTRIES: that becomes the compiled
 * entry's URL, next to the chunk that asks (every chunk is in the build's folder).
 * @returns {import('esbuild').Plugin}
 */
function sourceFileUrls() {
  const workers = new Map(Object.entries(WORKER_ENTRIES).map(([name, source]) => [join(REPO_ROOT, source), name]));
  return {
    name: 'salesfleet-source-urls',
    setup(build) {
      build.onLoad({ filter: /\.tsx?$/ }, async (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        /** @type {string[]} */
        const compiled = [];
        const marked = text.replace(/new URL\((['"])(\.\.?\/[^'"]+\.ts)\1, import\.meta\.url\)/g, (expr, _q, rel) => {
          const name = workers.get(join(dirname(args.path), rel));
          if (!name) return expr;
          compiled.push(`new URL(${JSON.stringify(`./${name}.js`)}, import.meta.url)`);
          return `__salesfleet_worker_${compiled.length - 1}__`;
        });
        return {
          contents: marked
            .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
            .replace(/__salesfleet_worker_(\d+)__/g, (m, i) => compiled[Number(i)] ?? m),
          loader: args.path.endsWith('x') ? 'tsx' : 'ts',
        };
      });
    },
  };
}

/**
 * Removes old builds: keeps the current one, the newest KEEP_BUILDS others and anything younger than
 * KEEP_YOUNG_MS (including another process's build in progress).
 * @param {string} dist @param {string} currentId
 */
function prune(dist, currentId) {
  const now = Date.now();
  const builds = readdirSync(dist, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== currentId)
    .map((e) => ({ name: e.name, mtime: statSync(join(dist, e.name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of builds.slice(KEEP_BUILDS)) {
    if (now - old.mtime > KEEP_YOUNG_MS) rmSync(join(dist, old.name), { recursive: true, force: true });
  }
  // Left by a writer that died between write and rename.
  for (const file of readdirSync(dist)) {
    if (file.startsWith('current.json.') && now - statSync(join(dist, file)).mtimeMs > KEEP_YOUNG_MS) rmSync(join(dist, file));
  }
}

/** @param {string} appDir */
export function appName(appDir) {
  try {
    return /** @type {{ name: string }} */ (JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8'))).name;
  } catch {
    return basename(appDir);
  }
}
