/**
 * Fleet-migration task (child process) on a fleet's registry (loadConfig from the environment):
 *
 * - `check`: `provisioner.migrateTenants({ check: true })` — exactly what `migrate-tenants --check`
 *   runs — with nothing pending.
 * - `apply`: one new migration (adds nullable column `bench_note_<step>` to `products`) applied by
 *   `provisioner.migrateTenants({ concurrency })` — what `migrate-tenants --concurrency N` runs — with
 *   the compiled tenant migrations plus bench migrations 1..step (the Provisioner's `tenantMigrations`
 *   hook); each call applies the next step, so sequential and parallel runs do the same work and
 *   nothing has to be reverted in between.
 */
import { DataTypes } from 'sequelize';
import { tenantMigrations, type MigrationDefinition } from '@salesfleet/migrations';
import { loadConfig, type Tenancy } from '@salesfleet/tenancy';
import { openTenancyWith } from '@salesfleet/tenancy/testing';
import { serveRequests, type ChildRequest } from '../lib/child';

/** Bench migrations 1..n, each adding one nullable column to `products` (same work every step). */
export function benchMigrations(n: number): MigrationDefinition[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `20991231${String(i + 1).padStart(4, '0')}-bench-product-note-${i + 1}`,
    async up({ queryInterface, transaction }) {
      await queryInterface.addColumn('products', `bench_note_${i + 1}`, { type: DataTypes.STRING(100), allowNull: true }, { transaction });
    },
    async down({ queryInterface, transaction }) {
      await queryInterface.removeColumn('products', `bench_note_${i + 1}`, { transaction });
    },
  }));
}

const config = loadConfig(process.env);
let tenancy: Tenancy | null = null;
/** Bench migrations the next fleet migration sees beside the compiled ones (set by `apply`). */
let extraMigrations: MigrationDefinition[] = [];

async function ensureTenancy(): Promise<Tenancy> {
  tenancy ??= await openTenancyWith(
    config,
    { migrateRegistry: false, templates: false },
    { provisionerHooks: { tenantMigrations: () => [...tenantMigrations, ...extraMigrations] } },
  );
  return tenancy;
}

async function check(req: ChildRequest) {
  const t = await ensureTenancy();
  const t0 = performance.now();
  const r = await t.provisioner.migrateTenants({ actor: 'bench', check: true, concurrency: Number(req.concurrency ?? 4) });
  const seconds = (performance.now() - t0) / 1000;
  const pending = r.results.reduce((n, x) => n + x.pending.length, 0);
  const failed = r.results.filter((x) => !x.ok).length;
  return { seconds, tenants: r.results.length, pending, failed, firstError: r.results.find((x) => !x.ok)?.error ?? null };
}

async function apply(req: ChildRequest) {
  const t = await ensureTenancy();
  extraMigrations = benchMigrations(Number(req.step));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await t.provisioner.migrateTenants({ actor: 'bench', concurrency: Number(req.concurrency), skipRegistry: true });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // CPU of this process (main thread + libuv threads) per wall second: ~1.0 means one core's worth.
  const cpuPerWallSecond = (cpu.user + cpu.system) / 1e6 / seconds;
  const failed = r.results.filter((x) => !x.ok);
  return {
    seconds,
    cpuPerWallSecond,
    tenants: r.results.length,
    changed: r.results.reduce((n, x) => n + x.applied.length, 0),
    failed: failed.length,
    firstError: failed[0]?.error ?? null,
  };
}

const child = serveRequests({ check, apply }, async () => {
  await tenancy?.close();
});
child.ready();
