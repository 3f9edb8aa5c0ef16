/**
 * `pnpm --filter @salesfleet/bench profile:workers [sqlite|postgres] [tenants] [seconds] [rounds]` —
 * where benchmark 13's CPU goes: `pnpm start` (compiled bin) with SALESFLEET_WORKERS=1 and =2 on the
 * same fleet, the same warm authenticated read (GET /api/products?limit=20, round-robin over the
 * tenants), rounds alternated 1 2 1 2 with wrk and with autocannon. Per round it reads from /proc the
 * CPU time of every server process (the primary and each worker apart) and the load generator's own,
 * and prints each per request. PROFILE_CPU_PROF=<dir> starts both servers with --cpu-prof (one
 * profile per process, written at exit; summarize with profile/summarize-cpuprofile.ts);
 * PROFILE_THREADS=1 splits each process's CPU by thread; PROFILE_CONNECTIONS sets the load's
 * connections (default 10: one connection takes batching out of the comparison).
 */
import { readdir, readFile } from 'node:fs/promises';
import pg from 'pg';
import { join } from 'node:path';
import { startApi, type StartedApi } from '../benchmarks/workers';
import { ensureBuilt } from '../benchmarks/startup';
import { Harness, ROUTE_PATH, type LoadGenerator } from '../lib/harness';
import { childPids, ownCpuMicros, statCpuMicros } from '../lib/process-cpu';
import { PG_URL } from '../lib/pg';
import { RunContext, runScale } from '../lib/run-context';
import { round } from '../lib/stats';

const engine = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
const tenants = Number(process.argv[3] ?? 50);
const seconds = Number(process.argv[4] ?? 5);
const rounds = Number(process.argv[5] ?? 3);
const profileDir = process.env.PROFILE_CPU_PROF;
const threads = process.env.PROFILE_THREADS === '1';

const ctx = new RunContext(runScale(true));
ctx.cleanup.installSignalHandlers();
const h = new Harness(ctx);

/** CPU µs of every thread of a process, summed by thread name (main thread: `main`). */
async function threadCpu(pid: number, role: string, out: Record<string, number>): Promise<void> {
  const tids = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  for (const tid of tids) {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => null);
    if (!stat) continue;
    const name = tid === String(pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const key = `${role}/${name}`;
    out[key] = (out[key] ?? 0) + statCpuMicros(stat);
  }
}

/** Context switches (voluntary: the thread waited, e.g. an event loop with nothing to do) of every thread of a server. */
async function switches(s: StartedApi): Promise<{ voluntary: number; involuntary: number }> {
  const out = { voluntary: 0, involuntary: 0 };
  for (const pid of [s.pid, ...(await childPids(s.pid))]) {
    for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
      const status = await readFile(`/proc/${pid}/task/${tid}/status`, 'utf8').catch(() => '');
      out.voluntary += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      out.involuntary += Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    }
  }
  return out;
}

/**
 * CPU µs of the primary and of each child process (workers), by role; with PROFILE_THREADS=1 by
 * role and thread name.
 */
async function processCpu(s: StartedApi): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const kids = await childPids(s.pid);
  kids.sort((a, b) => a - b);
  const roles: [string, number][] = [
    [kids.length ? 'primary' : 'server', s.pid],
    ...kids.map((pid, i): [string, number] => [`worker${i + 1}`, pid]),
  ];
  for (const [role, pid] of roles) {
    if (threads) await threadCpu(pid, role, out);
    else out[role] = await ownCpuMicros(pid);
  }
  return out;
}

/** Sessions (connections) ever established to the run's PostgreSQL databases (pg_stat_database, PostgreSQL ≥ 14). */
async function pgSessions(prefix: string): Promise<number> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const r = await client.query<{ n: string }>('SELECT coalesce(sum(sessions), 0) AS n FROM pg_stat_database WHERE datname LIKE $1', [
      `${prefix}%`,
    ]);
    return Number(r.rows[0]!.n);
  } finally {
    await client.end();
  }
}

