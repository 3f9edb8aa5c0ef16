/**
 * `tsx src/profile/cycling-cpu.ts [tenants] [rounds] [--profile DIR]` — CPU time of one connection-cache
 * miss on the real API behind PgBouncer (benchmark 3b's set-up, issue 16.4): real API servers on the
 * same fleet of PostgreSQL tenants, one whose cache holds every tenant (all warm) and two whose cache
 * holds 20 (cycling: every request evicts a handle and opens another) — with spare instances (the
 * default) and without (SALESFLEET_SPARE_TENANT_INSTANCES=0: a new instance and models per handle). Each answers the same
 * authenticated `GET /api/products?limit=20` for every tenant in turn, one request at a time, and its
 * process's user + system CPU is divided by the requests. The difference is what a miss costs in CPU
 * (open, define, connect, first request's extra work, the evicted handle's close). Unlike req/s this
 * hardly moves with the machine's load. With --profile, every server's CPU profile of the last
 * round's requests are written to DIR (summarize it with summarize-cpuprofile.ts).
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { startPgBouncer } from '@salesfleet/tenancy/testing';
import { Harness, ROUTE_PATH, type RunningServer } from '../lib/harness';
import { PG_URL } from '../lib/pg';
import { RunContext, runScale } from '../lib/run-context';
import { median, round } from '../lib/stats';

const args = process.argv.slice(2);
const numbers = args.filter((a) => /^\d+$/.test(a)).map(Number);
const tenants = numbers[0] ?? 60;
const rounds = numbers[1] ?? 3;
const profileIdx = args.indexOf('--profile');
const profileDir = profileIdx >= 0 ? resolve(args[profileIdx + 1] ?? 'profiles') : null;
if (profileDir) mkdirSync(profileDir, { recursive: true });
const CYCLING_MAX_OPEN = 20;
const DATABASES = 8;

const ctx = new RunContext(runScale(true));
ctx.cleanup.installSignalHandlers();
const h = new Harness(ctx);

async function measure(server: RunningServer, hosts: string[], token: string): Promise<{ cpuUs: number; ms: number }> {
  const batch = hosts.map((host) => ({ host, path: ROUTE_PATH, headers: { authorization: `Bearer ${token}` }, label: 'm' }));
  const before = await server.child.request<number>('cpu-usage');
  const results = await h.sequential(server.port, batch);
  const used = (await server.child.request<number>('cpu-usage')) - before;
  const bad = results.filter((r) => r.status !== 200).length;
  if (bad > 0) throw new Error(`${server.name}: ${bad} answers were not 200`);
  return { cpuUs: used / batch.length, ms: median(results.map((r) => r.ms)) };
}

try {
  const template = await h.fixtures.pgTemplate();
  const fleet = await h.fixtures.fleet({ postgres: tenants, pgDistinct: DATABASES });
  const hosts = fleet.postgres.map((s) => `${s}.localhost`);
  const bouncer = await startPgBouncer({ poolSize: 2, maxServerConnections: 2 * DATABASES });
  const env = (maxOpen: number, spares?: number) =>
    fleet.env({
      SALESFLEET_MAX_OPEN_TENANTS: String(maxOpen),
      SALESFLEET_TENANT_SERVER_URL: PG_URL,
      SALESFLEET_TENANT_POOLER_URL: bouncer.url,
      ...(spares === undefined ? {} : { SALESFLEET_SPARE_TENANT_INSTANCES: String(spares) }),
      LOG_LEVEL: 'warn',
    });
  const servers = {
    warm: await h.server('tenancy', 'cpu-warm', env(tenants + 16)),
    // Every handle on a new Sequelize instance with its models defined anew (as before spare instances).
    'cycling, no spares': await h.server('tenancy', 'cpu-cycling-new', env(CYCLING_MAX_OPEN, 0)),
    cycling: await h.server('tenancy', 'cpu-cycling', env(CYCLING_MAX_OPEN)),
  };
  try {
    // Warm-up: every tenant twice on each (handles, permission caches, JIT).
    for (const s of Object.values(servers)) for (let i = 0; i < 2; i++) await measure(s, hosts, template.token);
    const figures: Record<string, { cpuUs: number; ms: number }[]> = Object.fromEntries(Object.keys(servers).map((k) => [k, []]));
    for (let r = 0; r < rounds; r++) {
      for (const [name, server] of Object.entries(servers)) {
        const profiling = profileDir && r === rounds - 1;
        if (profiling) await server.child.request('profile-start');
        figures[name]!.push(await measure(server, hosts, template.token));
        if (profiling) {
          const file = join(profileDir, `${name.replace(/\W+/g, '-')}-${Date.now()}.cpuprofile`);
          await server.child.request('profile-stop', { file });
          process.stderr.write(`profile: ${file}\n`);
        }
      }
    }
    const stats = await servers.cycling.child.request<{ connections: { hits: number; misses: number } }>('stats');
    const best = (xs: { cpuUs: number }[]) => Math.min(...xs.map((x) => x.cpuUs));
    const w = best(figures.warm!);
    const lines = Object.entries(figures).map(([name, xs]) => {
      const c = best(xs);
      const miss = name === 'warm' ? '' : `; per cache miss ${round((c - w) / 1000, 2)} ms (− warm), ${round(c / w, 2)}× warm`;
      return (
        `  ${name.padEnd(18)} ${round(c, 0)} µs CPU/request (rounds ${xs.map((x) => round(x.cpuUs, 0)).join(', ')}), ` +
        `median latency ${round(median(xs.map((x) => x.ms)), 2)} ms${miss}`
      );
    });
    process.stdout.write(
      `${tenants} PostgreSQL tenants over ${DATABASES} databases through PgBouncer, GET ${ROUTE_PATH} one at a time, best of ${rounds} rounds:\n` +
        `${lines.join('\n')}\n` +
        `  cycling cache: ${stats.connections.hits} hits / ${stats.connections.misses} misses; load average ${os
          .loadavg()
          .map((x) => x.toFixed(1))
          .join(' ')}\n`,
    );
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.child.stop()));
    await bouncer.stop();
  }
} finally {
  await h.close();
  await ctx.cleanup.run();
}
process.exit(process.exitCode ?? 0);
