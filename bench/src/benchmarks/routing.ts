import type { Harness, RunningServer } from '../lib/harness';
import { ROUTE_PATH } from '../lib/harness';
import { PG_URL, pgAvailable, pgFreeConnections } from '../lib/pg';
import type { BenchmarkResult, ResultRow } from '../lib/report';
import { round } from '../lib/stats';

/** Fails fast, with the answer, when a server does not serve the route (e.g. it has not landed yet). */
export async function assertServes(h: Harness, server: RunningServer, host: string, token: string): Promise<void> {
  const [first] = await h.sequential(server.port, [
    { host, path: ROUTE_PATH, headers: { authorization: `Bearer ${token}` }, label: 'check' },
  ]);
  if (first?.status !== 200) {
    throw new Error(
      `${server.name} answered ${first?.status ?? 'nothing'} to GET ${ROUTE_PATH} on ${host}` +
        (first?.status === 404 ? ' — is the tenant product list route there yet? (SALESFLEET_BENCH_PATH overrides the path)' : ''),
    );
  }
}

/**
 * 1. Routing overhead: the real API (host router + connection cache + one handle per tenant) with
 * requests spread over many tenant subdomains, against the baseline server (same app and route over
 * one fixed database). Requests go to the tenants in turn (one round-robin counter shared by all
 * connections), every one with the tenant admin's bearer session.
 */
