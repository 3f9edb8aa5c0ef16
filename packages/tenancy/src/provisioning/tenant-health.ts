import { performance } from 'node:perf_hooks';
import pMap from 'p-map';
import type { Sequelize } from 'sequelize';
import { countActiveUsers, defineTenantModels } from '@salesfleet/models';
import { migrationStatus } from '@salesfleet/migrations';
import { closeSequelize, describeSpec, driverFor, openSequelize, type DatabaseSpec, type DriverContext } from '../drivers/index';
import type { TenantRecord } from '../registry/records';
import { driverContext, sequelizeOptions, unreachableMessage, type ProvisioningContext } from './context';
import type { TenantHealth } from './types';
import { DatabaseUnreachable } from '@salesfleet/contracts';

export async function tenantHealth(ctx: ProvisioningContext, slug: string): Promise<TenantHealth> {
  return healthOf(ctx, await ctx.registry.getTenant(slug));
}

export interface FleetHealthOptions {
  /** Tenants checked at once (default 8); never more handles than that. */
  concurrency?: number;
  /** Only these tenants (default every tenant). */
  tenants?: readonly TenantRecord[];
  /** Called as each tenant's check ends (the health job records its progress here). */
  onTenant?: (health: TenantHealth, tenant: TenantRecord) => Promise<void> | void;
  /** Tenants not started yet once it is aborted are left out of the answer. */
  signal?: AbortSignal;
}

/** Health of every tenant (or `tenants`), each check recorded in the registry (last health and history). */
export async function fleetHealth(ctx: ProvisioningContext, options: FleetHealthOptions = {}): Promise<TenantHealth[]> {
  const tenants = options.tenants ?? (await ctx.registry.listTenants());
  const out = await pMap(
    tenants,
    async (t) => {
      if (options.signal?.aborted) return null;
      const health = await healthOf(ctx, t);
      await options.onTenant?.(health, t);
      return health;
    },
    { concurrency: Math.max(1, options.concurrency ?? 8) },
  );
  return out.filter((h): h is TenantHealth => h !== null);
}

/**
 * Connects to the tenant's database and reads latency, schema version, size and users, and records the
 * outcome in the registry; a tenant that does not answer is reported, not thrown.
 */
async function healthOf(ctx: ProvisioningContext, tenant: TenantRecord): Promise<TenantHealth> {
  const out: TenantHealth = {
    slug: tenant.slug,
    status: tenant.status,
    reachable: false,
    latencyMs: null,
    schemaVersion: tenant.schemaVersion,
    pendingMigrations: null,
    sizeBytes: null,
    userCount: null,
    maxUsers: tenant.maxUsers,
    // As the registry stores it: the answer equals the check the tenants list reads later.
    checkedAt: ctx.registry.now().toISOString(),
  };
  let spec: DatabaseSpec | null = null;
  let sequelize: Sequelize | null = null;
  try {
    spec = ctx.registry.databaseSpecOf(tenant);
    if (spec.engine === 'sqlite' && !(await driverFor('sqlite').exists(spec, driverContext(ctx)))) {
      throw new DatabaseUnreachable(describeSpec(spec), 'the file does not exist');
    }
    sequelize = openSequelize(spec, sequelizeOptions(ctx, { poolMax: 1 }));
    const t0 = performance.now();
    await sequelize.query('SELECT 1');
    out.latencyMs = Math.round((performance.now() - t0) * 100) / 100;
    out.reachable = true;
    const status = await migrationStatus(sequelize, 'tenant');
    out.schemaVersion = status.applied.at(-1) ?? null;
    out.pendingMigrations = status.pending.length;
    out.sizeBytes = await databaseSize(sequelize, spec, driverContext(ctx));
    if (status.applied.length > 0) out.userCount = await countActiveUsers(defineTenantModels(sequelize));
  } catch (err) {
    // The answer itself: an unreachable tenant is reported in `error`, not thrown.
    out.error = unreachableMessage(err, spec);
  } finally {
    await closeSequelize(sequelize);
  }
  // The tenants list shows the last check from the registry instead of opening every database.
  await ctx.registry.recordHealth(tenant.id, {
    reachable: out.reachable,
    latencyMs: out.latencyMs,
    sizeBytes: out.sizeBytes,
    error: out.error ?? null,
    checkedAt: new Date(out.checkedAt),
    userCount: out.userCount,
    schemaVersion: out.reachable ? out.schemaVersion : null,
  });
  return out;
}

/** Bytes the tenant's database takes (file size for SQLite). */
export async function databaseSize(sequelize: Sequelize, spec: DatabaseSpec, ctx: DriverContext): Promise<number | null> {
  if (spec.engine === 'sqlite') return driverFor('sqlite').sizeBytes(spec, ctx);
  // A schema tenant: its own schema's relations (current_schema() is its search path), not the shared database.
  const sql =
    spec.engine === 'postgres'
      ? spec.schema
        ? `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS size FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm', 'p')`
        : 'SELECT pg_database_size(current_database()) AS size'
      : 'SELECT COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) AS size FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()';
  const [rows] = await sequelize.query(sql);
  const size = (rows as { size: string | number }[])[0]?.size;
  return size === undefined ? null : Number(size);
}
