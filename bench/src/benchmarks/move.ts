import { Child } from '../lib/child';
import type { Harness } from '../lib/harness';
import { PG_URL, pgAvailable } from '../lib/pg';
import type { BenchmarkResult } from '../lib/report';
import { round } from '../lib/stats';

interface MoveRun {
  invoices: number;
  rows: number;
  from: string;
  to: string;
  seedSeconds: number;
  moveSeconds: number;
  steps: Record<string, number>;
  cleanupSeconds: number;
}

/**
 * 8. Moving a tenant: `move-tenant` of a SQLite tenant with 100k issued invoices (10k with --quick)
 * to PostgreSQL — maintenance, consistent copy through an archive, load, verification of every table
 * in the new database and of the old one, registry switch. Target: well under a minute.
 */
export async function moveBenchmark(h: Harness): Promise<BenchmarkResult> {
  const started = performance.now();
  const invoices = h.ctx.scale.quick ? 10_000 : 100_000;
  const postgres = await pgAvailable();
  const notes: string[] = [];
  if (!postgres) notes.push(`PostgreSQL not reachable at ${new URL(PG_URL).host}: moved to another SQLite file instead.`);
  const task = new Child(h.ctx, { script: 'tasks/move-task.ts', logName: 'move', readyTimeoutMs: 60_000 });
  try {
    await task.ready;
    const run = await task.request<MoveRun>('move', { invoices, slugPrefix: h.ctx.id, postgresUrl: postgres ? PG_URL : null });
    h.log(
      `move: ${run.invoices} invoices (${run.rows} rows) ${run.from} → ${run.to} in ${run.moveSeconds.toFixed(1)} s; steps ${JSON.stringify(run.steps)}`,
    );
    notes.push(
      `Tenant seeded with ${run.invoices} invoices through issueInvoicesInBulk (each: invoice, line, stock movement, journal entry and lines) in ${round(run.seedSeconds, 1)} s; ` +
        `the move copied ${run.rows} rows. Steps (ms): ${Object.entries(run.steps)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}.`,
    );
    return {
      name: 'move',
      title: '8. Moving a tenant between engines',
      rows: [
        {
          benchmark: `8 move (${run.from} → ${run.to})`,
          metric: `move-tenant, ${run.invoices.toLocaleString('en')} invoices (${run.rows.toLocaleString('en')} rows)`,
          value: `${round(run.moveSeconds, 1)} s`,
          target: '< 60 s',
          met: run.moveSeconds < 60,
        },
      ],
      notes,
      details: { run },
      durationSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await task.stop(60_000);
  }
}
