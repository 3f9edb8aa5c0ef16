import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from './build.js';
import { isFresh, readManifest, REPO_ROOT } from './manifest.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const made: string[] = [];

/**
 * A small app inside this package (so that its bare imports resolve from packages/build/node_modules,
 * as an app's do from its own): a relative import, a lazy `import()`, an external package (esbuild,
 * this package's dependency) and `import.meta.url`.
 */
function fixtureApp(): string {
  const appDir = mkdtempSync(join(packageDir, '.fixture-'));
  made.push(appDir);
  mkdirSync(join(appDir, 'src'));
  mkdirSync(join(appDir, 'bin'));
  writeFileSync(join(appDir, 'package.json'), '{ "name": "fixture-app", "type": "module" }\n');
  writeFileSync(join(appDir, 'src', 'greeting.ts'), "export const greeting = (name: string): string => 'hello ' + name;\n");
  writeFileSync(join(appDir, 'src', 'lazy.ts'), "import { version } from 'esbuild';\nexport const esbuildVersion: string = version;\n");
  writeFileSync(
    join(appDir, 'src', 'main.ts'),
    [
      "import { greeting } from './greeting';",
      'const here: string = import.meta.url;',
      "const { esbuildVersion } = await import('./lazy');",
      'process.stdout.write(JSON.stringify({ text: greeting(process.argv[2] ?? "?"), here, esbuildVersion }));',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(appDir, 'bin', 'run.js'),
    `import { launch } from ${JSON.stringify(join(packageDir, 'src', 'index.js'))};\nawait launch(new URL('..', import.meta.url));\n`,
  );
  return appDir;
}

function run(appDir: string, arg: string): { text: string; here: string; esbuildVersion: string } {
  return JSON.parse(execFileSync(process.execPath, [join(appDir, 'bin', 'run.js'), arg], { encoding: 'utf8' }));
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('buildApp and launch', () => {
  it('builds on first launch, runs the compiled app, keeps import.meta.url pointing at the source and loads externals from node_modules', () => {
    const appDir = fixtureApp();
    expect(readManifest(appDir)).toBeNull();
    const out = run(appDir, 'world');
    expect(out.text).toBe('hello world');
    expect(out.here).toBe(`file://${join(appDir, 'src', 'main.ts')}`);
    expect(out.esbuildVersion).toMatch(/^\d+\.\d+\.\d+$/);
    const manifest = readManifest(appDir);
    expect(manifest).not.toBeNull();
    expect(isFresh(appDir, manifest!)).toBe(true);
    expect(manifest!.inputs).toEqual(expect.arrayContaining([expect.stringMatching(/src\/greeting\.ts$/), 'pnpm-lock.yaml']));
    // The lazy import is its own chunk; the external is imported by path, not bundled.
    const files = readdirSync(join(appDir, 'dist', manifest!.id)).filter((f) => f.endsWith('.js'));
    expect(files.length).toBeGreaterThan(1);
  });

  it('rebuilds when a source changed after the build, and not otherwise', async () => {
    const appDir = fixtureApp();
    const first = await buildApp({ appDir });
    expect(run(appDir, 'a').text).toBe('hello a');
    expect(readManifest(appDir)!.id).toBe(first.id);

    writeFileSync(join(appDir, 'src', 'greeting.ts'), "export const greeting = (name: string): string => 'bonjour ' + name;\n");
    expect(isFresh(appDir, first)).toBe(false);
    expect(run(appDir, 'b').text).toBe('bonjour b');
    const second = readManifest(appDir)!;
    expect(second.id).not.toBe(first.id);
    expect(isFresh(appDir, second)).toBe(true);
  });

  it('a source that no longer exists makes the build stale', async () => {
    const appDir = fixtureApp();
    const manifest = await buildApp({ appDir });
    rmSync(join(appDir, 'src', 'lazy.ts'));
    expect(isFresh(appDir, manifest)).toBe(false);
  });

  it('a build error is reported and leaves the current build in place', async () => {
    const appDir = fixtureApp();
    const good = await buildApp({ appDir });
    writeFileSync(join(appDir, 'src', 'greeting.ts'), 'export const greeting = (;\n');
    await expect(buildApp({ appDir })).rejects.toThrow(/greeting\.ts/);
    expect(readManifest(appDir)!.id).toBe(good.id);
    expect(readdirSync(join(appDir, 'dist')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it("the API's bundle (pnpm start, which runs fleet migrate jobs) has the fleet migration worker: its spawner names the compiled entry, which starts", async () => {
    const appDir = join(REPO_ROOT, 'apps', 'api');
    const manifest = await buildApp({ appDir });
    const dir = join(appDir, 'dist', manifest.id);
    const entry = join(dir, 'migrate-worker.js');
    expect(existsSync(entry)).toBe(true);
    const chunks = readdirSync(dir)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(dir, f), 'utf8'));
    expect(chunks.filter((c) => c.includes('new URL("./migrate-worker.js", import.meta.url)'))).toHaveLength(1);
    // Started as MigrateWorkers does: its first message says it loaded the database layer and is ready.
    const worker = new Worker(pathToFileURL(entry));
    try {
      const first = await new Promise<unknown>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`the worker exited (${code})`)));
      });
      expect(first).toMatchObject({ id: 0, ok: true });
    } finally {
      await worker.terminate();
    }
  });
});
