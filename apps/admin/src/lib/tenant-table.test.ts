import { describe, expect, it } from 'vitest';
import { tenantHealth, tenantSummary } from '../test/render';
import { defaultTableQuery, sortHealthFailuresFirst, tenantRows } from './tenant-table';

const tenants = [
  tenantSummary({ slug: 'b', name: 'Beta', adminEmail: 'boss@beta.example', createdAt: '2025-02-01T00:00:00Z' }),
  tenantSummary({ slug: 'a', name: 'alpha', status: 'suspended', engine: 'postgres', createdAt: '2025-03-01T00:00:00Z' }),
  tenantSummary({ slug: 'c', name: 'Gamma', engine: 'mysql', createdAt: '2025-01-01T00:00:00Z' }),
];
const slugs = (rows: ReturnType<typeof tenantRows>) => rows.map((r) => r.tenant.slug);

describe('tenantRows', () => {
  it('sorts by name case-insensitively by default', () => {
    expect(slugs(tenantRows(tenants, [], defaultTableQuery))).toEqual(['a', 'b', 'c']);
  });

  it('searches name, subdomain and admin email', () => {
    expect(slugs(tenantRows(tenants, [], { ...defaultTableQuery, search: 'BOSS@' }))).toEqual(['b']);
    expect(slugs(tenantRows(tenants, [], { ...defaultTableQuery, search: 'gam' }))).toEqual(['c']);
  });

  it('filters by status and engine', () => {
    expect(slugs(tenantRows(tenants, [], { ...defaultTableQuery, status: 'suspended' }))).toEqual(['a']);
    expect(slugs(tenantRows(tenants, [], { ...defaultTableQuery, engine: 'mysql' }))).toEqual(['c']);
  });

  it('sorts by creation date and by health (unreachable and unknown last)', () => {
    expect(slugs(tenantRows(tenants, [], { ...defaultTableQuery, sort: 'created', direction: 'desc' }))).toEqual(['a', 'b', 'c']);
    const health = [tenantHealth('a', { latencyMs: 30 }), tenantHealth('b', { reachable: false, latencyMs: null })];
    expect(slugs(tenantRows(tenants, health, { ...defaultTableQuery, sort: 'health' }))).toEqual(['a', 'b', 'c']);
  });
});

describe('sortHealthFailuresFirst', () => {
  it('puts unreachable or erroring tenants first, then pending migrations', () => {
    const sorted = sortHealthFailuresFirst([
      tenantHealth('ok'),
      tenantHealth('pending', { pendingMigrations: 3 }),
      tenantHealth('error', { error: 'slow' }),
      tenantHealth('down', { reachable: false }),
    ]);
    expect(sorted.map((h) => h.slug)).toEqual(['down', 'error', 'pending', 'ok']);
  });
});