export async function routingBenchmark(h: Harness): Promise<BenchmarkResult> {
  const started = performance.now();
  const { scale } = h.ctx;
  const rows: ResultRow[] = [];
  const notes: string[] = [];
  const details: Record<string, unknown> = {};

  // ── SQLite ──
  {
    const tenants = scale.routingTenants;
    h.log(`routing/SQLite: ${tenants} tenant files + baseline`);
    const template = await h.fixtures.sqliteTemplate();
    const fleet = await h.fixtures.fleet({ sqlite: tenants, baseline: true });
    const hosts = fleet.sqlite.map((s) => `${s}.localhost`);
    const maxOpen = tenants + 16;
    const subject = await h.server('tenancy', 'routing-sqlite', fleet.env({ SALESFLEET_MAX_OPEN_TENANTS: String(maxOpen) }));
    const baseline = await h.server(
      'baseline',
      'baseline-sqlite',
      fleet.env({ BENCH_DB_ENGINE: 'sqlite', BENCH_DB_NAME: 'baseline.sqlite' }),
    );
    const variant = EXPERIMENT_TTL_MS
      ? await h.server(
          'tenancy',
          `routing-sqlite-ttl${EXPERIMENT_TTL_MS}`,
          fleet.env({ SALESFLEET_MAX_OPEN_TENANTS: String(maxOpen), BENCH_ROUTER_TTL_MS: String(EXPERIMENT_TTL_MS) }),
        )
      : null;
    const sides = variant ? [baseline, subject, variant] : [baseline, subject];
    try {
      await assertServes(h, subject, hosts[0]!, template.token);
      await assertServes(h, baseline, hosts[0]!, template.token);
      const r = await h.interleaved(sides, {
        path: ROUTE_PATH,
        hosts,
        headers: { authorization: `Bearer ${template.token}` },
        connections: scale.connections,
      });
      const single = await h.interleaved(
        sides,
        {
          path: ROUTE_PATH,
          hosts,
          headers: { authorization: `Bearer ${template.token}` },
          connections: 1,
        },
        { warm: false },
      );
      const stats = await subject.child.request<Record<string, unknown>>('stats');
      details.sqlite = {
        tenants,
        maxOpen,
        baseline: r[baseline.name],
        subject: r[subject.name],
        singleConnection: single,
        subjectStats: stats,
      };
      rows.push(
        ...routingRows('1 routing (SQLite)', r[subject.name]!, r[baseline.name]!, tenants, single[subject.name]!, single[baseline.name]!),
      );
      notes.push(`SQLite subject after the run: ${cacheSummary(stats)}.`);
      if (variant)
        rows.push(
          ...experimentRows('1 routing (SQLite)', r[variant.name]!, r[baseline.name]!, single[variant.name]!, single[baseline.name]!),
        );
    } finally {
      await Promise.all([subject.child.stop(), baseline.child.stop(), variant?.child.stop()]);
    }
    notes.push(
      `SQLite: ${tenants} tenant files (copies of one migrated, seeded template with ${200} products), ` +
        `SALESFLEET_MAX_OPEN_TENANTS=${maxOpen} so every tenant stays warm (the default, 100, is below 200: an LRU under ` +
        'round-robin load then misses on every request — see benchmark 4 for that regime).',
    );
  }

  // ── PostgreSQL ──
  if (!(await pgAvailable())) {
    notes.push(`PostgreSQL not reachable at ${new URL(PG_URL).host}: skipped.`);
  } else {
    const free = await pgFreeConnections();
    // A busy tenant handle holds up to its pool max (3) backends — the product list runs its count and
    // page queries at once — so tenants × 3 must fit the server's free connections, after the baseline's
    // pool and a margin for other users of the server (otherwise: "too many clients already" → 503).
    const subjects = EXPERIMENT_TTL_MS ? 2 : 1;
    const tenants = Math.max(
      4,
      Math.min(scale.routingTenants, scale.pgDatabases, Math.floor((free - 30 - scale.connections) / (3 * subjects))),
    );
    h.log(`routing/PostgreSQL: ${tenants} tenant databases + baseline (server has ${free} free connections)`);
    const template = await h.fixtures.pgTemplate();
    const fleet = await h.fixtures.fleet({ postgres: tenants, pgDistinct: tenants });
    const baseDb = await h.fixtures.pgBaseline();
    const hosts = fleet.postgres.map((s) => `${s}.localhost`);
    const maxOpen = tenants + 16;
    const subject = await h.server('tenancy', 'routing-pg', fleet.env({ SALESFLEET_MAX_OPEN_TENANTS: String(maxOpen) }));
    const baseline = await h.server(
      'baseline',
      'baseline-pg',
      fleet.env({ BENCH_DB_ENGINE: 'postgres', BENCH_DB_NAME: baseDb, BENCH_PG_URL: PG_URL, BENCH_POOL_MAX: String(scale.connections) }),
    );
    const variant = EXPERIMENT_TTL_MS
      ? await h.server(
          'tenancy',
          `routing-pg-ttl${EXPERIMENT_TTL_MS}`,
          fleet.env({ SALESFLEET_MAX_OPEN_TENANTS: String(maxOpen), BENCH_ROUTER_TTL_MS: String(EXPERIMENT_TTL_MS) }),
        )
      : null;
    const sides = variant ? [baseline, subject, variant] : [baseline, subject];
    try {
      await assertServes(h, subject, hosts[0]!, template.token);
      await assertServes(h, baseline, hosts[0]!, template.token);
      const r = await h.interleaved(sides, {
        path: ROUTE_PATH,
        hosts,
        headers: { authorization: `Bearer ${template.token}` },
        connections: scale.connections,
      });
      const single = await h.interleaved(
        sides,
        {
          path: ROUTE_PATH,
          hosts,
          headers: { authorization: `Bearer ${template.token}` },
          connections: 1,
        },
        { warm: false },
      );
      const stats = await subject.child.request<Record<string, unknown>>('stats');
      details.postgres = {
        tenants,
        maxOpen,
        freeConnections: free,
        baseline: r[baseline.name],
        subject: r[subject.name],
        singleConnection: single,
        subjectStats: stats,
      };
      rows.push(
        ...routingRows(
          '1 routing (PostgreSQL)',
          r[subject.name]!,
          r[baseline.name]!,
          tenants,
          single[subject.name]!,
          single[baseline.name]!,
        ),
      );
      notes.push(`PostgreSQL subject after the run: ${cacheSummary(stats)}.`);
      if (variant)
        rows.push(
          ...experimentRows('1 routing (PostgreSQL)', r[variant.name]!, r[baseline.name]!, single[variant.name]!, single[baseline.name]!),
        );
    } finally {
      await Promise.all([subject.child.stop(), baseline.child.stop(), variant?.child.stop()]);
    }
    if (tenants < scale.routingTenants) {
      notes.push(
        `PostgreSQL: ${tenants} tenant databases, not ${scale.routingTenants}` +
          (scale.quick ? ' (quick run)' : '') +
          `: a busy handle holds up to 3 backends (pool max) and this server had ${free} free connections (max_connections 100, shared with other users); ` +
          `with more tenants the server answers "too many clients already" and the API 503s (seen with 49 and 64 tenants). ` +
          `${scale.routingTenants} warm tenants need ${scale.routingTenants * 3} connections: a larger max_connections, a smaller tenant pool, or PgBouncer.`,
      );
    }
  }

  return {
    name: 'routing',
    title: '1. Routing overhead',
    rows,
    notes: [
      `GET ${ROUTE_PATH} with a bearer session, ${scale.connections} connections, ${scale.rounds} × ${scale.roundSeconds} s per side, interleaved with the baseline; medians. ` +
        'Then the same with 1 connection: with no concurrency the p50 ratio is the per-request cost of the tenancy layer alone.',
      `Baseline pools: PostgreSQL ${scale.connections} connections (one per load connection, so its single pool is not the bottleneck; each subject handle keeps its pool of 3). ` +
        'SQLite: Sequelize uses one connection per database file, so the baseline runs its queries one at a time while the subject spreads them over many files — under concurrent load that favours the subject.',
      ...notes,
    ],
    details,
    durationSeconds: (performance.now() - started) / 1000,
  };
}

