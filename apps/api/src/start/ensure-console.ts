import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Newest modification time of the console's sources (src, public, index.html, vite config, package.json). */
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

/**
 * Builds the admin console (`pnpm --filter @salesfleet/admin build`) when `dist/index.html` is missing
 * or older than its sources; otherwise does nothing, so a normal start costs a directory walk.
 * A failed build does not stop the API: /admin/ then explains how to build it.
 */
export function ensureConsoleBuilt(distDir: string, log: (line: string) => void): ConsoleBuild {
  const index = join(distDir, 'index.html');
  const appDir = dirname(distDir);
  if (existsSync(index) && statSync(index).mtimeMs >= newestSource(appDir)) return 'fresh';
  log('Building the admin console (pnpm --filter @salesfleet/admin build)…');
  // Under `pnpm start`, npm_execpath is pnpm's own script: use it rather than trusting PATH.
  const execPath = process.env.npm_execpath;
  const [cmd, args] =
    execPath && /pnpm/.test(execPath)
      ? [process.execPath, [execPath, '--filter', '@salesfleet/admin', 'build']]
      : ['pnpm', ['--filter', '@salesfleet/admin', 'build']];
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], cwd: join(appDir, '..', '..') });
  if (result.status === 0 && existsSync(index)) return 'built';
  log('The admin console could not be built; /admin/ will say so. Run `pnpm --filter @salesfleet/admin build` to see why.');
  return 'failed';
}
