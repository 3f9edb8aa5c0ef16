import type { Logger } from '../logger';
import type { MigrationDefinition } from '@salesfleet/migrations';
import type { Config } from '../config';
import type { TenantConnections } from '../connections';
import type { DatabaseParams } from '../drivers/index';
import type { OperationsLog } from '../operations';
import type { TenantRecord } from '../registry/records';
import type { Registry } from '../registry/registry';
import type { SpareSchemas } from '../spare-schemas';
import type { TemplateCache } from '../templates';
import type { TenantStatus } from '@salesfleet/contracts';
import type { MigrationSource } from './migration-source';
import type { MigrateWorkers } from './migrate-workers';

export type { MigrationSource };

/** The steps of `createTenant`, in order (DESIGN.md's pipeline). */
export const PROVISION_STEPS = ['validate', 'register', 'create_database', 'migrate', 'seed', 'demo_data', 'activate'] as const;
export type ProvisionStep = (typeof PROVISION_STEPS)[number];

/** What `createTenant` takes; the API's `CreateTenantInput` and the CLI's flags map onto it. */
export interface CreateTenantInput {
  name: string;
  /** The tenant's slug (DNS label). */
  subdomain: string;
  adminEmail: string;
  /** Default `admin`. */
  adminUsername?: string;
  /** Checked with `validatePasswordStrength`; when absent a one-time password is generated. */
  adminPassword?: string;
  /**
   * Absent: a managed database (SQLite file, or `sales_<slug>` on SALESFLEET_TENANT_SERVER_URL).
   * Engine only (`{ engine: 'postgres' }`): managed on the tenant server of that engine.
   * URL / host… without a name: managed `sales_<slug>` on that server. With a name: that database —
   * created when missing, used when empty, refused (DatabaseNotEmpty) when it holds tables.
   */
  database?: DatabaseParams;
  /** Default 50. */
  maxUsers?: number;
  multiLocation?: boolean;
  /** Trial length; sets `trialEndsAt` to now + days. */
  trialDays?: number;
  paidUntil?: Date | string | null;
  /** Also create demo locations, products with stock, customers and posted invoices. */
  demoData?: boolean;
}

export interface ActorOptions {
  /** Who asks: `cli:<os user>`, `admin:<username>`… (recorded in the operations log). */
  actor: string;
}

export interface CreateTenantOptions extends ActorOptions {
  dryRun?: boolean;
  /** Called as each step starts (progress output). */
  onStep?: (step: ProvisionStep) => void;
}

export interface CreatedTenant {
  tenant: TenantRecord;
  admin: {
    username: string;
    email: string;
    /** Only when generated: shown once, never stored. */
    oneTimePassword?: string;
  };
  url: string;
  /** The database, password masked. */
  database: string;
  durationMs: number;
  steps: { step: ProvisionStep; durationMs: number }[];
}

export interface DryRunCheck {
  name: string;
  ok: boolean;
  message: string;
}

export interface DryRunResult {
  dryRun: true;
  ok: boolean;
  checks: DryRunCheck[];
}

export interface DeleteTenantOptions extends ActorOptions {
  /** Keep the database (or SQLite file). Databases Salesfleet did not create are always kept. */
  keepDatabase?: boolean;
}

export interface DeletedTenant {
  deleted: true;
  keptDatabase: boolean;
  database: string;
}

/** Per-tenant outcome of `migrateTenants` (the API's `MigrationResult`, plus `pending`/`skipped`). */
export interface MigrationResult {
  slug: string;
  ok: boolean;
  /** Applied now (empty for `check`/`dryRun`). */
  applied: string[];
  /** Still pending after the run (for `check`/`dryRun`: what would be applied). */
  pending: string[];
  schemaVersion: string | null;
  error?: string;
  /** Set when the tenant was not touched (e.g. status `provisioning` or `deleting`). */
  skipped?: string;
  durationMs: number;
}

