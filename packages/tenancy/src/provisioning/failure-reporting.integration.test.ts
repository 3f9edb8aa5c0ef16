import { afterEach, describe, expect, it } from 'vitest';
import { createTestTenancy, memoryLogger, testSlug, type TestTenancy } from '../testing/index';

const actor = 'test:failure-reporting';

describe('a creation whose cleanup fails (SQLite registry)', () => {
  let t: TestTenancy | null = null;
  afterEach(async () => {
    await t?.cleanup();
    t = null;
  });

  it('reports, in the logger, the tenant it could neither remove nor mark failed', async () => {
    const logger = memoryLogger();
    let registryBroken = false;
    t = await createTestTenancy({
      logger,
      failAt: 'seed',
      templates: false,
      // The registry's tenants table goes away between the failure and its compensation: removing
      // the row and marking it failed both fail for real (SQLITE_ERROR: no such table).
      beforeCompensation: async () => {
        await t!.registry.sequelize.query('ALTER TABLE tenants RENAME TO tenants_away');
        registryBroken = true;
      },
    });
    const slug = testSlug();
    await expect(
      t.provisioner.createTenant({ name: 'Stuck', subdomain: slug, adminEmail: 'a@stuck.test' }, { actor }),
    ).rejects.toMatchObject({
      code: 'ProvisioningFailed',
      details: { cleanup: 'incomplete' },
    });
    expect(registryBroken).toBe(true);
    await t.registry.sequelize.query('ALTER TABLE tenants_away RENAME TO tenants');

    // The row is left in provisioning — and that is said, with the tenant, the step and why.
    expect((await t.registry.getTenant(slug)).status).toBe('provisioning');
    const errors = logger.entries.filter((e) => e.level === 'error');
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          msg: 'tenant creation could not be undone',
          fields: expect.objectContaining({ tenant: slug, undo: 'register', step: 'seed' }),
        }),
        expect.objectContaining({
          msg: 'failed tenant could not be marked failed; it stays in provisioning',
          fields: expect.objectContaining({ tenant: slug, err: expect.stringMatching(/no such table/) }),
        }),
      ]),
    );

    // And it does not stay stuck: check-tenants' report names it, and a retry takes it over at once.
    expect((await t.provisioner.findOrphans()).abandoned.map((a) => a.slug)).toEqual([slug]);
    const healthy = await createTestTenancy({ dataDir: t.dataDir });
    try {
      const retried = await healthy.provisioner.createTenant({ name: 'Unstuck', subdomain: slug, adminEmail: 'a@stuck.test' }, { actor });
      expect(retried.tenant).toMatchObject({ slug, status: 'active', name: 'Unstuck' });
    } finally {
      await healthy.close();
    }
  });
});
