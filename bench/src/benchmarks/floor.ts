import type { Harness } from '../lib/harness';
import { ROUTE_PATH } from '../lib/harness';
import { PG_URL, pgAvailable, pgUrlFor } from '../lib/pg';
import type { BenchmarkResult } from '../lib/report';
import { round } from '../lib/stats';
import { assertServes } from './routing';

/**
 * 2. Framework floor: the baseline server (Hono app + Sequelize, one PostgreSQL database) against a
 * bare node:http + pg server replaying the SQL the baseline sent for one warm request. Reported only:
 * how far the stack is from what this machine can do with the same queries.
 */
export async function floorBenchmark(h: Harness): Promise<BenchmarkResult> {
  const started = performance.now();
  const { scale } = h.ctx;
  if (!(await pgAvailable())) {
    return {
      name: 'floor',
      title: '2. Framework floor',
      rows: [],
      notes: [`PostgreSQL not reachable at ${new URL(PG_URL).host}: skipped.`],
      details: {},
      durationSeconds: 0,
    };
  }
  const template = await h.fixtures.pgTemplate();
  const baseDb = await h.fixtures.pgBaseline();
  const dataDir = h.ctx.subdir('floor');
  const auth = { authorization: `Bearer ${template.token}` };
  const host = 'floor.localhost';
  const baseline = await h.server(
    'baseline',
    'floor-baseline-pg',
    h.fixtures.env(dataDir, { BENCH_DB_ENGINE: 'postgres', BENCH_DB_NAME: baseDb, BENCH_PG_URL: PG_URL }),
  );
  let bare: Awaited<ReturnType<Harness['server']>> | null = null;
  try {
    await assertServes(h, baseline, host, template.token);
    // Warm (session slide, permission cache), then capture exactly one steady request's SQL.
    await h.sequential(
      baseline.port,
      Array.from({ length: 3 }, () => ({ host, path: ROUTE_PATH, headers: auth, label: 'warm' })),
    );
    await baseline.child.request('capture-start');
    await h.sequential(baseline.port, [{ host, path: ROUTE_PATH, headers: auth, label: 'capture' }]);
    const sql = await baseline.child.request<string[]>('capture-stop');
    h.log(`floor: the route sends ${sql.length} SQL statements per warm request`);
    bare = await h.server('bare', 'floor-bare-pg', { BENCH_PG_URL: pgUrlFor(baseDb), BENCH_SQL: JSON.stringify(sql) });
    const r = await h.interleaved([bare, baseline], { path: ROUTE_PATH, hosts: [host], headers: auth, connections: scale.connections });
    const b = r[baseline.name]!;
    const f = r[bare.name]!;
    const ratio = round(b.rps / f.rps, 3);
    return {
      name: 'floor',
      title: '2. Framework floor',
      rows: [
        {
          benchmark: '2 floor (PostgreSQL)',
          metric: 'req/s, baseline app vs bare node:http + pg, same SQL',
          value: `${b.rps}`,
          baseline: `${f.rps}`,
          ratio,
        },
        {
          benchmark: '2 floor (PostgreSQL)',
          metric: 'p99 latency',
          value: `${b.p99} ms`,
          baseline: `${f.p99} ms`,
          ratio: round(b.p99 / f.p99, 3),
        },
        { benchmark: '2 floor (PostgreSQL)', metric: 'SQL statements per warm request', value: String(sql.length) },
      ],
      notes: [
        `The bare server replays, per request, the ${sql.length} statements captured from the baseline's Sequelize log for one warm request ` +
          '(session lookup and the list query) on a pg pool of 3, and serialises the rows; no framework, ORM, middleware or log line.',
        `Captured SQL: ${sql.map((s) => `\`${s.length > 160 ? `${s.slice(0, 157)}…` : s}\``).join('; ')}`,
      ],
      details: { baseline: b, bare: f, sql },
      durationSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await Promise.all([baseline.child.stop(), bare?.child.stop()]);
  }
}
