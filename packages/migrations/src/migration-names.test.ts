import { describe, expect, it } from 'vitest';
import { registryMigrations } from './registry/index';
import { REGISTRY_MIGRATION_NAMES, TENANT_MIGRATION_NAMES } from './names';
import { migrationNames } from './runner';
import { tenantMigrations } from './tenant/index';

describe.each([
  ['tenant', tenantMigrations, TENANT_MIGRATION_NAMES],
  ['registry', registryMigrations, REGISTRY_MIGRATION_NAMES],
] as const)('the %s migration set', (set, list, listedNames) => {
  it('is named in names.ts, in the same order (what a plain read of the registry compares with)', () => {
    expect(listedNames).toEqual(list.map((m) => m.name));
  });

  it('is what migrationNames lists, oldest first, named <yyyymmddHHMM>-<purpose>, without duplicates', () => {
    const names = migrationNames(set);
    expect(names).toEqual(list.map((m) => m.name));
    for (const name of names) expect(name).toMatch(/^\d{12}-[a-z0-9]+(-[a-z0-9]+)*$/);
    expect([...names].sort()).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('tenant migrations', () => {
  it('cover auth, sales, accounting, settings, accounting tools, user locations, inventory valuation and purchasing', () => {
    expect(migrationNames('tenant').slice(0, 8)).toEqual([
      '202611230001-auth',
      '202611230002-sales',
      '202611230003-accounting',
      '202612070100-tenant-settings',
      '202612070200-accounting-tools',
      '202612070220-user-locations',
      '202612070240-inventory-valuation',
      '202612070250-purchasing',
    ]);
  });
});
