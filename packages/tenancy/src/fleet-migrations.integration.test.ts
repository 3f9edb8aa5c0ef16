import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectAvailable, testServerUrls } from '@salesfleet/models/testing';
import type { TenantRecord } from './registry/records';
import { createTestTenancy, testSlug, type TestTenancy } from './testing/index';

/**
 * A fleet migration closes each tenant's connection while the next tenant starts, but returns only when
 * every one is closed: an operator who drops or moves a database right after `migrate-tenants` must not
 * find a backend still attached to it.
 */
const postgres = await dialectAvailable('postgres');

describe.runIf(postgres)('fleet migrations on postgres', () => {
  let t: TestTenancy;

  beforeAll(async () => {
    t = await createTestTenancy({ engine: 'postgres' });
  }, 60_000);

  afterAll(async () => {
    await t?.cleanup();
  }, 60_000);

  async function backends(databases: string[]): Promise<number> {
    const client = new pg.Client({ connectionString: testServerUrls.postgres });
    await client.connect();
    try {
      const r = await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = ANY($1)', [databases]);
      return Number(r.rows[0]!.n);
    } finally {
      await client.end();
    }
  }

  it('leaves no connection to any tenant database once migrate and check return', async () => {
    const tenants: TenantRecord[] = [];
    for (let i = 0; i < 4; i++) {
      const slug = testSlug();
      tenants.push((await t.provisioner.createTenant({ name: `Fleet ${i}`, subdomain: slug, adminEmail: `admin@${slug}.example.com` }, { actor: 'test' })).tenant);
    }
    await t.connections.closeAll();
    const names = tenants.map((x) => x.db.name);
    for (const check of [false, true]) {
      const result = await t.provisioner.migrateTenants({ actor: 'test', concurrency: 2, check, skipRegistry: true });
      expect(result.ok).toBe(true);
      expect(result.results.filter((r) => tenants.some((x) => x.slug === r.slug))).toHaveLength(4);
      expect(await backends(names)).toBe(0);
    }
  }, 120_000);
});
