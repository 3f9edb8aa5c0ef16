// Search, filter and sort for the tenants table, as plain functions (tested directly).

import type { Engine, TenantHealth, TenantStatus, TenantSummary } from './types';

export type SortKey = 'name' | 'slug' | 'status' | 'engine' | 'users' | 'schema' | 'health' | 'created';
export type SortDirection = 'asc' | 'desc';

export interface TenantTableQuery {
  search: string;
  status: TenantStatus | '';
  engine: Engine | '';
  sort: SortKey;
  direction: SortDirection;
}

export interface TenantRow {
  tenant: TenantSummary;
  health: TenantHealth | undefined;
}

export const defaultTableQuery: TenantTableQuery = { search: '', status: '', engine: '', sort: 'name', direction: 'asc' };

function matchesSearch(tenant: TenantSummary, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (!needle) return true;
  return [tenant.name, tenant.slug, tenant.adminEmail, tenant.url].some((v) => v?.toLowerCase().includes(needle));
}

function compareNullable(a: number | string | null | undefined, b: number | string | null | undefined): number {
  const aMissing = a === null || a === undefined;
  const bMissing = b === null || b === undefined;
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
}

function healthRank(row: TenantRow): number | null {
  if (!row.health) return null;
  // Unreachable sorts after every reachable latency.
  return row.health.reachable ? (row.health.latencyMs ?? 0) : Number.MAX_SAFE_INTEGER;
}

function compareRows(a: TenantRow, b: TenantRow, key: SortKey): number {
  switch (key) {
    case 'name':
      return compareNullable(a.tenant.name, b.tenant.name);
    case 'slug':
      return compareNullable(a.tenant.slug, b.tenant.slug);
    case 'status':
      return compareNullable(a.tenant.status, b.tenant.status);
    case 'engine':
      return compareNullable(a.tenant.engine, b.tenant.engine);
    case 'users':
      return compareNullable(a.tenant.userCount, b.tenant.userCount) || a.tenant.maxUsers - b.tenant.maxUsers;
    case 'schema':
      return (
        compareNullable(b.tenant.pendingMigrations, a.tenant.pendingMigrations) ||
        compareNullable(a.tenant.schemaVersion, b.tenant.schemaVersion)
      );
    case 'health':
      return compareNullable(healthRank(a), healthRank(b));
    case 'created':
      return compareNullable(a.tenant.createdAt, b.tenant.createdAt);
  }
}

export function tenantRows(
  tenants: readonly TenantSummary[],
  health: readonly TenantHealth[] | undefined,
  query: TenantTableQuery,
): TenantRow[] {
  const bySlug = new Map((health ?? []).map((h) => [h.slug, h]));
  const rows = tenants
    .filter((t) => (!query.status || t.status === query.status) && (!query.engine || t.engine === query.engine))
    .filter((t) => matchesSearch(t, query.search))
    .map((tenant) => ({ tenant, health: bySlug.get(tenant.slug) }));
  const sign = query.direction === 'asc' ? 1 : -1;
  return rows.sort((a, b) => sign * compareRows(a, b, query.sort) || a.tenant.slug.localeCompare(b.tenant.slug));
}

/** Fleet health view: failures first, then pending migrations, then by subdomain. */
export function sortHealthFailuresFirst(items: readonly TenantHealth[]): TenantHealth[] {
  const rank = (h: TenantHealth) => (!h.reachable || h.error ? 0 : h.pendingMigrations ? 1 : 2);
  return [...items].sort((a, b) => rank(a) - rank(b) || a.slug.localeCompare(b.slug));
}