/** CPU µs of the PostgreSQL backends serving the run's databases now (their /proc stat: same machine). */
async function pgBackendCpu(prefix: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const r = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname LIKE $1', [`${prefix}%`]);
    const out = new Map<number, number>();
    for (const { pid } of r.rows) out.set(pid, await ownCpuMicros(pid));
    return out;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  await ensureBuilt(h);
  let hosts: string[];
  let token: string;
  let env: Record<string, string>;
  if (engine === 'sqlite') {
    const template = await h.fixtures.sqliteTemplate();
    const fleet = await h.fixtures.fleet({ sqlite: tenants });
    hosts = fleet.sqlite.map((s) => `${s}.localhost`);
    token = template.token;
    env = fleet.env({ SALESFLEET_MAX_OPEN_TENANTS: String(2 * tenants + 16), LOG_LEVEL: 'warn' });
  } else {
    const template = await h.fixtures.pgTemplate();
    const fleet = await h.fixtures.fleet({ postgres: tenants, pgDistinct: tenants });
    hosts = fleet.postgres.map((s) => `${s}.localhost`);
    token = template.token;
    env = fleet.env({ SALESFLEET_MAX_OPEN_TENANTS: String(2 * tenants + 16), LOG_LEVEL: 'warn' });
  }
  const flags = (name: string) => (profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, name)}`] : []);
  const servers = [await startApi(h, 'one', 1, env, flags('one')), await startApi(h, 'two', 2, env, flags('two'))];
  try {
    const headers = { authorization: `Bearer ${token}` };
    const load = { path: ROUTE_PATH, hosts, headers, connections: Number(process.env.PROFILE_CONNECTIONS ?? ctx.scale.connections) };
    for (const s of servers) {
      await h.sequential(
        s.port,
        hosts.map((host) => ({ host, path: ROUTE_PATH, headers, label: 'warm-up' })),
      );
      await h.load(s.port, { ...load, durationSeconds: 3 }, 'wrk');
    }
    // What each server spends with no request at all (timers, change-feed polls, heartbeats): per second.
    for (const s of servers) {
      const before = await processCpu(s);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      const after = await processCpu(s);
      const parts = Object.keys(after).map((k) => `${k} ${round(((after[k] ?? 0) - (before[k] ?? 0)) / seconds / 1000, 1)}`);
      process.stdout.write(`${engine} idle ${s.name}: CPU ms per second (${parts.join(', ')})\n`);
    }
    for (let r = 0; r < rounds; r++) {
      for (const generator of ['wrk', 'autocannon'] as LoadGenerator[]) {
        for (const s of servers) {
          const sessionsBefore = engine === 'postgres' ? await pgSessions(h.fixtures.pgPrefix) : 0;
          const backendsBefore = engine === 'postgres' ? await pgBackendCpu(h.fixtures.pgPrefix) : new Map<number, number>();
          const switchesBefore = await switches(s);
          const before = await processCpu(s);
          const result = await h.load(s.port, { ...load, durationSeconds: seconds }, generator);
          const after = await processCpu(s);
          const switchesAfter = await switches(s);
          // Backends that lived through the round (a new one's CPU before the round is not known: counted whole).
          const backendsAfter = engine === 'postgres' ? await pgBackendCpu(h.fixtures.pgPrefix) : new Map<number, number>();
          let backendMicros = 0;
          for (const [pid, micros] of backendsAfter) backendMicros += micros - (backendsBefore.get(pid) ?? 0);
          const connects = engine === 'postgres' ? (await pgSessions(h.fixtures.pgPrefix)) - sessionsBefore : 0;
          const per = (k: string) => round(((after[k] ?? 0) - (before[k] ?? 0)) / result.requests, 0);
          const parts = Object.keys(after)
            .filter((k) => per(k) > 0)
            .map((k) => `${k} ${per(k)}`);
          const total = Object.keys(after).reduce((n, k) => n + (after[k] ?? 0) - (before[k] ?? 0), 0);
          process.stdout.write(
            `${engine} ${generator.padEnd(10)} ${s.name}: ${result.rps} req/s p99 ${result.p99} ms, non-2xx ${result.non2xx} errors ${result.errors}; ` +
              `server µs/req ${round(total / result.requests, 0)} (${parts.join(', ')}); load generator µs/req ${round(result.loadCpuMicros / result.requests, 0)}` +
              `; context switches per request: voluntary ${round((switchesAfter.voluntary - switchesBefore.voluntary) / result.requests, 2)}, involuntary ${round((switchesAfter.involuntary - switchesBefore.involuntary) / result.requests, 2)}` +
              (engine === 'postgres'
                ? `; tenant connections opened ${connects}; PostgreSQL backends µs/req ${round(backendMicros / result.requests, 0)}`
                : '') +
              (result.non2xx ? `; statuses ${JSON.stringify(result.statusCodes)}` : '') +
              '\n',
          );
        }
      }
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await h.close();
    await ctx.cleanup.run();
  }
}

main().catch(async (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  await ctx.cleanup.run();
  process.exit(1);
});
