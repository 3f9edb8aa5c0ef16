import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Newest modification time of a web app's sources (src, public, index.html, vite config, package.json). */
function newestSource(appDir: string): number {
  let newest = 0;
  const visit = (path: string) => {
    let s;
    try {
      s = statSync(path);
    } catch {
      return;
    }
    if (s.isDirectory()) {
      for (const entry of readdirSync(path))
        if (entry !== 'node_modules' && !entry.endsWith('.test.ts') && !entry.endsWith('.test.tsx')) visit(join(path, entry));
    } else if (s.mtimeMs > newest) newest = s.mtimeMs;
  };
  for (const p of ['src', 'public', 'index.html', 'vite.config.ts', 'package.json']) visit(join(appDir, p));
  return newest;
}

export type ConsoleBuild = 'fresh' | 'built' | 'failed' | 'skipped';

export interface WebApp {
  /** What to call it in a message: "the admin console". */
  title: string;
  /** Its package: `@salesfleet/admin`. */
  filter: string;
  /** Where it is answered when not built: `/admin/`. */
  url: string;
}

export const ADMIN_CONSOLE: WebApp = { title: 'the admin console', filter: '@salesfleet/admin', url: '/admin/' };
export const TENANT_WORKSPACE: WebApp = { title: 'the workspace app', filter: '@salesfleet/workspace', url: 'every workspace' };

/**
 * Builds a web app (`pnpm --filter <package> build`) when `dist/index.html` is missing or older than
 * its sources or than the shared @salesfleet/ui package; otherwise does nothing, so a normal start
 * costs a directory walk. A failed build does not stop the API: the app's URL then explains how to build it.
 */
export function ensureConsoleBuilt(distDir: string, log: (line: string) => void, app: WebApp = ADMIN_CONSOLE): ConsoleBuild {
  const index = join(distDir, 'index.html');
  const appDir = dirname(distDir);
  const sharedUi = join(appDir, '..', '..', 'packages', 'ui');
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(newestSource(appDir), newestSource(sharedUi))) return 'fresh';
  log(`Building ${app.title} (pnpm --filter ${app.filter} build)…`);
  // Under `pnpm start`, npm_execpath is pnpm's own script: use it rather than trusting PATH.
  const execPath = process.env.npm_execpath;
  const [cmd, args] =
    execPath && /pnpm/.test(execPath)
      ? [process.execPath, [execPath, '--filter', app.filter, 'build']]
      : ['pnpm', ['--filter', app.filter, 'build']];
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], cwd: join(appDir, '..', '..') });
  if (result.status === 0 && existsSync(index)) return 'built';
  log(
    `${app.title[0]!.toUpperCase()}${app.title.slice(1)} could not be built; ${app.url} will say so. Run \`pnpm --filter ${app.filter} build\` to see why.`,
  );
  return 'failed';
}
