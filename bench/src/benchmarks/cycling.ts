import { startPgBouncer, pgbouncerSkipReason } from '@salesfleet/tenancy/testing';
import type { Harness } from '../lib/harness';
import { ROUTE_PATH } from '../lib/harness';
import { PG_URL, pgAvailable, pgFreeConnections } from '../lib/pg';
import type { BenchmarkResult, ResultRow } from '../lib/report';
import { round } from '../lib/stats';
import { assertServes } from './routing';

/** Open tenant handles of the cycling process: far fewer than its tenants, so nearly every request reopens one. */
const CYCLING_MAX_OPEN = 20;
/** PgBouncer's server connections per database. */
const POOL_SIZE = 2;

/**
 * 3b. Cycling PostgreSQL tenants through PgBouncer (issue 16.4): more tenants than one process's
 * connection cache holds, requested in turn, so almost every request evicts a handle and opens
 * another. With PgBouncer (transaction mode) in front of the server, opening a handle is a connection
 * to the pooler, not a new PostgreSQL backend. Compared, in the same run and through the same
 * PgBouncer, with the same tenants all warm (a cache that holds them all). Without the pooler the
 * all-warm side cannot run at all here: 200 warm tenants keep ≥ 200 backends open, more than the
 * server's max_connections. The all-warm side is also compared with benchmark 1's single-database
 * baseline (issue 15.2: 200 warm tenants through PgBouncer ≥ 0.90× one database).
 */
