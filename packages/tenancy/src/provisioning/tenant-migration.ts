import type { Sequelize } from 'sequelize';
import { migrateUp, migrationStatus, type MigrationRunOptions } from '@salesfleet/migrations';
import type { LockOptions } from '../registry/locks';

/** A tenant's migration state after `migrateOpenTenant`: `applied` now, still `pending`, the last applied (`version`). */
export interface TenantMigrationState {
  applied: string[];
  pending: string[];
  version: string | null;
}

/** The lock every migration of one tenant takes, in every process and thread: its name and wait. */
export function tenantMigrationLock(tenant: { id: number; slug: string }): { name: string; options: LockOptions } {
  return {
    name: `tenant-migrations:${tenant.id}`,
    options: { waitMs: 10 * 60_000, busy: `migrating tenant "${tenant.slug}"` },
  };
}

/** Runs `fn` while holding the tenant's migration lock (tenantMigrationLock). */
export type WithTenantLock = <T>(fn: () => Promise<T>) => Promise<T>;

/**
 * One tenant's migration on its open database — the same steps whether a fleet migration runs it in
 * the calling thread (one at a time) or on a worker thread (MigrateWorkers): read what is pending (one
 * SELECT); only when something is, take the tenant's lock and apply. `migrateUp` reads the applied
 * list again under the lock — another process may have migrated the tenant meanwhile (two fleet
 * migrations at once), and then it applies nothing — and its result says the state after it, so no
 * third read is needed. `withLock` null: a check (`--check`, `--dry-run`), the read alone.
 */
export async function migrateOpenTenant(
  sequelize: Sequelize,
  list: MigrationRunOptions,
  withLock: WithTenantLock | null,
): Promise<TenantMigrationState> {
  const status = await migrationStatus(sequelize, 'tenant', list);
  if (!withLock) return { applied: [], pending: status.pending, version: status.applied.at(-1) ?? null };
  if (status.pending.length === 0) return { applied: [], pending: [], version: status.applied.at(-1) ?? null };
  const run = await withLock(() => migrateUp(sequelize, 'tenant', list));
  return { applied: run.applied, pending: run.status.pending, version: run.status.applied.at(-1) ?? null };
}
