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
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import sqlite3 from 'sqlite3';
import { MigrateWorkers, openTenancy } from '@salesfleet/tenancy';
import { Fixtures } from '../lib/fixtures';
import { PG_URL } from '../lib/pg';
import { statCpuMicros } from '../lib/process-cpu';
import { RunContext, runScale } from '../lib/run-context';
import { round } from '../lib/stats';

const engine = process.argv[2] === 'postgres' ? 'postgres' : 'sqlite';
const n = Number(process.argv[3] ?? (engine === 'sqlite' ? 300 : 60));
const pairs = Number(process.argv[4] ?? 2);
const wantProfile = process.argv.some((a) => a.startsWith('--cpuprofile'));
/** `--cpuprofile=seq`: profile the last sequential run instead (the per-tenant JavaScript in this thread). */
const profileSequential = process.argv.includes('--cpuprofile=seq');
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

/** CPU (µs) of this process's threads, by thread id (/proc/self/task). */
function threadCpu(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      out.set(Number(tid), statCpuMicros(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')));
    } catch {
      // the thread ended
    }
  }
  return out;
}

/**
 * CPU (µs) of the tenant PostgreSQL server: its postmaster, its live children and (cutime + cstime)
 * the children it has reaped — every backend of the run, also those that ended. Only meaningful on a
 * server of one's own (SALESFLEET_BENCH_POSTGRES_URL): a shared one counts everyone's backends.
 */
async function pgServerCpu(client: pg.Client | null): Promise<number | null> {
  if (!client) return null;
  const dir = (await client.query<{ d: string }>("SELECT current_setting('data_directory') AS d")).rows[0]!.d;
  let pid: number;
  try {
    pid = Number(readFileSync(`${dir}/postmaster.pid`, 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  let total = statCpuMicros(stat) + (Number(fields[13]) + Number(fields[14])) * 10_000;
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean);
  for (const child of children) total += statCpuMicros(readFileSync(`/proc/${child}/stat`, 'utf8').toString());
  return total;
}

/** Sessions opened on the run's tenant databases so far (pg_stat_database.sessions, PostgreSQL 14+). */
async function pgSessions(client: pg.Client | null, prefix: string): Promise<number | null> {
  if (!client) return null;
  const r = await client.query<{ n: string }>('SELECT coalesce(sum(sessions), 0) AS n FROM pg_stat_database WHERE datname LIKE $1', [
    `${prefix}%`,
  ]);
  return Number(r.rows[0]!.n);
}

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
  const before = new Set(threadCpu().keys());
  const workers = await MigrateWorkers.start(availableParallelism());
  // The threads the pool started are its workers; the rest besides this one are libuv's pool (where
  // sqlite3 runs its statements and file work) and V8's platform threads.
  const workerTids = new Set([...threadCpu().keys()].filter((tid) => !before.has(tid)));
  const stats = engine === 'postgres' ? new pg.Client({ connectionString: PG_URL, application_name: 'salesfleet-bench' }) : null;
  await stats?.connect();
  const splitCpu = (a: Map<number, number>, b: Map<number, number>) => {
    const split = { main: 0, workers: 0, other: 0 };
    for (const [tid, us] of b) {
      const d = us - (a.get(tid) ?? 0);
      if (process.env.FLEET_THREADS && d > 0)
        process.stdout.write(`    thread ${tid}${workerTids.has(tid) ? ' (worker)' : ''}: ${round(d / 1000, 0)} ms\n`);
      if (tid === process.pid) split.main += d;
      else if (workerTids.has(tid)) split.workers += d;
      else split.other += d;
    }
    return split;
  };
  let step = 0;
  try {
    for (let p = 0; p < pairs; p++) {
      for (const concurrency of [1, 4]) {
        step++;
        counts.registry = 0;
        counts.lockPg = 0;
        counts.tenantPg = 0;
        counts.sqliteOpens = 0;
        const session = wantProfile && concurrency > 1 !== profileSequential && p === pairs - 1 ? new Session() : null;
        if (session) {
          session.connect();
          await session.post('Profiler.enable');
          await session.post('Profiler.setSamplingInterval', { interval: 200 });
          await session.post('Profiler.start');
        }
        const threads0 = threadCpu();
        const pg0 = await pgServerCpu(stats);
        const sessions0 = await pgSessions(stats, fixtures.pgPrefix);
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
        const split = splitCpu(threads0, threadCpu());
        const pg1 = await pgServerCpu(stats);
        const sessions1 = await pgSessions(stats, fixtures.pgPrefix);
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
            `applied ${applied}/${n}, failed ${failed.length}${failed[0] ? ` (${failed[0].error})` : ''}\n` +
            `    CPU ms per tenant: this thread ${per(split.main / 1000)}, worker threads ${per(split.workers / 1000)}, other threads (libuv, V8) ${per(split.other / 1000)}` +
            (pg0 !== null && pg1 !== null ? `, PostgreSQL server ${per((pg1 - pg0) / 1000)}` : '') +
            (sessions0 !== null && sessions1 !== null ? `; PostgreSQL sessions per tenant ${per(sessions1 - sessions0)}` : '') +
            '\n',
        );
      }
    }
  } finally {
    await workers.close();
    await stats?.end();
    await tenancy.close();
  }
} finally {
  await ctx.cleanup.run();
}
