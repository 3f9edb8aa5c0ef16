import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAllTenantModels, defineTenantModels } from '../define-tenant-models';
import type { TenantModels } from '../model-types';
import { tenantSequelizeOptions } from '../sequelize-options';
import { createTestDatabase, testDialects, type TestDatabase } from '../testing';
import { findSessionByTokenHash } from './session-lookup';

const dialects = await testDialects();

describe.each(dialects)('the session lookup on %s', (dialect) => {
  let db: TestDatabase;
  let models: TenantModels;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    models = defineTenantModels(db.connect(tenantSequelizeOptions(dialect)));
    defineAllTenantModels(models);
    await models.sequelize.sync();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('finds a session by its token hash with its user, as the model reads them, and nothing for another hash', async () => {
    const user = await models.User.create({
      username: 'cashier',
      email: 'cashier@example.com',
      passwordHash: 'x',
      firstName: 'Cas',
      isSuperuser: false,
      mustChangePassword: true,
      lastLoginAt: new Date('2026-12-01T10:00:00.123Z'),
    });
    const other = await models.User.create({ username: 'other', email: 'other@example.com', passwordHash: 'x', isActive: false });
    const expiresAt = new Date('2026-12-08T01:56:33.916Z');
    const created = await models.Session.create({ tokenHash: 'a'.repeat(64), userId: user.id, expiresAt, lastSeenAt: null });
    await models.Session.create({ tokenHash: 'b'.repeat(64), userId: other.id, expiresAt, lastSeenAt: new Date('2026-12-07T12:00:00Z') });
    // As the models read them back (MySQL keeps whole seconds).
    const viaModel = await models.Session.findByPk(created.id);
    const userViaModel = await models.User.findByPk(user.id);

    expect(await findSessionByTokenHash(models, 'a'.repeat(64))).toEqual({
      session: { id: created.id, userId: user.id, expiresAt: viaModel!.expiresAt, lastSeenAt: null, createdAt: viaModel!.createdAt },
      user: {
        id: user.id,
        username: 'cashier',
        email: 'cashier@example.com',
        firstName: 'Cas',
        lastName: '',
        isActive: true,
        isSuperuser: false,
        mustChangePassword: true,
        lastLoginAt: userViaModel!.lastLoginAt,
      },
    });
    const second = await findSessionByTokenHash(models, 'b'.repeat(64));
    expect(second).toMatchObject({
      session: { userId: other.id, lastSeenAt: new Date('2026-12-07T12:00:00Z') },
      user: { isActive: false },
    });
    expect(await findSessionByTokenHash(models, 'c'.repeat(64))).toBeNull();
    // A hash that is SQL is only a value.
    expect(await findSessionByTokenHash(models, "' OR '1'='1")).toBeNull();
  });
});
