/**
 * `tsx src/profile/fleet-apply.ts [sqlite|postgres] [n] [pairs]` — the calling thread's share of a
 * fleet apply (benchmark 6): one new migration over `n` tenants, sequentially (in this thread) and
 * 4 at a time on one worker thread per core, alternated `pairs` times. Per run: wall time, this
 * thread's busy time (event-loop utilisation: what the workers cannot take off it), process CPU,
 * registry statements (Sequelize queries on the registry) and lock round trips / lock-file opens,
 * and the tenant PostgreSQL round trips made in this thread (the sequential run's), each per tenant —
 * figures that hold on a loaded machine where wall times do not. `--cpuprofile` also writes a CPU
 * profile of this thread for the last parallel run; `--sql` prints the first 40 tenant statements.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import sqlite3 from 'sqlite3';
import { MigrateWorkers, openTenancy } from '@salesfleet/tenancy';
import { Fixtures } from '../lib/fixtures';
import { RunContext, runScale } from '../lib/run-context';
import { round } from '../lib/stats';

const engine = process.argv[2] === 'postgres' ? 'postgres' : 'sqlite';
const n = Number(process.argv[3] ?? (engine === 'sqlite' ? 300 : 60));
const pairs = Number(process.argv[4] ?? 2);
const wantProfile = process.argv.includes('--cpuprofile');
const MODULE = fileURLToPath(new URL('../tasks/bench-migrations.ts', import.meta.url));

// Counters of this thread only (the workers load their own copies of these modules).
const counts = { registry: 0, lockPg: 0, tenantPg: 0, sqliteOpens: 0 };
const showSql = process.argv.includes('--sql');
const sqliteExec = sqlite3.Database.prototype.exec;
sqlite3.Database.prototype.exec = function (this: sqlite3.Database, sql: string, ...rest: unknown[]) {
  if (sql.includes('BEGIN EXCLUSIVE')) counts.sqliteOpens++;
  return (sqliteExec as (...a: unknown[]) => sqlite3.Database).call(this, sql, ...rest);
} as typeof sqlite3.Database.prototype.exec;
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client & { application_name?: string }, ...args: unknown[]) {
  if (
    (this as unknown as { connectionParameters?: { application_name?: string } }).connectionParameters?.application_name ===
    'salesfleet-locks'
  )
    counts.lockPg++;
  else {
    counts.tenantPg++;
    if (showSql && counts.tenantPg <= 40)
      process.stdout.write(`    sql: ${String((args[0] as { text?: string })?.text ?? args[0]).slice(0, 160)}\n`);
  }
  return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

const ctx = new RunContext(runScale(true));
ctx.cleanup.installSignalHandlers();
try {
  const fixtures = new Fixtures(ctx);
  const fleet = engine === 'sqlite' ? await fixtures.fleet({ sqlite: n }) : await fixtures.fleet({ postgres: n, pgDistinct: n });
  const tenancy = await openTenancy(fixtures.config(fleet.dataDir), { migrateRegistry: false, templates: false });
  // Sequelize reads `options.logging` per query: every registry statement of this thread passes here.
  (tenancy.registry.sequelize as unknown as { options: { logging: unknown } }).options.logging = () => {
    counts.registry++;
  };
  const workers = await MigrateWorkers.start(availableParallelism());
  let step = 0;
  try {
    for (let p = 0; p < pairs; p++) {
      for (const concurrency of [1, 4]) {
        step++;
        counts.registry = 0;
        counts.lockPg = 0;
        counts.tenantPg = 0;
        counts.sqliteOpens = 0;
        const session = wantProfile && concurrency > 1 && p === pairs - 1 ? new Session() : null;
        if (session) {
          session.connect();
          await session.post('Profiler.enable');
          await session.post('Profiler.setSamplingInterval', { interval: 200 });
          await session.post('Profiler.start');
        }
        const elu0 = performance.eventLoopUtilization();
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const r = await tenancy.provisioner.migrateTenants({
          actor: 'profile',
          concurrency,
          workers: concurrency > 1 ? workers : 0,
          skipRegistry: true,
          migrations: { module: MODULE, exportName: 'withBenchMigrations', args: [step] },
        });
        const ms = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        const elu = performance.eventLoopUtilization(elu0);
        if (session) {
          const { profile } = await session.post('Profiler.stop');
          const file = `${ctx.logDir}/fleet-apply-${engine}.cpuprofile`;
          writeFileSync(file, JSON.stringify(profile));
          process.stdout.write(`  profile: ${file}\n`);
          session.disconnect();
        }
        const applied = r.results.reduce((k, x) => k + x.applied.length, 0);
        const failed = r.results.filter((x) => !x.ok);
        const per = (x: number) => round(x / n, 2);
        process.stdout.write(
          `${engine} ${concurrency === 1 ? 'sequential' : '4 at a time'}: ${round(ms, 0)} ms wall, this thread busy ${round(elu.active, 0)} ms ` +
            `(${round(elu.active / n, 2)} ms/tenant), process CPU ${round((cpu.user + cpu.system) / 1000, 0)} ms; per tenant: ` +
            `${per(counts.registry)} registry statements, ${per(counts.lockPg)} lock round trips, ${per(counts.tenantPg)} tenant PostgreSQL round trips here, ${per(counts.sqliteOpens)} lock files taken; ` +
            `applied ${applied}/${n}, failed ${failed.length}${failed[0] ? ` (${failed[0].error})` : ''}\n`,
        );
      }
    }
  } finally {
    await workers.close();
    await tenancy.close();
  }
} finally {
  await ctx.cleanup.run();
}
