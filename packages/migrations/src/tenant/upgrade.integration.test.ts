import { DEFAULT_GROUPS, defineTenantModels, getSettings, PERMISSIONS, seedTenant, tenantSequelizeOptions } from '@salesfleet/models';
import { createTestDatabase, testDialects, type TestDatabase } from '@salesfleet/models/testing';
import { QueryTypes, type Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateUp } from '../runner';

const dialects = await testDialects();

/** Codenames each group holds, read with plain SQL. */
async function grants(sequelize: Sequelize): Promise<Map<string, string[]>> {
  const rows = await sequelize.query<{ name: string; codename: string }>(
    `SELECT g.name AS name, p.codename AS codename FROM group_permissions gp
       JOIN auth_groups g ON g.id = gp.group_id JOIN auth_permissions p ON p.id = gp.permission_id`,
    { type: QueryTypes.SELECT },
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.name, [...(out.get(r.name) ?? []), r.codename].sort());
  return out;
}

describe.each(dialects)('an existing tenant upgraded by the settings migration on %s', (dialect) => {
  let db: TestDatabase;
  let sequelize: Sequelize;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    sequelize = db.connect(tenantSequelizeOptions(dialect));
    // A tenant of the previous version, with its default groups.
    await migrateUp(sequelize, 'tenant', { to: '202611230003-accounting' });
    await sequelize.getQueryInterface().bulkInsert(
      'auth_groups',
      DEFAULT_GROUPS.map((g) => ({ name: g.name })),
    );
  });
  afterAll(async () => {
    await db.drop();
  });

  it('gets a settings row with defaults and the new admin permissions, granted to Admin only', async () => {
    await migrateUp(sequelize, 'tenant', { to: '202612070100-tenant-settings' });
    const models = defineTenantModels(sequelize);
    expect(await getSettings(models)).toMatchObject({ currency: 'USD', timeZone: 'UTC', invoicePrefix: 'INV-', closedThrough: null });
    const byGroup = await grants(sequelize);
    expect(byGroup.get('Admin')).toEqual(['accounting.close_period', 'settings.change_settings']);
    expect(byGroup.get('Managers')).toBeUndefined();
    await migrateUp(sequelize, 'tenant'); // the later migrations (inventory, purchasing…) before seeding with today's models

    // seedTenant afterwards (fix-admin-groups) completes the rest and leaves the settings alone.
    await seedTenant(models, {
      admin: { username: 'admin', email: 'a@example.com', passwordHash: '!', mustChangePassword: false },
      companyName: 'Acme',
    });
    expect((await grants(sequelize)).get('Admin')).toEqual(PERMISSIONS.map((p) => p.codename).sort());
    expect((await getSettings(models)).companyName).toBe('Acme');
    await seedTenant(models, {
      admin: { username: 'admin', email: 'a@example.com', passwordHash: '!', mustChangePassword: false },
      companyName: 'Other',
    });
    expect((await getSettings(models)).companyName).toBe('Acme');
  });

  it('goes back down cleanly', async () => {
    // Revert everything after the previous version (later migrations first).
    for (let i = 0; i < 50; i++) {
      const { reverted } = await migrateDown(sequelize, 'tenant');
      if (reverted.includes('202612070100-tenant-settings')) break;
    }
    const tables = (await sequelize.getQueryInterface().showAllTables()).map((t) =>
      typeof t === 'string' ? t : (t as { tableName: string }).tableName,
    );
    expect(tables).not.toContain('tenant_settings');
    const codes = await sequelize.query<{ codename: string }>('SELECT codename FROM auth_permissions', { type: QueryTypes.SELECT });
    expect(codes.map((c) => c.codename)).not.toContain('settings.change_settings');
    await migrateUp(sequelize, 'tenant');
  });
});
