import type { SequentialRequest, SequentialResult } from '../load/load-generator';
import type { Fleet } from '../lib/fixtures';
import type { Harness } from '../lib/harness';
import { ROUTE_PATH } from '../lib/harness';
import { PG_URL, pgAvailable, pgConnectFloor } from '../lib/pg';
import type { BenchmarkResult, ResultRow } from '../lib/report';
import { percentile, round } from '../lib/stats';

const MAX_OPEN = 8;

/**
 * 3. Cold tenants: single requests, one at a time, from the load generator. The server's cache holds
 * 8 handles, and tenants are visited in turn, so when a tenant comes round again its handle has been
 * evicted (closed). Each cold request is followed at once by a second request to the same tenant (the
 * warm one it is compared with). The first pass also records the very first request to each tenant
 * (router lookup, permission load and handle all cold).
 */
export async function coldBenchmark(h: Harness): Promise<BenchmarkResult> {
  const started = performance.now();
  const { scale } = h.ctx;
  const rows: ResultRow[] = [];
  const notes: string[] = [
    `SALESFLEET_MAX_OPEN_TENANTS=${MAX_OPEN}; ${scale.coldTenants} tenants visited in turn, ${1 + scale.coldPasses} passes; ` +
      'each request is answered before the next is sent (one kept-alive connection). “Cold” = the tenant’s handle had been evicted; ' +
      '“first” = the first request the process ever saw for that tenant (registry lookup and permission load too).',
  ];
  const details: Record<string, unknown> = {};

  const run = async (engine: 'sqlite' | 'postgres', label: string, targetMs: number) => {
    const template = engine === 'sqlite' ? await h.fixtures.sqliteTemplate() : await h.fixtures.pgTemplate();
    const fleet: Fleet =
      engine === 'sqlite'
        ? await h.fixtures.fleet({ sqlite: scale.coldTenants })
        : await h.fixtures.fleet({ postgres: scale.coldTenants, pgDistinct: Math.min(scale.coldTenants, scale.pgDatabases) });
    const slugs = engine === 'sqlite' ? fleet.sqlite : fleet.postgres;
    const server = await h.server('tenancy', `cold-${engine}`, fleet.env({ SALESFLEET_MAX_OPEN_TENANTS: String(MAX_OPEN) }));
    try {
      const headers = { authorization: `Bearer ${template.token}` };
      const requests: SequentialRequest[] = [];
      for (let pass = 0; pass <= scale.coldPasses; pass++) {
        for (const slug of slugs) {
          const host = `${slug}.localhost`;
          requests.push({ host, path: ROUTE_PATH, headers, label: pass === 0 ? 'first' : 'cold' });
          requests.push({ host, path: ROUTE_PATH, headers, label: 'warm' });
        }
      }
      const floor =
        engine === 'postgres' ? await pgConnectFloor(await h.fixtures.pgDatabases(Math.min(scale.coldTenants, scale.pgDatabases))) : null;
      const results = await h.sequential(server.port, requests);
      const bad = results.filter((r) => r.status !== 200);
      if (bad.length > 0) throw new Error(`${bad.length} of ${results.length} requests failed (first status ${bad[0]!.status})`);
      const stats = await server.child.request<{ connections: { misses: number; hits: number } }>('stats');
      const by = (l: string) => results.filter((r: SequentialResult) => r.label === l).map((r) => r.ms);
      const first = by('first');
      const cold = by('cold');
      const warm = by('warm');
      const s = (xs: number[]) => ({
        n: xs.length,
        p50: round(percentile(xs, 50), 2),
        p90: round(percentile(xs, 90), 2),
        p99: round(percentile(xs, 99), 2),
      });
      const summary = {
        first: s(first),
        cold: s(cold),
        warm: s(warm),
        connections: stats.connections,
        distinctDatabases: engine === 'postgres' ? Math.min(scale.coldTenants, scale.pgDatabases) : slugs.length,
      };
      details[engine] = summary;
      rows.push(
        {
          benchmark: `3 cold (${label})`,
          metric: 'p50, evicted handle vs warm',
          value: `${summary.cold.p50} ms`,
          baseline: `${summary.warm.p50} ms`,
          ratio: round(summary.cold.p50 / summary.warm.p50, 3),
          target: `≤ ${targetMs} ms`,
          met: summary.cold.p50 <= targetMs,
        },
        {
          benchmark: `3 cold (${label})`,
          metric: 'p99, evicted handle vs warm',
          value: `${summary.cold.p99} ms`,
          baseline: `${summary.warm.p99} ms`,
          ratio: round(summary.cold.p99 / summary.warm.p99, 3),
        },
        {
          benchmark: `3 cold (${label})`,
          metric: 'p50 / p99, first request ever',
          value: `${summary.first.p50} / ${summary.first.p99} ms`,
        },
      );
      if (floor !== null) {
        rows.push({ benchmark: `3 cold (${label})`, metric: 'floor: bare pg connect + SELECT 1 (median)', value: `${round(floor, 2)} ms` });
        details.pgConnectFloorMs = floor;
      }
      if (cold.length > 0 && stats.connections.misses < first.length + cold.length) {
        notes.push(
          `${label}: only ${stats.connections.misses} cache misses for ${first.length + cold.length} cold requests — some were not cold.`,
        );
      }
    } finally {
      await server.child.stop();
    }
  };

  await run('sqlite', 'SQLite', 10);
  if (await pgAvailable()) {
    await run('postgres', 'PostgreSQL', 25);
    if (scale.coldTenants > scale.pgDatabases) {
      notes.push(`PostgreSQL: ${scale.coldTenants} tenants over ${scale.pgDatabases} distinct databases (quick run).`);
    }
  } else notes.push(`PostgreSQL not reachable at ${new URL(PG_URL).host}: skipped.`);

  return { name: 'cold', title: '3. Cold tenants', rows, notes, details, durationSeconds: (performance.now() - started) / 1000 };
}
