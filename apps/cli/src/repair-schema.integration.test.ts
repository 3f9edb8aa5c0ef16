import { openSequelize } from '@salesfleet/tenancy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliWorkspace, type CliWorkspace } from './testing/cli-workspace';

async function dropTable(dataDir: string, slug: string, table: string): Promise<void> {
  const db = openSequelize(
    { engine: 'sqlite', database: `tenants/${slug}.sqlite`, host: null, port: null, user: null, password: null },
    { dataDir },
  );
  try {
    await db.query(`DROP TABLE ${table}`);
  } finally {
    await db.close();
  }
}

// The report: a tenant whose customers table was dropped passed check-tenants and
// force_migrate_tenant said "up to date". Now check-tenants fails on it and the repair brings it back.
describe('a tenant with a dropped table', () => {
  let ws: CliWorkspace;
  let slug: string;

  beforeAll(async () => {
    ws = await createCliWorkspace('sqlite');
    expect((await ws.run(['init'])).code).toBe(0);
    slug = ws.slug('drop');
    expect((await ws.run(['create-tenant', 'Dropped Ltd', slug, 'owner@dropped.test'])).code).toBe(0);
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  it('fails check-tenants with the drift, and force_migrate_tenant (migrate-tenants --repair) recreates it', async () => {
    expect((await ws.run(['check-tenants', slug])).code).toBe(0);
    await dropTable(ws.dataDir, slug, 'customers');

    const check = await ws.run(['check-tenants', slug]);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(new RegExp(`${slug}: schema drift: table customers \\(Customer\\) is missing`));
    expect(check.stdout).toContain(`migrate-tenants --repair --tenant ${slug}`);

    const repair = await ws.run(['force_migrate_tenant', slug]);
    expect(repair.code).toBe(0);
    expect(repair.stdout).toContain('repaired  created table customers (empty) with its indexes and keys');

    expect((await ws.run(['check-tenants', slug])).code).toBe(0);
    const again = await ws.run(['migrate-tenants', '--repair', '--tenant', slug]);
    expect(again.stdout).toContain('nothing to repair');
    expect((await ws.run(['migrate-tenants', '--repair'])).code).toBe(2);
  });
});