export interface MigrateTenantsOptions extends ActorOptions {
  /** One tenant; default all. */
  slug?: string;
  /** Report pending migrations, change nothing. */
  check?: boolean;
  /** Same as check (the CLI distinguishes them only by exit code). */
  dryRun?: boolean;
  /** Tenants migrated at once; default 4. */
  concurrency?: number;
  /**
   * Worker threads that open the tenants and run their migrations (the per-tenant JavaScript), so a
   * fleet migration uses every core; 0 (default): all in this thread. The registry, the per-tenant
   * locks, progress and the operations log stay in this thread. Not for check/dry runs (nothing to
   * spread). From sources the workers load them through tsx; a compiled app starts the build's own
   * compiled worker entry (see MigrateWorkers.start). A number starts
   * that many for this run (each loads the database layer first); a pool from
   * `MigrateWorkers.start(n)` is used and left open (several fleet migrations, one start-up).
   */
  workers?: number | MigrateWorkers;
  /**
   * With `workers` a number: start them only when the run has at least this many tenants (default 0:
   * always). Each worker loads the database layer first (about 0.6 s of a core), which a small fleet
   * does not win back; below this, the run stays in this thread.
   */
  workersFromTenants?: number;
  /**
   * The tenant migrations, named by module so worker threads can load them too (default: the list
   * compiled into @salesfleet/migrations). Not together with the provisioner's tenantMigrations hook.
   */
  migrations?: MigrationSource;
  /** Leave the registry's own migrations alone. */
  skipRegistry?: boolean;
  onProgress?: (done: number, total: number, result: MigrationResult) => void;
  /** These tenants instead of `slug` or every tenant (a fleet job's tenants not done yet). */
  tenants?: readonly TenantRecord[];
  /** Tenants whose recorded schema version is the latest are not opened (result `skipped: 'up to date'`). */
  skipUpToDate?: boolean;
  /** Awaited after each tenant (a fleet job records its progress here). */
  onTenant?: (result: MigrationResult, tenant: TenantRecord) => Promise<void> | void;
  /** Tenants not started yet once it is aborted are left out of the results. */
  signal?: AbortSignal;
}

export interface FleetMigrationResult {
  registry: { applied: string[]; pending: string[]; ok: boolean; error?: string };
  results: MigrationResult[];
  ok: boolean;
  durationMs: number;
}

/** The API's `TenantHealth`. */
export interface TenantHealth {
  slug: string;
  status: TenantStatus;
  reachable: boolean;
  latencyMs: number | null;
  schemaVersion: string | null;
  pendingMigrations: number | null;
  sizeBytes: number | null;
  /** Active users (what `maxUsers` limits). */
  userCount: number | null;
  maxUsers: number;
  error?: string;
  checkedAt: string;
}

export interface TenantUser {
  id: number;
  username: string;
  email: string;
  isActive: boolean;
  isSuperuser: boolean;
  mustChangePassword: boolean;
  lastLoginAt: Date | null;
  groups: string[];
}

/** `updateTenant` fields (the API's PATCH body). */
export interface TenantUpdate {
  name?: string;
  adminEmail?: string;
  maxUsers?: number;
  multiLocation?: boolean;
  trialEndsAt?: Date | string | null;
  paidUntil?: Date | string | null;
}

/** Testing only (via `@salesfleet/tenancy/testing`): make a step fail after its work is done. */
export interface ProvisionerTestHooks {
  failAt?: ProvisionStep;
  /** Runs when a creation has failed, before its compensation (tests break the registry here). */
  beforeCompensation?: () => Promise<void>;
  /**
   * The tenant migrations that fleet migrations apply and check, read at each run; default the list
   * compiled into @salesfleet/migrations. Benchmarks add a fresh migration per run this way.
   */
  tenantMigrations?: () => readonly MigrationDefinition[];
}

export interface ProvisionerDeps {
  config: Config;
  registry: Registry;
  operations: OperationsLog;
  connections: TenantConnections;
  templates?: TemplateCache;
  /** `postgres-schema`: spare schemas claimed by creations (needs `templates`). */
  spares?: SpareSchemas;
  tenantUrl: (slug: string) => string;
  hooks?: ProvisionerTestHooks;
  /** Where failures handled without throwing are reported (compensation, cleanup); default silent. */
  logger?: Logger;
}
