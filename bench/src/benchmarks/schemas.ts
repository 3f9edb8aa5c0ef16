import { Child } from '../lib/child';
import type { Harness } from '../lib/harness';
import { PG_URL, dropDatabasesWithPrefix, pgAvailable } from '../lib/pg';
import type { BenchmarkResult, ResultRow } from '../lib/report';
import { median, round } from '../lib/stats';

interface SchemasRun {
  shared: string;
  poolMax: number;
  warmupMs: number;
  creationMs: number[];
  /** The same creations with spare schemas off (the template script runs in each), alternated with creationMs. */
  scriptedMs: number[];
  bulk: { tenants: number; seconds: number };
  check: { seconds: number; tenants: number; pending: number; failed: number };
  routing: { tenants: number; one: number[]; many: number[]; maxBackends: number };
  memory: { registered: number; warm: number; open: number; rssMB: number; heapMB: number; registerSeconds: number; gc: boolean };
  cleanupSeconds: number;
}

/**
 * 15. Schema tenants (issue 17, `postgres-schema`): in one child process on one shared database —
 * creation of a schema tenant (median, target ≤ 0.25 s), `migrate-tenants --check` over the fleet
 * (target ≤ 10 s for 1,000 schemas), units of work over 200 schema tenants vs one (≥ 0.90×, and the
 * shared database's PostgreSQL backends ≤ the pool size, not tenants × pool), and 10,000 registered
 * with 1,000 warm (RSS ≤ 400 MB).
 */
export async function schemasBenchmark(h: Harness): Promise<BenchmarkResult> {
  const started = performance.now();
  const quick = h.ctx.scale.quick;
  const rows: ResultRow[] = [];
  const details: Record<string, unknown> = {};
  const size = quick
    ? { fleet: 12, timed: 5, routing: 10, registered: 200, warm: 10, rounds: 2, roundMs: 2000 }
    : { fleet: 1_000, timed: 20, routing: 200, registered: 9_000, warm: 1_000, rounds: 5, roundMs: 5000 };
  const notes: string[] = [
    `One shared database, schema tenants made by the Provisioner (${size.timed} timed one at a time after a warm-up that records the ` +
      'schema template, each with a spare schema ready (the background refill after the previous creation waited for, as between sign-ups), ' +
      `alternated with ${size.timed} made by a second provisioner with spare schemas off; the rest of the ${size.fleet} four at a time). Check = provisioner.migrateTenants({ check: true }) over every schema. ` +
      `Routing = one product-list query in a tenant's scope (one transaction with SET LOCAL search_path, as an API request) from 10 concurrent ` +
      `loops, round-robin over ${size.routing} tenants vs always one, ${size.rounds} interleaved rounds of ${size.roundMs / 1000} s, in process ` +
      '(no HTTP: the ratio isolates what many schemas cost on one pool). Memory = registry rows of further schema tenants (never opened) ' +
      `up to ${size.registered + size.fleet} registered, then ${size.warm} real ones opened and held; RSS after a GC.`,
  ];
  const slugPrefix = `${h.ctx.id}s`;
  h.ctx.cleanup.add('drop the schema benchmark shared database', async () => {
    await dropDatabasesWithPrefix([`sales_${slugPrefix}`]);
  });
  if (!(await pgAvailable())) {
    notes.push(`PostgreSQL not reachable at ${new URL(PG_URL).host}: skipped.`);
    return { name: 'schemas', title: '15. Schema tenants (postgres-schema)', rows, notes, details, durationSeconds: 0 };
  }
  const task = new Child(h.ctx, {
    script: 'tasks/schemas-task.ts',
    logName: 'schemas',
    env: { SALESFLEET_TEST_POSTGRES_URL: PG_URL },
    nodeFlags: ['--expose-gc'],
  });
  try {
    await task.ready;
    h.log(`schemas: ${size.fleet} schema tenants, ${size.registered} more registered`);
    const r = await task.request<SchemasRun>('run', { ...size, slugPrefix });
    details.run = r;
    const creation = median(r.creationMs);
    rows.push({
      benchmark: '15 schemas',
      metric: `create a schema tenant (median of ${r.creationMs.length})`,
      value: `${round(creation / 1000, 3)} s`,
      target: '≤ 0.25 s',
      met: creation <= 250,
    });
    rows.push({
      benchmark: '15 schemas',
      metric: `create a schema tenant with no spare schema ready (template script; median of ${r.scriptedMs.length}, alternated)`,
      value: `${round(median(r.scriptedMs) / 1000, 3)} s`,
      target: 'reported',
    });
    const checkTarget = (10 * r.check.tenants) / 1000;
    rows.push({
      benchmark: '15 schemas',
      metric: `migrate-tenants --check over ${r.check.tenants} schemas (pending ${r.check.pending}, failed ${r.check.failed})`,
      value: `${round(r.check.seconds, 2)} s`,
      target: `≤ ${round(checkTarget, 2)} s (10 s per 1,000)`,
      met: r.check.failed === 0 && r.check.seconds <= checkTarget,
    });
    const one = median(r.routing.one);
    const many = median(r.routing.many);
    rows.push({
      benchmark: '15 schemas',
      metric: `units/s over ${r.routing.tenants} schema tenants vs one (one pool of ${r.poolMax})`,
      value: `${round(many, 0)}/s`,
      baseline: `${round(one, 0)}/s`,
      ratio: round(many / one, 3),
      target: '≥ 0.90×',
      met: many / one >= 0.9,
    });
    rows.push({
      benchmark: '15 schemas',
      metric: `PostgreSQL backends of the shared database during routing (max sampled)`,
      value: String(r.routing.maxBackends),
      target: `≤ pool size ${r.poolMax}`,
      met: r.routing.maxBackends <= r.poolMax,
    });
    rows.push({
      benchmark: '15 schemas',
      metric: `RSS with ${r.memory.registered} registered, ${r.memory.warm} warm (${r.memory.open} handles open${r.memory.gc ? ', after GC' : ''})`,
      value: `${round(r.memory.rssMB, 0)} MB`,
      target: quick ? 'reported (full run: 10,000 / 1,000 ≤ 400 MB)' : '≤ 400 MB',
      ...(quick ? {} : { met: r.memory.rssMB <= 400 }),
    });
    notes.push(
      `Warm-up tenant (template recorded) ${round(r.warmupMs / 1000, 2)} s; ${r.bulk.tenants} more created in ${round(r.bulk.seconds, 1)} s; ` +
        `${r.memory.registered - r.bulk.tenants - r.creationMs.length - 1} rows registered in ${round(r.memory.registerSeconds, 1)} s; heap ${round(r.memory.heapMB, 0)} MB.`,
    );
  } finally {
    await task.stop();
  }
  return {
    name: 'schemas',
    title: '15. Schema tenants (postgres-schema)',
    rows,
    notes,
    details,
    durationSeconds: (performance.now() - started) / 1000,
  };
}
