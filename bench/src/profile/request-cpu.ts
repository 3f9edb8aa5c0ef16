/**
 * `tsx src/profile/request-cpu.ts [requests] [--pg] [--profile DIR]` — CPU time per warm authenticated
 * `GET /api/products?limit=20` of the baseline app (benchmark 2's subject) and of the bare node:http +
 * driver server replaying the same SQL, on SQLite (and PostgreSQL with --pg): each server answers the
 * same fixed number of requests one at a time after a warm-up, and its process's user + system CPU
 * is divided by them. Unlike req/s this hardly moves with the machine's load (a loaded machine still
 * inflates it somewhat: compare figures of one run). With --profile, the app's CPU profile of the
 * measured requests only (no start-up) is written to DIR (summarize it with summarize-cpuprofile.ts).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { Harness, ROUTE_PATH, type RunningServer } from '../lib/harness';
import { PG_URL, pgUrlFor } from '../lib/pg';
import { RunContext, runScale } from '../lib/run-context';
import { round } from '../lib/stats';

const args = process.argv.slice(2);
const requests = Number(args.find((a) => /^\d+$/.test(a)) ?? 2000);
const withPg = args.includes('--pg');
const profileIdx = args.indexOf('--profile');
const profileDir = profileIdx >= 0 ? resolve(args[profileIdx + 1] ?? 'profiles') : null;
if (profileDir) mkdirSync(profileDir, { recursive: true });
const ROUNDS = 2;

const ctx = new RunContext(runScale(true));
ctx.cleanup.installSignalHandlers();
const h = new Harness(ctx);
const host = 'floor.localhost';

async function cpuPerRequest(server: RunningServer, token: string, n: number): Promise<number> {
  const batch = Array.from({ length: n }, () => ({ host, path: ROUTE_PATH, headers: { authorization: `Bearer ${token}` }, label: 'm' }));
  const before = await server.child.request<number>('cpu-usage');
  const results = await h.sequential(server.port, batch);
  const used = (await server.child.request<number>('cpu-usage')) - before;
  const bad = results.filter((r) => r.status !== 200).length;
  if (bad > 0) throw new Error(`${server.name}: ${bad} answers were not 200`);
  return used / n;
}

async function pair(engine: string, token: string, baselineEnv: Record<string, string>, bareEnv: Record<string, string>): Promise<void> {
  const app = await h.server('baseline', `cpu-app-${engine}`, baselineEnv);
  let bare: RunningServer | null = null;
  try {
    await new Promise((r) => setTimeout(r, 1200));
    await app.child.request('capture-start');
    await h.sequential(app.port, [{ host, path: ROUTE_PATH, headers: { authorization: `Bearer ${token}` }, label: 'capture' }]);
    const sql = await app.child.request<string[]>('capture-stop');
    bare = await h.server('bare', `cpu-bare-${engine}`, { ...bareEnv, BENCH_SQL: JSON.stringify(sql) });
    for (const s of [app, bare]) await cpuPerRequest(s, token, Math.min(1000, requests));
    const figures: Record<string, number[]> = { app: [], bare: [] };
    for (let r = 0; r < ROUNDS; r++) {
      const profiling = profileDir && r === ROUNDS - 1;
      if (profiling) await app.child.request('profile-start');
      figures.app!.push(await cpuPerRequest(app, token, requests));
      if (profiling) {
        const file = join(profileDir, `app-${engine}-${Date.now()}.cpuprofile`);
        await app.child.request('profile-stop', { file });
        process.stderr.write(`profile: ${file}\n`);
      }
      figures.bare!.push(await cpuPerRequest(bare, token, requests));
    }
    const min = (xs: number[]) => Math.min(...xs);
    process.stdout.write(
      `${engine}: app ${round(min(figures.app!), 1)} µs/request (rounds ${figures.app!.map((x) => round(x, 0)).join(', ')}), ` +
        `bare ${round(min(figures.bare!), 1)} (${figures.bare!.map((x) => round(x, 0)).join(', ')}), ` +
        `app/bare ${round(min(figures.app!) / min(figures.bare!), 2)}×; load average ${os
          .loadavg()
          .map((x) => x.toFixed(1))
          .join(' ')}\n`,
    );
  } finally {
    await Promise.all([app.child.stop(), bare?.child.stop()]);
  }
}

try {
  const template = await h.fixtures.sqliteTemplate();
  const dir = ctx.subdir('cpu-sqlite');
  copyFileSync(template.source, join(dir, 'baseline.sqlite'));
  await pair('sqlite', template.token, h.fixtures.env(dir, { BENCH_DB_ENGINE: 'sqlite', BENCH_DB_NAME: 'baseline.sqlite' }), {
    BENCH_SQLITE_FILE: join(dir, 'baseline.sqlite'),
  });
  if (withPg) {
    const pgTemplate = await h.fixtures.pgTemplate();
    const baseDb = await h.fixtures.pgBaseline();
    await pair(
      'postgres',
      pgTemplate.token,
      h.fixtures.env(ctx.subdir('cpu-pg'), { BENCH_DB_ENGINE: 'postgres', BENCH_DB_NAME: baseDb, BENCH_PG_URL: PG_URL }),
      { BENCH_PG_URL: pgUrlFor(baseDb) },
    );
  }
} finally {
  await h.close();
  await ctx.cleanup.run();
}
// A pool the fixtures opened may keep the event loop alive after the cleanup.
process.exit(process.exitCode ?? 0);