/** SALESFLEET_BENCH_ROUTER_TTL_MS: also run a subject whose host router caches for this long (experiment). */
const EXPERIMENT_TTL_MS = Number(process.env.SALESFLEET_BENCH_ROUTER_TTL_MS ?? 0);

function experimentRows(benchmark: string, variant: Side, baseline: Side, variant1: Side, baseline1: Side): ResultRow[] {
  const label = `experiment: router TTL ${EXPERIMENT_TTL_MS / 1000} s`;
  return [
    {
      benchmark,
      metric: `${label}, req/s`,
      value: `${variant.rps}`,
      baseline: `${baseline.rps}`,
      ratio: round(variant.rps / baseline.rps, 3),
    },
    {
      benchmark,
      metric: `${label}, p99`,
      value: `${variant.p99} ms`,
      baseline: `${baseline.p99} ms`,
      ratio: round(variant.p99 / baseline.p99, 3),
    },
    {
      benchmark,
      metric: `${label}, p50 at 1 connection`,
      value: `${variant1.p50} ms`,
      baseline: `${baseline1.p50} ms`,
      ratio: round(variant1.p50 / baseline1.p50, 3),
    },
  ];
}

type Side = { rps: number; p50: number; p99: number; non2xx: number; errors: number; cpuUsPerRequest: number };

function routingRows(benchmark: string, subject: Side, baseline: Side, tenants: number, subject1: Side, baseline1: Side): ResultRow[] {
  const rpsRatio = round(subject.rps / baseline.rps, 3);
  const p99Ratio = round(subject.p99 / baseline.p99, 3);
  return [
    {
      benchmark,
      metric: `req/s over ${tenants} tenants vs 1 database`,
      value: `${subject.rps}`,
      baseline: `${baseline.rps}`,
      ratio: rpsRatio,
      target: '≥ 0.90×',
      met: rpsRatio >= 0.9 && subject.non2xx === 0 && subject.errors === 0,
    },
    {
      benchmark,
      metric: 'p99 latency',
      value: `${subject.p99} ms`,
      baseline: `${baseline.p99} ms`,
      ratio: p99Ratio,
      target: '≤ 1.25×',
      met: p99Ratio <= 1.25,
    },
    {
      benchmark,
      metric: 'p50 latency',
      value: `${subject.p50} ms`,
      baseline: `${baseline.p50} ms`,
      ratio: round(subject.p50 / baseline.p50, 3),
    },
    {
      benchmark,
      metric: 'p50 latency, 1 connection (per-request overhead)',
      value: `${subject1.p50} ms`,
      baseline: `${baseline1.p50} ms`,
      ratio: round(subject1.p50 / baseline1.p50, 3),
    },
    {
      benchmark,
      metric: 'server CPU µs per request (user + system, all rounds; load-independent)',
      value: `${subject.cpuUsPerRequest}`,
      baseline: `${baseline.cpuUsPerRequest}`,
      ratio: round(subject.cpuUsPerRequest / baseline.cpuUsPerRequest, 3),
    },
  ];
}

/** Router and connection-cache counters of a tenancy server (`stats` over IPC). */
function cacheSummary(stats: Record<string, unknown>): string {
  const router = stats.router as { hits: number; misses: number } | undefined;
  const connections = stats.connections as { hits: number; misses: number; evictions: number } | undefined;
  const pct = (hits: number, misses: number) => `${round((100 * misses) / Math.max(1, hits + misses), 1)}%`;
  return (
    `router ${router?.hits ?? '?'} hits / ${router?.misses ?? '?'} misses (${router ? pct(router.hits, router.misses) : '?'} miss: each miss is a registry query), ` +
    `connection cache ${connections?.hits ?? '?'} hits / ${connections?.misses ?? '?'} misses / ${connections?.evictions ?? '?'} evictions`
  );
}
