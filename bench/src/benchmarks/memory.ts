import type { Harness } from '../lib/harness';
import type { BenchmarkResult } from '../lib/report';
import { round } from '../lib/stats';

interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

const MB = 2 ** 20;

/**
 * 7. Memory: the real API process (tenancy server) with `memoryTenants` registered tenants, every
 * one resolved once by its host router (through IPC, so no tenant database is opened); RSS and heap
 * after a full GC, before and after.
 */
export async function memoryBenchmark(h: Harness): Promise<BenchmarkResult> {
  const started = performance.now();
  const n = h.ctx.scale.memoryTenants;
  h.log(`memory: registry with ${n} tenants`);
  const fleet = await h.fixtures.fleet({ sqlite: n, files: false });
  const server = await h.server('tenancy', 'memory', fleet.env(), ['--expose-gc']);
  try {
    const before = await server.child.request<Memory>('gc');
    const hosts = fleet.sqlite.map((s) => `${s}.localhost`);
    const t0 = performance.now();
    const resolved = await server.child.request<{ kinds: Record<string, number>; router: { cached: number } }>('resolve', {
      hosts,
      concurrency: 8,
    });
    const resolveSeconds = (performance.now() - t0) / 1000;
    if ((resolved.kinds.tenant ?? 0) !== n) throw new Error(`resolved ${JSON.stringify(resolved.kinds)}, expected ${n} tenants`);
    const after = await server.child.request<Memory>('gc');
    const perTenant = (after.heapUsed - before.heapUsed) / n;
    return {
      name: 'memory',
      title: '7. Memory',
      rows: [
        {
          benchmark: '7 memory',
          metric: `RSS after GC, ${n.toLocaleString('en')} tenants resolved (vs before)`,
          value: `${round(after.rss / MB, 1)} MB`,
          baseline: `${round(before.rss / MB, 1)} MB`,
          ratio: round(after.rss / before.rss, 3),
          target: '≤ 300 MB',
          met: after.rss <= 300 * MB,
        },
        {
          benchmark: '7 memory',
          metric: 'heap used after GC (vs before)',
          value: `${round(after.heapUsed / MB, 1)} MB`,
          baseline: `${round(before.heapUsed / MB, 1)} MB`,
        },
        { benchmark: '7 memory', metric: 'heap per resolved tenant', value: `${Math.round(perTenant)} B` },
      ],
      notes: [
        `The API process (openTenancy + createApp, registry on SQLite) with ${n.toLocaleString('en')} active tenants registered; every host resolved once ` +
          `through router.resolveHost (8 at a time, ${resolveSeconds.toFixed(1)} s, ${resolved.router.cached} cached), then two full GCs (--expose-gc).`,
      ],
      details: { before, after, resolveSeconds, router: resolved.router },
      durationSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await server.child.stop();
  }
}
