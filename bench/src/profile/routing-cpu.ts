/**
 * `tsx src/profile/routing-cpu.ts [--pg] [--rounds N] [--seconds S] [--connections C] [--tenants T]
 * [--pg-tenants T] [--variant K=V,K=V]… [--profile DIR]` — where benchmark 1's extra CPU goes: the real
 * API (tenancy server) over a fleet of tenants, with the warm authenticated `GET /api/products?limit=20`
 * sent to ONE tenant's host and then spread over ALL of them (round-robin), alternated in every round,
 * plus the baseline server (one fixed database) under the same spread load. For each side: the
 * server's CPU (user + system) per request, split into the main thread and the other threads (SQLite's
 * thread pool, GC helpers) from /proc schedstat, with the time the main thread waited for a CPU; SQL
 * statements per request (every Sequelize instance, registry included) and p99. The same process
 * serves the 1-host and the all-hosts load, so their difference is what many tenants cost. Each
 * `--variant` starts one more subject with that extra environment (e.g. BENCH_ROUTER_TTL_MS=600000),
 * measured on every host; ratios are medians of ratios paired by round, so drift of a loaded machine
 * hits both sides alike. Per-tenant cache refreshes (router TTL, session and permission caches) are
 * per second, not per request: at a lower request rate (a loaded machine) they weigh more per request.
 * Req/s and p99 on a loaded machine are for orientation only. With --profile, the subject's and the
 * baseline's CPU profiles of the last round are written to DIR (summarize with summarize-cpuprofile.ts).
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { Harness, ROUTE_PATH, type RunningServer } from '../lib/harness';
import { PG_URL } from '../lib/pg';
import { RunContext, runScale } from '../lib/run-context';
import { median, round } from '../lib/stats';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const withPg = args.includes('--pg');
const ROUNDS = opt('--rounds', 4);
const SECONDS = opt('--seconds', 4);
const CONNECTIONS = opt('--connections', 10);
const TENANTS = opt('--tenants', 200);
const PG_TENANTS = opt('--pg-tenants', 19);
/** --variant K=V,K=V: a second subject with this extra environment, measured on every host. */
const variantEnvs: Record<string, string>[] = args.flatMap((a, i) =>
  a === '--variant' ? [Object.fromEntries((args[i + 1] ?? '').split(',').map((kv) => kv.split('=') as [string, string]))] : [],
);
const profileIdx = args.indexOf('--profile');
const profileDir = profileIdx >= 0 ? resolve(args[profileIdx + 1] ?? 'profiles') : null;
if (profileDir) mkdirSync(profileDir, { recursive: true });

const ctx = new RunContext(runScale(true));
ctx.cleanup.installSignalHandlers();
const h = new Harness(ctx);

interface Sample {
  requests: number;
  cpuUs: number;
  /** From /proc schedstat (ns): the main thread's time on a CPU and waiting for one; every other thread's time on a CPU. */
  mainNs: number;
  mainWaitNs: number;
  othersNs: number;
  statements: number;
  p99: number[];
  rps: number[];
  /** CPU µs per request of each round (for ratios paired by round). */
  perRound: number[];
}

/** Per-thread scheduler figures of a process (Linux): [main on-CPU ns, main run-queue wait ns, other threads' on-CPU ns]. */
function schedstat(pid: number): [number, number, number] {
  let others = 0;
  let main: [number, number] = [0, 0];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
      if (Number(tid) === pid) main = [run!, wait!];
      else others += run!;
    } catch {
      // A thread that ended meanwhile.
    }
  }
  return [main[0], main[1], others];
}

async function pidOf(server: RunningServer): Promise<number> {
  return Number((await server.child.ready).pid);
}

