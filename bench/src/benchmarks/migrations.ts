import os from 'node:os';
import { Child } from '../lib/child';
import type { Harness } from '../lib/harness';
import { PG_URL, pgAvailable } from '../lib/pg';
import type { BenchmarkResult, ResultRow } from '../lib/report';
import { median, round } from '../lib/stats';

interface CheckResult {
  seconds: number;
  tenants: number;
  pending: number;
  failed: number;
  firstError: string | null;
}

interface ApplyResult {
  seconds: number;
  /** Worker threads of the run (0: all in the task's thread) and the pool's one start-up (s), not counted in `seconds`. */
  workers: number;
  workerStartSeconds: number | null;
  cpuPerWallSecond: number;
  tenants: number;
  changed: number;
  failed: number;
  firstError: string | null;
}

/** Tenants migrated at once in the parallel runs (the Provisioner's default for `migrateTenants`). */
const PARALLEL = 4;

/**
 * 6. Fleet migrations: `migrate-tenants --check` over the fleet with nothing pending, and one new
 * migration applied sequentially vs `PARALLEL` at a time (interleaved; each run applies its own new migration).
 */
export async function migrationsBenchmark(h: Harness): Promise<BenchmarkResult> {
  const started = performance.now();
  const { scale } = h.ctx;
  const rows: ResultRow[] = [];
  const details: Record<string, unknown> = {};
  const notes: string[] = [
    `Fleets: copies of the migrated template (SQLite) / CREATE DATABASE … TEMPLATE clones (PostgreSQL), rows inserted in bulk into a registry of their own. ` +
      `Check = the Provisioner's migrateTenants({ check: true }) at its default concurrency 4, ${scale.fleetRounds + 1} runs, median.`,
    'Apply = one new migration (ALTER TABLE products ADD COLUMN; each run adds its own column, so runs do the same work and nothing is reverted) ' +
      'through the Provisioner’s migrateTenants({ concurrency, workers }) given the compiled tenant migrations plus the bench ones by module ' +
      `(bench/src/tasks/bench-migrations.ts, loaded in the worker threads too). Sequential (in the task's thread) vs ${PARALLEL} at a time on one worker thread per core, ` +
      `${scale.fleetRounds} interleaved pair(s), median.`,
  ];

  const fleets: { engine: 'sqlite' | 'postgres'; label: string; count: number }[] = [
    { engine: 'sqlite', label: 'SQLite', count: scale.fleetSqlite },
  ];
  if (await pgAvailable()) fleets.push({ engine: 'postgres', label: 'PostgreSQL', count: scale.fleetPostgres });
  else notes.push(`PostgreSQL not reachable at ${new URL(PG_URL).host}: skipped.`);

  for (const f of fleets) {
    const fleet =
      f.engine === 'sqlite'
        ? await h.fixtures.fleet({ sqlite: f.count })
        : await h.fixtures.fleet({ postgres: f.count, pgDistinct: f.count });
    const task = new Child(h.ctx, { script: 'tasks/migrations-task.ts', logName: `migrations-${f.engine}`, env: fleet.env() });
    try {
      await task.ready;
      const checks: CheckResult[] = [];
      for (let i = 0; i <= scale.fleetRounds; i++) {
        const c = await task.request<CheckResult>('check', { concurrency: 4 });
        checks.push(c);
        h.log(`migrations/${f.engine}: check ${c.tenants} tenants in ${c.seconds.toFixed(2)} s (pending ${c.pending}, failed ${c.failed})`);
        if (c.failed > 0) throw new Error(`check failed on ${c.failed} tenants: ${c.firstError}`);
      }
      const sequential: ApplyResult[] = [];
      const parallel: ApplyResult[] = [];
      let step = 0;
      const apply = async (concurrency: number, into: ApplyResult[]) => {
        const a = await task.request<ApplyResult>('apply', { step: ++step, concurrency });
        if (a.failed > 0 || a.changed !== a.tenants)
          throw new Error(`apply (concurrency ${concurrency}): ${a.failed} failed, ${a.changed}/${a.tenants} applied: ${a.firstError}`);
        into.push(a);
        h.log(
          `migrations/${f.engine}: applied migration ${step} to ${a.tenants} tenants ${concurrency === 1 ? 'sequentially' : `${concurrency} at a time on ${a.workers} worker threads`} in ${a.seconds.toFixed(2)} s (process CPU ${a.cpuPerWallSecond.toFixed(2)} s per second)`,
        );
      };
      for (let r = 0; r < scale.fleetRounds; r++) {
        await apply(1, sequential);
        await apply(PARALLEL, parallel);
      }
      const checkS = median(checks.map((c) => c.seconds));
      const seqS = median(sequential.map((x) => x.seconds));
      const parS = median(parallel.map((x) => x.seconds));
      const speedup = round(seqS / parS, 3);
      details[f.engine] = { checks, sequential, parallel };
      const cpuParallel = round(median(parallel.map((x) => x.cpuPerWallSecond)), 2);
      const workerStart = parallel.find((x) => x.workerStartSeconds !== null)?.workerStartSeconds ?? null;
      notes.push(
        `${f.label}: in parallel each tenant (open, read, its lock, apply, close: one message) ran on ${parallel[0]?.workers ?? 0} worker threads (one per core), ` +
          `${PARALLEL} tenants in flight; the task's thread keeps the registry, the operations log and the progress; the workers' start-up, once per process, took ${workerStart === null ? '—' : `${round(workerStart, 2)} s`} and is not in the apply time.`,
      );
      notes.push(
        `${f.label}: the task process (every thread) used ${round(median(sequential.map((x) => x.cpuPerWallSecond)), 2)} s of CPU per second sequentially and ` +
          `${cpuParallel} in parallel (1.0 = one core busy): ` +
          (cpuParallel >= 1.6
            ? 'both cores busy: CPU bounds the speed-up.'
            : cpuParallel >= 0.8
              ? 'about one core: the work did not spread over both (the task thread, or the database server, bounds it).'
              : 'the process mostly waits on the database server.'),
      );
      const label = `6 migrations (${f.label})`;
      const checkTarget = (10 * f.count) / 1000;
      rows.push(
        {
          benchmark: label,
          metric: `check, ${f.count} tenants, nothing pending`,
          value: `${round(checkS, 2)} s`,
          target: f.engine === 'sqlite' ? `≤ ${round(checkTarget, 1)} s${f.count === 1000 ? '' : ' (10 s per 1,000)'}` : undefined,
          met: f.engine === 'sqlite' ? checkS <= checkTarget : undefined,
        },
        {
          benchmark: label,
          metric: `apply 1 migration: ${PARALLEL} at a time vs sequential (speed-up = sequential ÷ parallel)`,
          value: `${round(parS, 2)} s`,
          baseline: `${round(seqS, 2)} s`,
          ratio: speedup,
          target: '≥ 1.8× faster',
          met: speedup >= 1.8,
        },
      );
    } finally {
      await task.stop(30_000);
    }
  }
  notes.push(`This machine has ${os.cpus().length} cores.`);
  return { name: 'migrations', title: '6. Fleet migrations', rows, notes, details, durationSeconds: (performance.now() - started) / 1000 };
}
