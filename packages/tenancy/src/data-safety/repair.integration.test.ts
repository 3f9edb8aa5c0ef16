import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import { closeSequelize, openSequelize } from '../drivers/index';
import { createTestTenancy, testSlug, type TestTenancy } from '../testing/index';
import { repairTenantSchema, tenantSchemaDrift } from './repair';

const dialects = await testDialects();
const actor = 'test:repair';

describe.each(dialects)('schema drift and repair of a %s tenant', (engine) => {
  let t: TestTenancy;
  let slug: string;

  beforeAll(async () => {
    t = await createTestTenancy({ engine });
    slug = testSlug('rp');
    await t.provisioner.createTenant({ name: 'Broken Ltd', subdomain: slug, adminEmail: 'owner@broken.test' }, { actor });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('a dropped table is reported as drift and recreated by the repair, no row touched', async () => {
    const tenant = await t.registry.getTenant(slug);
    expect(await tenantSchemaDrift(t, tenant)).toEqual([]);
    const users = await t.connections.withTenant(tenant, ({ models }) => models.User.count());
    await t.connections.evict(tenant.id);
    const db = openSequelize(t.registry.databaseSpecOf(tenant), { dataDir: t.dataDir });
    try {
      if (engine === 'postgres') await db.query('DROP TABLE customers CASCADE');
      else if (engine === 'mysql')
        await db.transaction(async (transaction) => {
          await db.query('SET FOREIGN_KEY_CHECKS = 0', { transaction });
          await db.query('DROP TABLE customers', { transaction });
          await db.query('SET FOREIGN_KEY_CHECKS = 1', { transaction });
        });
      else await db.query('DROP TABLE customers');
    } finally {
      await closeSequelize(db);
    }
    const drift = await tenantSchemaDrift(t, tenant);
    expect(drift).toContainEqual(expect.objectContaining({ kind: 'missing-table', table: 'customers' }));

    const repaired = await repairTenantSchema(t, slug, { actor });
    expect(repaired.changes).toContainEqual(
      expect.objectContaining({ table: 'customers', repaired: true, message: expect.stringContaining('created table customers') }),
    );
    expect(repaired.remaining).toEqual([]);
    expect(await tenantSchemaDrift(t, tenant)).toEqual([]);
    await t.connections.withTenant(tenant, async ({ models }) => {
      expect(await models.User.count()).toBe(users);
      expect((await models.Customer.create({ name: 'Back again' })).id).toBeGreaterThan(0);
    });
    const ops = await t.operations.list({ tenant: slug, action: 'repair-tenant-schema' });
    expect(ops.some((o) => o.outcome === 'succeeded' && JSON.stringify(o.details).includes('created table customers'))).toBe(true);
  });
});
