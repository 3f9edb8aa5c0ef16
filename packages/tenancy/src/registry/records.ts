import type { Engine } from '../drivers/spec';
import type { OperationOutcome, TenantStatus } from './models';

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
  /**
   * While `provisioning`: the creating process (`host:pid:token`) and until when its lease runs; a
   * retry takes the row over when the lease ran out or the process is gone. Null otherwise.
   */
  readonly provisioning: { readonly owner: string; readonly leaseUntil: Date } | null;
  /** Name of the last tenant migration applied (as last recorded by migrate/provision). */
  readonly schemaVersion: string | null;
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
  readonly user: string | null;
  /** Encrypted (SecretBox) — decrypt with `registry.databaseSpecOf(tenant)` only to connect. */
  readonly passwordEncrypted: string | null;
  /** True when Salesfleet created the database (and may therefore drop it). */
  readonly managed: boolean;
  /** `databaseKey(db)`, unique in the registry (null only for a row that shared its database before the index). */
  readonly key: string | null;
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
