/**
 * Fleet-migration task (child process) on a fleet's registry (loadConfig from the environment):
 *
 * - `check`: `provisioner.migrateTenants({ check: true })` — exactly what `migrate-tenants --check`
 *   runs — with nothing pending.
 * - `apply`: one new migration (adds nullable column `bench_note_<step>` to `products`) applied by
 *   `provisioner.migrateTenants({ concurrency, workers })` — what `migrate-tenants --concurrency N` runs,
 *   in parallel with the per-tenant work on one worker thread per core — with the compiled tenant
 *   migrations plus bench migrations 1..step, named by module (bench-migrations.ts) so the worker
 *   threads load them too; each call applies the next step, so sequential and parallel runs do the
 *   same work and nothing has to be reverted in between.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadConfig, MigrateWorkers, openTenancy, type MigrationSource, type Tenancy } from '@salesfleet/tenancy';
import { serveRequests, type ChildRequest } from '../lib/child';

const config = loadConfig(process.env);
let tenancy: Tenancy | null = null;
/** Bench migrations 1..step beside the compiled ones, by module: worker threads load them there too. */
let step = 0;
const MODULE = fileURLToPath(new URL('./bench-migrations.ts', import.meta.url));
const source = (): MigrationSource => ({ module: MODULE, exportName: 'withBenchMigrations', args: [step] });

/** One worker thread per core, started once (as a long-running process would keep them). */
let pool: { workers: MigrateWorkers; startSeconds: number } | null = null;
async function ensurePool() {
  if (!pool) {
    const t0 = performance.now();
    const workers = await MigrateWorkers.start(availableParallelism());
    pool = { workers, startSeconds: (performance.now() - t0) / 1000 };
  }
  return pool;
}

async function ensureTenancy(): Promise<Tenancy> {
  tenancy ??= await openTenancy(config, { migrateRegistry: false, templates: false });
  return tenancy;
}

async function check(req: ChildRequest) {
  const t = await ensureTenancy();
  const t0 = performance.now();
  const r = await t.provisioner.migrateTenants({
    actor: 'bench',
    check: true,
    concurrency: Number(req.concurrency ?? 4),
    migrations: source(),
  });
  const seconds = (performance.now() - t0) / 1000;
  const pending = r.results.reduce((n, x) => n + x.pending.length, 0);
  const failed = r.results.filter((x) => !x.ok).length;
  return { seconds, tenants: r.results.length, pending, failed, firstError: r.results.find((x) => !x.ok)?.error ?? null };
}

async function apply(req: ChildRequest) {
  const t = await ensureTenancy();
  step = Number(req.step);
  const concurrency = Number(req.concurrency);
  // In parallel, the per-tenant JavaScript runs on one worker thread per core (none sequentially);
  // the pool's start-up is reported apart (once per process), not in the apply time.
  const threads = concurrency > 1 ? await ensurePool() : null;
  const workers = threads?.workers ?? 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await t.provisioner.migrateTenants({ actor: 'bench', concurrency, workers, skipRegistry: true, migrations: source() });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // CPU of this process (main thread + libuv threads) per wall second: ~1.0 means one core's worth.
  const cpuPerWallSecond = (cpu.user + cpu.system) / 1e6 / seconds;
  const failed = r.results.filter((x) => !x.ok);
  return {
    seconds,
    workers: threads?.workers.size ?? 0,
    workerStartSeconds: threads?.startSeconds ?? null,
    cpuPerWallSecond,
    tenants: r.results.length,
    changed: r.results.reduce((n, x) => n + x.applied.length, 0),
    failed: failed.length,
    firstError: failed[0]?.error ?? null,
  };
}

const child = serveRequests({ check, apply }, async () => {
  await pool?.workers.close();
  await tenancy?.close();
});
child.ready();