export async function cyclingBenchmark(h: Harness): Promise<BenchmarkResult> {
  const started = performance.now();
  const { scale } = h.ctx;
  const rows: ResultRow[] = [];
  const notes: string[] = [];
  const details: Record<string, unknown> = {};
  const result = () => ({
    name: 'cycling',
    title: '3b. Cycling tenants through PgBouncer',
    rows,
    notes,
    details,
    durationSeconds: (performance.now() - started) / 1000,
  });
  const skip = pgbouncerSkipReason();
  if (skip) {
    notes.push(skip);
    return result();
  }
  if (!(await pgAvailable())) {
    notes.push(`PostgreSQL not reachable at ${new URL(PG_URL).host}: skipped.`);
    return result();
  }

  const tenants = scale.quick ? 50 : 200;
  // The pooler's backends over all the tenant databases together, leaving the server room for others.
  const free = await pgFreeConnections();
  const serverConnections = Math.max(4, Math.min(40, free - 20));
  // Every database's pool fits in those at once: past the cap PgBouncer waits for another database's
  // idle server connection to time out before it opens one (server backend churn, not what is measured).
  const distinct = Math.max(1, Math.min(tenants, scale.pgDatabases, Math.floor(serverConnections / POOL_SIZE)));
  h.log(`cycling/PostgreSQL: ${tenants} tenants over ${distinct} databases, PgBouncer with ${serverConnections} server connections`);
  const template = await h.fixtures.pgTemplate();
  const fleet = await h.fixtures.fleet({ postgres: tenants, pgDistinct: distinct });
  const hosts = fleet.postgres.map((s) => `${s}.localhost`);
  const bouncer = await startPgBouncer({ poolSize: POOL_SIZE, maxServerConnections: serverConnections });
  const env = (maxOpen: number) =>
    fleet.env({
      SALESFLEET_MAX_OPEN_TENANTS: String(maxOpen),
      SALESFLEET_TENANT_SERVER_URL: PG_URL,
      SALESFLEET_TENANT_POOLER_URL: bouncer.url,
      LOG_LEVEL: 'warn',
    });
  const warm = await h.server('tenancy', 'cycling-warm', env(tenants + 16));
  const cycling = await h.server('tenancy', 'cycling', env(CYCLING_MAX_OPEN));
  // Issue 15.2's PostgreSQL half: the all-warm side against benchmark 1's single-database baseline
  // (same app and route on one database, direct, a pool of one connection per load connection).
  const baseDb = await h.fixtures.pgBaseline();
  const single = await h.server(
    'baseline',
    'cycling-baseline-pg',
    fleet.env({ BENCH_DB_ENGINE: 'postgres', BENCH_DB_NAME: baseDb, BENCH_PG_URL: PG_URL, BENCH_POOL_MAX: String(scale.connections) }),
  );
  try {
    await assertServes(h, warm, hosts[0]!, template.token);
    await assertServes(h, cycling, hosts[0]!, template.token);
    await assertServes(h, single, hosts[0]!, template.token);
    const r = await h.interleaved([single, warm, cycling], {
      path: ROUTE_PATH,
      hosts,
      headers: { authorization: `Bearer ${template.token}` },
      connections: scale.connections,
    });
    const stats = await cycling.child.request<{ connections?: { hits: number; misses: number; evictions: number } }>('stats');
    const subject = r[cycling.name]!;
    const baseline = r[warm.name]!;
    const ratio = round(subject.rps / baseline.rps, 3);
    const one = r[single.name]!;
    const warmRatio = round(baseline.rps / one.rps, 3);
    details.postgres = {
      tenants,
      distinct,
      serverConnections,
      cyclingMaxOpen: CYCLING_MAX_OPEN,
      warm: baseline,
      cycling: subject,
      singleDatabase: one,
      stats,
    };
    rows.push(
      {
        benchmark: '3b cycling (PostgreSQL + PgBouncer)',
        metric: `req/s, ${tenants} tenants all warm through PgBouncer vs 1 database (direct, benchmark 1's baseline)`,
        value: `${baseline.rps}`,
        baseline: `${one.rps}`,
        ratio: warmRatio,
        target: '≥ 0.90×',
        met: warmRatio >= 0.9 && baseline.non2xx === 0 && baseline.errors === 0,
      },
      {
        benchmark: '3b cycling (PostgreSQL + PgBouncer)',
        metric: 'p99: all warm through PgBouncer vs 1 database',
        value: `${baseline.p99} ms`,
        baseline: `${one.p99} ms`,
        ratio: round(baseline.p99 / one.p99, 3),
      },
      {
        benchmark: '3b cycling (PostgreSQL + PgBouncer)',
        metric: `req/s, ${tenants} tenants through a cache of ${CYCLING_MAX_OPEN} vs all warm`,
        value: `${subject.rps}`,
        baseline: `${baseline.rps}`,
        ratio,
        target: '≥ 0.50×',
        met: ratio >= 0.5 && subject.non2xx === 0 && subject.errors === 0,
      },
      {
        benchmark: '3b cycling (PostgreSQL + PgBouncer)',
        metric: 'p99: cycling vs all warm',
        value: `${subject.p99} ms`,
        baseline: `${baseline.p99} ms`,
        ratio: round(subject.p99 / baseline.p99, 3),
      },
      {
        benchmark: '3b cycling (PostgreSQL + PgBouncer)',
        metric: 'non-2xx / errors (cycling; all warm)',
        value: `${subject.non2xx} / ${subject.errors}`,
        baseline: `${baseline.non2xx} / ${baseline.errors}`,
        target: '0',
        met: subject.non2xx + subject.errors === 0,
      },
    );
    const c = stats.connections;
    notes.push(
      `GET ${ROUTE_PATH}, ${scale.connections} connections, tenants requested in turn; ${tenants} tenants over ${distinct} databases; ` +
        `Debian's PgBouncer in transaction mode, pool ${POOL_SIZE} per database, at most ${serverConnections} server connections. ` +
        `Cycling process: SALESFLEET_MAX_OPEN_TENANTS=${CYCLING_MAX_OPEN}` +
        (c ? ` — its cache after the run: ${c.hits} hits / ${c.misses} misses / ${c.evictions} evictions.` : '.'),
    );
  } finally {
    await Promise.all([warm.child.stop(), cycling.child.stop(), single.child.stop()]);
    await bouncer.stop();
  }
  return result();
}
