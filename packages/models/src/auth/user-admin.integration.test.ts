import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAllTenantModels, defineTenantModels } from '../define-tenant-models';
import type { TenantModels } from '../model-types';
import { seedTenant } from '../seed-tenant';
import { tenantSequelizeOptions } from '../sequelize-options';
import { createTestDatabase, testDialects, type TestDatabase } from '../testing';
import { hashPassword } from './passwords';
import { countActiveUsers, createTenantUser, groupsOfUsers, restoreDefaultGroups, setUserGroups, updateTenantUser } from './user-admin';

const dialects = await testDialects();

describe.each(dialects)('user administration on %s', (dialect) => {
  let db: TestDatabase;
  let models: TenantModels;
  let hash: string;
  let adminId: number;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    models = defineTenantModels(db.connect(tenantSequelizeOptions(dialect)));
    defineAllTenantModels(models);
    await models.sequelize.sync();
    hash = await hashPassword('a user password 1');
    ({ adminUserId: adminId } = await seedTenant(models, {
      admin: { username: 'admin', email: 'admin@example.com', passwordHash: hash, mustChangePassword: false },
    }));
  });
  afterAll(async () => {
    await db.drop();
  });

  it('creates users within the limit and names the limit when it is reached', async () => {
    const u = await createTenantUser(
      models,
      { username: 'cashier1', email: 'c1@example.com', passwordHash: hash, mustChangePassword: true, groups: ['Cashiers'] },
      { maxUsers: 2 },
    );
    expect((await groupsOfUsers(models, [u.id])).get(u.id)).toEqual(['Cashiers']);
    expect(await countActiveUsers(models)).toBe(2);
    await expect(
      createTenantUser(
        models,
        { username: 'cashier2', email: 'c2@example.com', passwordHash: hash, mustChangePassword: true },
        { maxUsers: 2 },
      ),
    ).rejects.toMatchObject({ code: 'LimitReached', details: { limit: 'maxUsers', maxUsers: 2 } });
    expect(await models.User.count({ where: { username: 'cashier2' } })).toBe(0);
  });

  it('refuses a taken username, an email in another case, and unknown groups', async () => {
    await expect(
      createTenantUser(
        models,
        { username: 'cashier1', email: 'x@example.com', passwordHash: hash, mustChangePassword: false },
        { maxUsers: 50 },
      ),
    ).rejects.toMatchObject({ code: 'Conflict' });
    await expect(
      createTenantUser(
        models,
        { username: 'other', email: 'C1@Example.com', passwordHash: hash, mustChangePassword: false },
        { maxUsers: 50 },
      ),
    ).rejects.toMatchObject({ code: 'Conflict' });
    await expect(
      createTenantUser(
        models,
        { username: 'other', email: 'o@example.com', passwordHash: hash, mustChangePassword: false, groups: ['Nope'] },
        { maxUsers: 50 },
      ),
    ).rejects.toMatchObject({ code: 'ValidationFailed' });
    expect(await models.User.count({ where: { username: 'other' } })).toBe(0);
  });

  it('deactivating frees a seat and ends sessions; re-activating counts again', async () => {
    const u = await models.User.findOne({ where: { username: 'cashier1' } });
    await models.Session.create({ tokenHash: 'h'.repeat(64), userId: u!.id, expiresAt: new Date(Date.now() + 60_000) });
    await updateTenantUser(models, u!.id, { isActive: false }, { maxUsers: 2 });
    expect(await models.Session.count({ where: { userId: u!.id } })).toBe(0);
    const v = await createTenantUser(
      models,
      { username: 'cashier3', email: 'c3@example.com', passwordHash: hash, mustChangePassword: false },
      { maxUsers: 2 },
    );
    await expect(updateTenantUser(models, u!.id, { isActive: true }, { maxUsers: 2 })).rejects.toMatchObject({ code: 'LimitReached' });
    await updateTenantUser(models, v.id, { isActive: false }, { maxUsers: 2 });
    await updateTenantUser(models, u!.id, { isActive: true }, { maxUsers: 2 });
    expect(await countActiveUsers(models)).toBe(2);
  });

  it('sets groups exactly and puts the admin back into every default group', async () => {
    expect(await setUserGroups(models, adminId, ['Cashiers'])).toEqual(['Cashiers']);
    expect((await groupsOfUsers(models, [adminId])).get(adminId)).toEqual(['Cashiers']);
    expect(await restoreDefaultGroups(models, adminId)).toEqual(['Admin', 'Managers']);
    expect((await groupsOfUsers(models, [adminId])).get(adminId)).toEqual(['Admin', 'Cashiers', 'Managers']);
    expect(await restoreDefaultGroups(models, adminId)).toEqual([]);
    await expect(setUserGroups(models, 99999, [])).rejects.toMatchObject({ code: 'NotFound' });
  });
});
