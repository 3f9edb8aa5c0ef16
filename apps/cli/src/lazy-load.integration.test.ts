import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from './testing/cli-workspace';

/**
 * Printed at exit by a module preloaded into the CLI's process: every CommonJS module it loaded (the
 * database layers are CommonJS: Sequelize, pg, sqlite3, mysql2; ES modules import them through the
 * same cache).
 */
const PRELOAD = `data:text/javascript,${encodeURIComponent(
  "import { createRequire } from 'node:module'; import { writeSync } from 'node:fs';" +
    "const cache = createRequire('/').cache;" +
    "process.on('exit', () => writeSync(2, '\\nLOADED ' + JSON.stringify(Object.keys(cache)) + '\\n'));",
)}`;

const DATABASE_LAYERS = /[\\/]node_modules[\\/](sequelize|pg|sqlite3|mysql2|umzug)[\\/]/;

let cwd: string;

function loaded(args: string[]): Promise<{ code: number; modules: string[] }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', PRELOAD, BIN, ...args], { cwd, env: cleanEnv() }, (err, _stdout, stderr) => {
      const line = /\nLOADED (.*)\n/.exec(stderr);
      if (!line) return reject(new Error(`no module list (${err?.message ?? 'exit 0'}): ${stderr}`));
      resolve({ code: typeof err?.code === 'number' ? err.code : 0, modules: JSON.parse(line[1]!) as string[] });
    });
  });
}

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'salesfleet-cli-lazy-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('the CLI loads the database layers only for commands that need them (compiled bin)', () => {
  it.each([
    ['--help'],
    ['--version'],
    ['create-tenant', '--help'],
    ['list-tenants', '--help'],
    ['migrate-tenants', '--help'],
    ['lst-tenants'],
  ])('%s loads no Sequelize, pg, sqlite3, mysql2 or Umzug', async (...args) => {
    const run = await loaded(args);
    expect(run.modules.filter((m) => DATABASE_LAYERS.test(m))).toEqual([]);
  });

  it('a command that opens the registry does load them (the check above can see them)', async () => {
    const run = await loaded(['init']); // creates ./data/registry.sqlite in this folder
    expect(run.code).toBe(0);
    expect(run.modules.some((m) => /[\\/]node_modules[\\/]sequelize[\\/]/.test(m))).toBe(true);
    // The PostgreSQL and MySQL clients wait for a database of theirs (this set-up is SQLite files).
    expect(run.modules.filter((m) => /[\\/]node_modules[\\/](pg|mysql2)[\\/]/.test(m))).toEqual([]);
  });

  it('list-tenants reads the registry through sqlite3 alone: no Sequelize, pg, mysql2 or Umzug', async () => {
    const run = await loaded(['list-tenants']); // on the registry `init` made above
    expect(run.code).toBe(0);
    expect(run.modules.filter((m) => /[\\/]node_modules[\\/](sequelize|pg|mysql2|umzug)[\\/]/.test(m))).toEqual([]);
    expect(run.modules.some((m) => /[\\/]node_modules[\\/]sqlite3[\\/]/.test(m))).toBe(true);
  });
});