async function measure(
  server: RunningServer,
  hosts: string[],
  token: string,
  sample: Sample,
  counts: boolean,
  profileFile: string | null,
): Promise<void> {
  const statementsBefore = counts ? (await server.child.request<{ statements: number }>('statements')).statements : 0;
  if (profileFile) await server.child.request('profile-start');
  const pid = await pidOf(server);
  const cpuBefore = await server.cpuMicros();
  const schedBefore = schedstat(pid);
  const r = await h.load(server.port, {
    path: ROUTE_PATH,
    hosts,
    headers: { authorization: `Bearer ${token}` },
    connections: CONNECTIONS,
    durationSeconds: SECONDS,
  });
  const schedAfter = schedstat(pid);
  const cpu = (await server.cpuMicros()) - cpuBefore;
  if (profileFile) {
    await server.child.request('profile-stop', { file: profileFile });
    process.stderr.write(`profile: ${profileFile} (${r.requests} requests)\n`);
  }
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${server.name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  const statements = counts ? (await server.child.request<{ statements: number }>('statements')).statements - statementsBefore : 0;
  sample.requests += r.requests;
  sample.cpuUs += cpu;
  sample.mainNs += schedAfter[0] - schedBefore[0];
  sample.mainWaitNs += schedAfter[1] - schedBefore[1];
  sample.othersNs += schedAfter[2] - schedBefore[2];
  sample.statements += statements;
  sample.p99.push(r.p99);
  sample.perRound.push(cpu / r.requests);
  sample.rps.push(r.rps);
}

const paired = (a: Sample, b: Sample) => round(median(a.perRound.map((x, i) => x / b.perRound[i]!)), 3);

async function run(engine: 'sqlite' | 'postgres', tenants: number): Promise<void> {
  const template = engine === 'sqlite' ? await h.fixtures.sqliteTemplate() : await h.fixtures.pgTemplate();
  const fleet =
    engine === 'sqlite'
      ? await h.fixtures.fleet({ sqlite: tenants, baseline: true })
      : await h.fixtures.fleet({ postgres: tenants, pgDistinct: tenants });
  const slugs = engine === 'sqlite' ? fleet.sqlite : fleet.postgres;
  const hosts = slugs.map((s) => `${s}.localhost`);
  const baselineEnv =
    engine === 'sqlite'
      ? fleet.env({ BENCH_DB_ENGINE: 'sqlite', BENCH_DB_NAME: 'baseline.sqlite' })
      : fleet.env({
          BENCH_DB_ENGINE: 'postgres',
          BENCH_DB_NAME: await h.fixtures.pgBaseline(),
          BENCH_PG_URL: PG_URL,
          BENCH_POOL_MAX: String(CONNECTIONS),
        });
  const subject = await h.server(
    'tenancy',
    `routing-cpu-${engine}`,
    fleet.env({ SALESFLEET_MAX_OPEN_TENANTS: String(tenants + 16), BENCH_COUNT_STATEMENTS: '1' }),
  );
  const baseline = await h.server('baseline', `routing-cpu-baseline-${engine}`, baselineEnv);
  const variants: RunningServer[] = [];
  for (const [i, env] of variantEnvs.entries())
    variants.push(
      await h.server(
        'tenancy',
        `routing-cpu-variant${i}-${engine}`,
        fleet.env({ SALESFLEET_MAX_OPEN_TENANTS: String(tenants + 16), BENCH_COUNT_STATEMENTS: '1', ...env }),
      ),
    );
  try {
    for (const s of [subject, baseline, ...variants]) {
      await h.sequential(
        s.port,
        hosts.map((host) => ({ host, path: ROUTE_PATH, headers: { authorization: `Bearer ${template.token}` }, label: 'warm-up' })),
      );
    }
    const empty = (): Sample => ({
      requests: 0,
      cpuUs: 0,
      mainNs: 0,
      mainWaitNs: 0,
      othersNs: 0,
      statements: 0,
      p99: [],
      rps: [],
      perRound: [],
    });
    const one = empty();
    const all = empty();
    const base = empty();
    const vari = variants.map(() => empty());
    for (const v of variants) await measure(v, hosts, template.token, empty(), true, null);
    // Warm-up loads, discarded.
    await measure(subject, hosts, template.token, empty(), true, null);
    await measure(subject, hosts.slice(0, 1), template.token, empty(), true, null);
    await measure(baseline, hosts, template.token, empty(), false, null);
    for (let r = 0; r < ROUNDS; r++) {
      const last = profileDir && r === ROUNDS - 1;
      const stamp = Date.now();
      await measure(
        subject,
        hosts.slice(0, 1),
        template.token,
        one,
        true,
        last ? join(profileDir, `${engine}-1-${stamp}.cpuprofile`) : null,
      );
      await measure(subject, hosts, template.token, all, true, last ? join(profileDir, `${engine}-${tenants}-${stamp}.cpuprofile`) : null);
      for (const [i, v] of variants.entries()) await measure(v, hosts, template.token, vari[i]!, true, null);
      await measure(baseline, hosts, template.token, base, false, last ? join(profileDir, `${engine}-baseline-${stamp}.cpuprofile`) : null);
      process.stderr.write(`  round ${r + 1}/${ROUNDS} done (load ${os.loadavg()[0]!.toFixed(1)})\n`);
    }
    const stats = await subject.child.request<{ router: { refreshes: number; misses: number; staleServed: number } }>('stats');
    const line = (label: string, s: Sample, counts: boolean) =>
      `  ${label.padEnd(28)} CPU ${round(s.cpuUs / s.requests, 1)} µs/request ` +
      `(main thread ${round(s.mainNs / 1000 / s.requests, 1)}, other threads ${round(s.othersNs / 1000 / s.requests, 1)}; ` +
      `main thread waiting for a CPU ${round(s.mainWaitNs / 1000 / s.requests, 1)})` +
      (counts ? `, ${round(s.statements / s.requests, 3)} statements/request` : '') +
      `, p99 median ${round(median(s.p99), 2)} ms, req/s median ${round(median(s.rps), 0)} (${s.requests} requests)`;
    process.stdout.write(
      `${engine}, ${tenants} tenants, ${CONNECTIONS} connections, ${ROUNDS} × ${SECONDS} s, load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}\n` +
        `${line('subject, 1 host', one, true)}\n` +
        `${line(`subject, ${tenants} hosts`, all, true)}\n` +
        `${line('baseline (1 database)', base, false)}\n` +
        `  subject's router over the whole run: ${stats.router.refreshes} background refreshes (registry reads), ${stats.router.misses} misses, ${stats.router.staleServed} served stale\n` +
        variants.map((_, i) => `${line(`variant ${i}, ${tenants} hosts`, vari[i]!, true)} [${JSON.stringify(variantEnvs[i])}]\n`).join('') +
        `  CPU per request, median of ratios paired by round: ${tenants} hosts / 1 host ${paired(all, one)}×, ` +
        `${tenants} hosts / baseline ${paired(all, base)}×, 1 host / baseline ${paired(one, base)}×` +
        variants.map((_, i) => `, variant ${i} / ${tenants} hosts ${paired(vari[i]!, all)}×`).join('') +
        '\n',
    );
  } finally {
    await Promise.all([subject.child.stop(), baseline.child.stop(), ...variants.map((v) => v.child.stop())]);
  }
}

try {
  await run('sqlite', TENANTS);
  if (withPg) await run('postgres', PG_TENANTS);
} finally {
  await h.close();
  await ctx.cleanup.run();
}
process.exit(process.exitCode ?? 0);
