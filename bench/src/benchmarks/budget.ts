import type { LoadResult } from '../load/load-generator';
import type { Harness } from '../lib/harness';
import { ROUTE_PATH } from '../lib/harness';
import { BackendSampler, PG_URL, pgAvailable, pgServerInfo } from '../lib/pg';
import type { BenchmarkResult } from '../lib/report';
import { median, round } from '../lib/stats';

/** Pool size of a tenant handle: `poolMax: 3` in @salesfleet/tenancy's openTenancy. */
const POOL_MAX = 3;

/**
 * 4. Connection budget: many PostgreSQL tenants hit in turn through a cache bounded at `budgetMaxOpen`
 * handles. pg_stat_activity (this run's databases only) and the cache's own counters are sampled all
 * along. The same server under the same load on a few tenants that all fit in the cache gives the
 * all-warm throughput the churn is compared with (rounds interleaved).
 */
export async function budgetBenchmark(h: Harness): Promise<BenchmarkResult> {
  const started = performance.now();
  const { scale } = h.ctx;
  if (!(await pgAvailable())) {
    return {
      name: 'budget',
      title: '4. Connection budget',
      rows: [],
      notes: [`PostgreSQL not reachable at ${new URL(PG_URL).host}: skipped.`],
      details: {},
      durationSeconds: 0,
    };
  }
  const info = await pgServerInfo();
  const maxOpen = scale.budgetMaxOpen;
  const budget = maxOpen * POOL_MAX;
  const distinct = Math.min(scale.budgetTenants, scale.pgDatabases);
  const template = await h.fixtures.pgTemplate();
  const fleet = await h.fixtures.fleet({ postgres: scale.budgetTenants, pgDistinct: distinct });
  const server = await h.server('tenancy', 'budget-pg', fleet.env({ SALESFLEET_MAX_OPEN_TENANTS: String(maxOpen) }));
  const all = fleet.postgres.map((s) => `${s}.localhost`);
  const warmHosts = all.slice(0, Math.max(1, maxOpen - 10));
  const headers = { authorization: `Bearer ${template.token}` };
  const sampler = new BackendSampler(h.fixtures.pgPrefix, 50);
  const openSamples: number[] = [];
  let polling = true;
  const poll = (async () => {
    while (polling) {
      const s = await server.child.request<{ connections: { open: number; opening: number } }>('stats').catch(() => null);
      if (s) openSamples.push(s.connections.open + s.connections.opening);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const churn: LoadResult[] = [];
  const warm: LoadResult[] = [];
  let backends: Awaited<ReturnType<BackendSampler['stop']>>;
  try {
    await sampler.start();
    const load = (hosts: string[], durationSeconds: number) =>
      h.load(server.port, { path: ROUTE_PATH, hosts, headers, connections: scale.connections, durationSeconds });
    await load(all, scale.warmupSeconds);
    await load(warmHosts, scale.warmupSeconds);
    for (let r = 0; r < scale.rounds; r++) {
      const c = await load(all, scale.roundSeconds);
      churn.push(c);
      h.log(
        `round ${r + 1}/${scale.rounds} churn over ${all.length}: ${c.rps} req/s, p99 ${c.p99} ms, non-2xx ${c.non2xx}, errors ${c.errors}`,
      );
      const w = await load(warmHosts, scale.roundSeconds);
      warm.push(w);
      h.log(
        `round ${r + 1}/${scale.rounds} warm over ${warmHosts.length}: ${w.rps} req/s, p99 ${w.p99} ms, non-2xx ${w.non2xx}, errors ${w.errors}`,
      );
    }
  } finally {
    polling = false;
    await poll;
    backends = await sampler.stop();
    await server.child.stop();
  }
  const failed = [...churn, ...warm].reduce((n, x) => n + x.non2xx + x.errors, 0);
  const churnRps = median(churn.map((x) => x.rps));
  const warmRps = median(warm.map((x) => x.rps));
  const maxOpenSeen = Math.max(0, ...openSamples);
  const statuses: Record<string, number> = {};
  for (const x of [...churn, ...warm]) for (const [k, v] of Object.entries(x.statusCodes)) statuses[k] = (statuses[k] ?? 0) + v;
  const label = `4 budget (PostgreSQL)`;
  return {
    name: 'budget',
    title: '4. Connection budget',
    rows: [
      {
        benchmark: label,
        metric: `failed requests (non-2xx + errors), ${all.length} tenants`,
        value: String(failed),
        target: '0',
        met: failed === 0,
      },
      {
        benchmark: label,
        metric: `max PostgreSQL backends (pg_stat_activity, ${backends.samples} samples)`,
        value: String(backends.max),
        baseline: `budget ${budget}`,
        ratio: round(backends.max / budget, 3),
        target: `≤ ${budget}`,
        met: backends.max <= budget,
      },
      {
        benchmark: label,
        metric: 'max open + opening handles',
        value: String(maxOpenSeen),
        target: `≤ ${maxOpen}`,
        met: maxOpenSeen <= maxOpen,
      },
      {
        benchmark: label,
        metric: `req/s churning ${all.length} tenants vs ${warmHosts.length} warm`,
        value: `${churnRps}`,
        baseline: `${warmRps}`,
        ratio: round(churnRps / warmRps, 3),
      },
      {
        benchmark: label,
        metric: 'p99 latency churning vs warm',
        value: `${median(churn.map((x) => x.p99))} ms`,
        baseline: `${median(warm.map((x) => x.p99))} ms`,
      },
    ],
    notes: [
      `${all.length} tenants over ${distinct} distinct databases` +
        (distinct < all.length
          ? ` (each database is shared by ${Math.ceil(all.length / distinct)} tenants: creating and dropping a PostgreSQL 15 database costs ~0.4 s + ~1 s on this disk, so 1,000 distinct ones do not fit a 20-minute run; every tenant still has its own handle, pool and connections)`
          : '') +
        `; SALESFLEET_MAX_OPEN_TENANTS=${maxOpen}, pool max ${POOL_MAX} per handle → budget ${maxOpen} × ${POOL_MAX} = ${budget} backends.`,
      `This server's max_connections is ${info.maxConnections} (shared with other users)${budget > info.maxConnections ? `, below the budget of ${budget}: pnpm start and check-tenants warn about it, and when the server refuses a new handle ("too many clients already") the connection cache closes idle handles on that server and retries once instead of answering 503` : ''}.`,
      `Status codes: ${JSON.stringify(statuses)}. Backends sampled every 50 ms, median ${backends.median}.`,
    ],
    details: { churn, warm, backends, maxOpenSeen, budget, maxOpen, poolMax: POOL_MAX, distinct, pgMaxConnections: info.maxConnections },
    durationSeconds: (performance.now() - started) / 1000,
  };
}
