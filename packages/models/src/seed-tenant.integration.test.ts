import type { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_CODES, DEFAULT_CHART_OF_ACCOUNTS } from './accounting/chart-of-accounts';
import { hashPassword, verifyPassword } from './auth/passwords';
import { DEFAULT_GROUPS, PERMISSIONS } from './auth/permissions';
import { defineAllTenantModels, defineTenantModels } from './define-tenant-models';
import type { TenantModels } from './model-types';
import { seedTenant } from './seed-tenant';
import { tenantSequelizeOptions } from './sequelize-options';
import { createTestDatabase, testDialects, type TestDatabase } from './testing';

const dialects = await testDialects();

async function rowCounts(sequelize: Sequelize): Promise<Record<string, number>> {
  const tables = ['users', 'auth_groups', 'auth_permissions', 'user_groups', 'group_permissions', 'accounts', 'tax_rates', 'locations'];
  const out: Record<string, number> = {};
  for (const t of tables) {
    const [rows] = await sequelize.query(`SELECT COUNT(*) AS n FROM ${t}`);
    out[t] = Number((rows as { n: number | string }[])[0]!.n);
  }
  return out;
}

describe.each(dialects)('seedTenant on %s', (dialect) => {
  let db: TestDatabase;
  let models: TenantModels;
  let adminHash: string;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    models = defineTenantModels(db.connect(tenantSequelizeOptions(dialect)));
    defineAllTenantModels(models);
    await models.sequelize.sync();
    adminHash = await hashPassword('first admin password');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('seeds permissions, groups, chart of accounts, tax rate, first location and the admin in all three groups', async () => {
    const { adminUserId } = await seedTenant(models, {
      admin: {
        username: 'boss',
        email: 'boss@example.com',
        passwordHash: adminHash,
        firstName: 'Ada',
        mustChangePassword: true,
      },
    });

    const admin = await models.User.findByPk(adminUserId, { include: [{ model: models.Group, as: 'groups' }] });
    expect(admin).toMatchObject({ username: 'boss', email: 'boss@example.com', firstName: 'Ada', lastName: '' });
    expect(admin?.isSuperuser).toBe(true);
    expect(admin?.isActive).toBe(true);
    expect(admin?.mustChangePassword).toBe(true);
    expect(await verifyPassword('first admin password', admin!.passwordHash)).toBe(true);
    expect(admin?.groups?.map((g) => g.name).sort()).toEqual(['Admin', 'Cashiers', 'Managers']);

    expect(await models.Permission.count()).toBe(PERMISSIONS.length);
    for (const special of [
      'sales.void_invoice',
      'sales.adjust_stock',
      'accounting.view_reports',
      'auth.manage_users',
      'sales.add_invoice',
    ]) {
      expect(await models.Permission.count({ where: { codename: special } }), special).toBe(1);
    }

    const groups = await models.Group.findAll({ include: [{ model: models.Permission, as: 'permissions' }] });
    const byName = new Map(groups.map((g) => [g.name, (g.permissions ?? []).map((p) => p.codename).sort()]));
    expect(byName.get('Admin')).toEqual(PERMISSIONS.map((p) => p.codename).sort());
    expect(byName.get('Cashiers')).toEqual([
      'sales.add_customer',
      'sales.add_invoice',
      'sales.add_payment',
      'sales.view_category',
      'sales.view_customer',
      'sales.view_invoice',
      'sales.view_location',
      'sales.view_payment',
      'sales.view_product',
      'sales.view_unit',
    ]);
    // A cashier sells; buying and counting stock are for managers.
    for (const codename of ['purchasing.add_purchase_order', 'purchasing.receive_goods', 'sales.adjust_stock', 'sales.transfer_stock']) {
      expect(byName.get('Cashiers')).not.toContain(codename);
      expect(byName.get('Managers')).toContain(codename);
    }
    const managers = byName.get('Managers')!;
    expect(managers).toContain('sales.void_invoice');
    expect(managers).toContain('accounting.view_reports');
    expect(managers).toContain('auth.view_user');
    expect(managers).not.toContain('auth.manage_users');
    expect(managers).not.toContain('auth.add_user');

    const accounts = await models.Account.findAll({ order: [['code', 'ASC']] });
    expect(accounts.map((a) => [a.code, a.type])).toEqual(
      [...DEFAULT_CHART_OF_ACCOUNTS].sort((x, y) => x.code.localeCompare(y.code)).map((a) => [a.code, a.type]),
    );
    expect(accounts.find((a) => a.code === ACCOUNT_CODES.cash)?.name).toBe('Cash');
    expect((await models.TaxRate.findAll()).map((t) => [t.code, t.rateBp, t.isActive])).toEqual([['STANDARD', 2000, true]]);
    expect((await models.Location.findAll()).map((l) => [l.code, l.name])).toEqual([['MAIN', 'Main store']]);
  });

  it('is idempotent: a second run returns the same admin and changes no row', async () => {
    const before = await rowCounts(models.sequelize);
    const hashBefore = (await models.User.findOne({ where: { username: 'boss' } }))!.passwordHash;
    const again = await seedTenant(models, {
      admin: { username: 'boss', email: 'boss@example.com', password: 'a different password', mustChangePassword: false },
    });
    const admin = await models.User.findByPk(again.adminUserId);
    expect(admin?.username).toBe('boss');
    expect(admin?.passwordHash).toBe(hashBefore);
    expect(admin?.mustChangePassword).toBe(true);
    expect(await rowCounts(models.sequelize)).toEqual(before);
    expect(before).toMatchObject({ users: 1, auth_groups: DEFAULT_GROUPS.length, user_groups: 3, locations: 1, tax_rates: 1 });
  });
});

describe('seedTenant with a plain password and a named first location', () => {
  it('hashes the password and creates that location', async () => {
    const db = await createTestDatabase('sqlite');
    try {
      const models = defineTenantModels(db.connect());
      defineAllTenantModels(models);
      await models.sequelize.sync();
      const { adminUserId } = await seedTenant(models, {
        admin: { username: 'owner', email: 'owner@example.com', password: 'plain text given here', mustChangePassword: false },
        location: { code: 'HQ', name: 'Head office' },
      });
      const admin = await models.User.findByPk(adminUserId);
      expect(admin?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(await verifyPassword('plain text given here', admin!.passwordHash)).toBe(true);
      expect((await models.Location.findAll()).map((l) => l.code)).toEqual(['HQ']);
    } finally {
      await db.drop();
    }
  });

  it('rolls everything back when the admin cannot be created', async () => {
    const db = await createTestDatabase('sqlite');
    try {
      const models = defineTenantModels(db.connect());
      defineAllTenantModels(models);
      await models.sequelize.sync();
      await expect(
        seedTenant(models, { admin: { username: 'x', email: 'not an email', passwordHash: 'scrypt$h', mustChangePassword: true } }),
      ).rejects.toThrow(/email/i);
      expect(await rowCounts(models.sequelize)).toMatchObject({ users: 0, auth_permissions: 0, accounts: 0, locations: 0 });
    } finally {
      await db.drop();
    }
  });
});
