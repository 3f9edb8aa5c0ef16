/**
 * Fleet-migration task (child process) on a fleet's registry (loadConfig from the environment):
 *
 * - `check`: `provisioner.migrateTenants({ check: true })` — exactly what `migrate-tenants --check`
 *   runs — with nothing pending.
 * - `apply`: one new migration (adds nullable column `bench_note_<step>` to `products`) applied to
 *   every tenant, `concurrency` at a time; each call applies the next step, so sequential and parallel
 *   runs do the same work and nothing has to be reverted in between. The Provisioner's `migrateTenants` only knows
 *   the migration list compiled into @salesfleet/migrations and takes no extra migration, so this runs
 *   the migrations runner directly (`migrateUp(…, { migrations })`, the way the migrations package's
 *   own tests inject one) with the same per-tenant steps as the Provisioner's `#migrateOne` (open a
 *   pool-of-1 handle, status, migrate, status, record the schema version in the registry, close) and
 *   the same bounded-concurrency helper.
 */
import { DataTypes } from 'sequelize';
import { migrateUp, migrationStatus, tenantMigrations, type MigrationDefinition } from '@salesfleet/migrations';
import { driverFor, loadConfig, openSequelize, openTenancy, type Tenancy, type TenantRecord } from '@salesfleet/tenancy';
import { serveRequests, type ChildRequest } from '../lib/child';
import { mapLimit } from '../lib/stats';

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

async function ensureTenancy(): Promise<Tenancy> {
  tenancy ??= await openTenancy(config, { migrateRegistry: false, templates: false });
  return tenancy;
}

async function migrateOne(t: Tenancy, tenant: TenantRecord, migrations: MigrationDefinition[]): Promise<{ ok: boolean; applied: number; error?: string }> {
  const spec = t.registry.databaseSpecOf(tenant);
  const ctx = { dataDir: config.dataDir, connectTimeoutMs: config.dbConnectTimeoutMs };
  if (spec.engine === 'sqlite' && !(await driverFor('sqlite').exists(spec, ctx))) return { ok: false, applied: 0, error: 'file missing' };
  const sequelize = openSequelize(spec, {
    dataDir: config.dataDir,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    acquireTimeoutMs: config.dbConnectTimeoutMs,
    tenant: true,
    poolMax: 1,
  });
  try {
    let status = await migrationStatus(sequelize, 'tenant', { migrations });
    let applied = 0;
    if (status.pending.length > 0) {
      applied = (await migrateUp(sequelize, 'tenant', { migrations })).applied.length;
      status = await migrationStatus(sequelize, 'tenant', { migrations });
    }
    const schemaVersion = status.applied.at(-1) ?? null;
    if (schemaVersion !== tenant.schemaVersion) await t.registry.updateTenant(tenant.id, { schemaVersion });
    return { ok: true, applied };
  } catch (err) {
    return { ok: false, applied: 0, error: (err as Error).message };
  } finally {
    await sequelize.close().catch(() => undefined);
  }
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
  const migrations = [...tenantMigrations, ...benchMigrations(Number(req.step))];
  const tenants = await t.registry.listTenants();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const results = await mapLimit(tenants, Number(req.concurrency), async (tenant) => migrateOne(t, tenant, migrations));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // CPU of this process (main thread + libuv threads) per wall second: ~1.0 means one core's worth.
  const cpuPerWallSecond = (cpu.user + cpu.system) / 1e6 / seconds;
  const failed = results.filter((x) => !x.ok);
  return {
    seconds,
    cpuPerWallSecond,
    tenants: tenants.length,
    changed: results.reduce((n, x) => n + x.applied, 0),
    failed: failed.length,
    firstError: failed[0]?.error ?? null,
  };
}

const child = serveRequests({ check, apply }, async () => {
  await tenancy?.close();
});
child.ready();
