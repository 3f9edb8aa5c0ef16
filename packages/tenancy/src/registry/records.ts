import { TENANT_MIGRATION_NAMES } from '@salesfleet/migrations/names';
import type { OperationOutcome } from './models';
import type { Engine, TenantStatus } from '@salesfleet/contracts';

/**
 * Plain, immutable snapshots of registry rows. Everything outside the registry works with these (never
 * with model instances), so they can be cached and shared safely.
 */
export interface TenantRecord {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly adminEmail: string;
  readonly status: TenantStatus;
  readonly suspendedReason: string | null;
  readonly maxUsers: number;
  readonly multiLocation: boolean;
  readonly trialEndsAt: Date | null;
  readonly paidUntil: Date | null;
  readonly db: TenantDatabaseRecord;
  /** The registered tenant server its database is on (null: given by URL, SQLite, or placed before servers were registered). */
  readonly serverId: number | null;
  /**
   * While `provisioning`: the creating process (`host:pid:token`) and until when its lease runs; a
   * retry takes the row over when the lease ran out or the process is gone. Null otherwise.
   */
  readonly provisioning: { readonly owner: string; readonly leaseUntil: Date } | null;
  /** Name of the last tenant migration applied (as last recorded by migrate/provision). */
  readonly schemaVersion: string | null;
  /** Active users, as last recorded when they changed or by a health check; null before the first. */
  readonly userCount: number | null;
  /** The last health check, or null before the first. */
  readonly health: TenantHealthRecord | null;
  /** Bumped on every change to the tenant (its row or its domains). */
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface TenantDatabaseRecord {
  readonly engine: Engine;
  readonly host: string | null;
  readonly port: number | null;
  /** Database name, or for SQLite the file path relative to the data dir. */
  readonly name: string;
  /** `postgres-schema` placement: the tenant's schema in the shared database `name`; null for a whole database. */
  readonly schema?: string | null;
  readonly user: string | null;
  /** Encrypted (SecretBox) — decrypt with `registry.databaseSpecOf(tenant)` only to connect. */
  readonly passwordEncrypted: string | null;
  /** True when Salesfleet created the database (and may therefore drop it). */
  readonly managed: boolean;
  /** `databaseKey(db)`, unique in the registry (null only for a row that shared its database before the index). */
  readonly key: string | null;
}

/** A tenant's last health check as the registry keeps it (the list shows it without opening the database). */
export interface TenantHealthRecord {
  readonly reachable: boolean;
  readonly latencyMs: number | null;
  readonly sizeBytes: number | null;
  /** Already masked. */
  readonly error: string | null;
  readonly checkedAt: Date;
}

export interface DomainRecord {
  readonly id: number;
  readonly tenantId: number;
  readonly domain: string;
  readonly primary: boolean;
  readonly createdAt: Date;
}

export interface PlatformAdminRecord {
  readonly id: number;
  readonly username: string;
  readonly email: string;
  readonly mustChangePassword: boolean;
  readonly isActive: boolean;
  readonly lastLoginAt: Date | null;
  readonly createdAt: Date;
}

export interface PlatformSessionRecord {
  readonly id: number;
  readonly adminId: number;
  readonly expiresAt: Date;
  readonly lastSeenAt: Date;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly createdAt: Date;
}

export interface OperationRecord {
  readonly id: number;
  /** Groups the rows of one lifecycle operation (its start, steps and end). */
  readonly runId: string;
  readonly tenantId: number | null;
  readonly tenantSlug: string | null;
  readonly action: string;
  readonly step: string | null;
  readonly outcome: OperationOutcome;
  readonly actor: string;
  /** Secrets already masked. */
  readonly details: Record<string, unknown>;
  readonly error: string | null;
  readonly durationMs: number | null;
  readonly createdAt: Date;
}

/**
 * Tenant migrations (`names`, oldest first; default those compiled in) that the tenant's recorded schema version has not reached,
 * from the registry alone; null while the tenant has no database to migrate or the version is unknown here.
 */
export function pendingMigrationCount(
  tenant: Pick<TenantRecord, 'status' | 'schemaVersion'>,
  names: readonly string[] = TENANT_MIGRATION_NAMES,
): number | null {
  if (tenant.status === 'provisioning' || tenant.status === 'deleting') return null;
  if (tenant.schemaVersion === null) return names.length;
  const at = names.indexOf(tenant.schemaVersion);
  return at < 0 ? null : names.length - at - 1;
}
