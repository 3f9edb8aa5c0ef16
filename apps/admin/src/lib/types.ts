// Shapes of the Platform API (see the Platform API contract). Dates are ISO strings.

import type { Engine, TenantStatus } from '@salesfleet/contracts';

export { ENGINES, TENANT_STATUSES, type Engine, type TenantStatus } from '@salesfleet/contracts';

export interface PlatformAdmin {
  id: string | number;
  username: string;
  email: string;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
}

export interface TenantSummary {
  id: string | number;
  slug: string;
  name: string;
  status: TenantStatus;
  engine: Engine;
  adminEmail: string;
  url: string;
  userCount: number | null;
  maxUsers: number;
  multiLocation: boolean;
  /** Database server: `host:port`, or `local` for SQLite files. */
  server: string;
  /** The last health check the registry recorded, null before the first. */
  health: TenantLastHealth | null;
  schemaVersion: string | null;
  pendingMigrations: number | null;
  trialEndsAt: string | null;
  paidUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TenantLastHealth {
  reachable: boolean;
  latencyMs: number | null;
  sizeBytes: number | null;
  error: string | null;
  checkedAt: string;
}

export type TenantSortKey = 'name' | 'slug' | 'status' | 'engine' | 'users' | 'schema' | 'health' | 'created';

/** `GET /tenants` parameters; the server pages, filters, searches and sorts. */
export interface TenantPageQuery {
  limit?: number;
  offset?: number;
  q?: string;
  status?: TenantStatus | '';
  engine?: Engine | '';
  server?: string;
  sort?: TenantSortKey;
  dir?: 'asc' | 'desc';
}

export interface TenantPage {
  tenants: TenantSummary[];
  total: number;
  limit: number;
  offset: number;
}

export interface Domain {
  id: string | number;
  domain: string;
  primary: boolean;
  createdAt: string;
}

export interface TenantDatabaseInfo {
  engine: Engine;
  host: string | null;
  port: number | null;
  name: string | null;
  user: string | null;
  passwordSet: boolean;
}

export interface TenantDetail extends TenantSummary {
  database: TenantDatabaseInfo;
  domains: Domain[];
}

export interface DatabaseInput {
  engine: Engine;
  url?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  name?: string;
}

export interface CreateTenantInput {
  name: string;
  subdomain: string;
  adminEmail: string;
  adminUsername?: string;
  adminPassword?: string;
  database?: DatabaseInput;
  maxUsers?: number;
  multiLocation?: boolean;
  trialDays?: number;
  demoData?: boolean;
  dryRun?: boolean;
}

export interface CreateTenantResult {
  tenant: TenantSummary;
  admin: { username: string; email: string; oneTimePassword?: string };
  url: string;
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

export interface UpdateTenantInput {
  name?: string;
  maxUsers?: number;
  multiLocation?: boolean;
  trialEndsAt?: string | null;
  paidUntil?: string | null;
}

export interface MigrationResult {
  slug: string;
  ok: boolean;
  applied: string[];
  schemaVersion: string | null;
  error?: string;
  durationMs: number;
}

export interface TenantHealth {
  slug: string;
  status: TenantStatus;
  reachable: boolean;
  latencyMs: number | null;
  schemaVersion: string | null;
  pendingMigrations: number | null;
  sizeBytes: number | null;
  userCount: number | null;
  maxUsers: number;
  error?: string;
  checkedAt: string;
}

export type OperationOutcome = 'started' | 'succeeded' | 'failed';
export const OPERATION_OUTCOMES: readonly OperationOutcome[] = ['started', 'succeeded', 'failed'];

export interface Operation {
  id: string | number;
  tenantSlug: string | null;
  action: string;
  step: string | null;
  outcome: OperationOutcome;
  actor: string;
  details: Record<string, unknown>;
  error: string | null;
  durationMs: number | null;
  createdAt: string;
}

export interface OperationFilters {
  tenant?: string;
  action?: string;
  outcome?: OperationOutcome | '';
  limit?: number;
}

export type { FieldIssue } from '@salesfleet/ui';
