/**
 * `tsx src/profile/sqlite-check.ts [n]` — the per-tenant cost of `migrate-tenants --check` on SQLite,
 * step by step: openSequelize, the status SELECT (opens the file, WAL pragmas), close (checkpoint),
 * against the same SELECT through one raw sqlite3 connection per file.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { migrationStatus } from '@salesfleet/migrations';
import { openSequelize } from '@salesfleet/tenancy';
import { Fixtures } from '../lib/fixtures';
import { RunContext, runScale } from '../lib/run-context';
import { median, round } from '../lib/stats';

const n = Number(process.argv[2] ?? 50);
const ctx = new RunContext(runScale(true));
ctx.cleanup.installSignalHandlers();
try {
  const template = await new Fixtures(ctx).sqliteTemplate();
  const dataDir = ctx.subdir('check');
  mkdirSync(join(dataDir, 'tenants'));
  for (let i = 0; i < n; i++) copyFileSync(template.source, join(dataDir, 'tenants', `c${i}.sqlite`));
  const t: Record<string, number[]> = {};
  for (let i = 0; i < n; i++) {
    let t0 = performance.now();
    const step = (k: string) => {
      const now = performance.now();
      (t[k] ??= []).push(now - t0);
      t0 = now;
    };
    const sequelize = openSequelize(
      { engine: 'sqlite', database: `tenants/c${i}.sqlite`, host: null, port: null, user: null, password: null },
      { dataDir, tenant: true, poolMax: 1 },
    );
    step('new Sequelize (openSequelize)');
    await migrationStatus(sequelize, 'tenant');
    step('status SELECT (opens the file)');
    await migrationStatus(sequelize, 'tenant');
    step('status SELECT again');
    await sequelize.close();
    step('close');
  }
  for (let i = 0; i < n; i++) {
    let t0 = performance.now();
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const d = new sqlite3.Database(join(dataDir, 'tenants', `c${i}.sqlite`), sqlite3.OPEN_READONLY, (err) =>
        err ? reject(err) : resolve(d),
      );
    });
    await new Promise<void>((resolve, reject) => db.all('SELECT name FROM SequelizeMeta', (err) => (err ? reject(err) : resolve())));
    (t['raw sqlite3 read-only open + SELECT'] ??= []).push(performance.now() - t0);
    t0 = performance.now();
    await new Promise<void>((resolve) => db.close(() => resolve()));
    (t['raw close'] ??= []).push(performance.now() - t0);
  }
  for (const [k, xs] of Object.entries(t)) process.stdout.write(`  ${k.padEnd(36)} ${round(median(xs), 2)} ms\n`);
} finally {
  await ctx.cleanup.run();
}
