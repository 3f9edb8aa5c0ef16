import { DataTypes } from 'sequelize';
import { tenantMigrations, type MigrationDefinition } from '@salesfleet/migrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectAvailable, testDialects } from '@salesfleet/models/testing';
import type { FleetMigrationResult } from './provisioning/index';
import type { TenantRecord } from './registry/records';
import { createTestTenancy, postgresBackends, testSlug, type TestTenancy } from './testing/index';

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

  it('leaves no connection to any tenant database once migrate and check return', async () => {
    const tenants: TenantRecord[] = [];
    for (let i = 0; i < 4; i++) {
      const slug = testSlug();
      tenants.push(
        (
          await t.provisioner.createTenant(
            { name: `Fleet ${i}`, subdomain: slug, adminEmail: `admin@${slug}.example.com` },
            { actor: 'test' },
          )
        ).tenant,
      );
    }
    await t.connections.closeAll();
    const names = tenants.map((x) => x.db.name);
    for (const check of [false, true]) {
      const result = await t.provisioner.migrateTenants({ actor: 'test', concurrency: 2, check, skipRegistry: true });
      expect(result.ok).toBe(true);
      expect(result.results.filter((r) => tenants.some((x) => x.slug === r.slug))).toHaveLength(4);
      expect(await postgresBackends(...names)).toBe(0);
    }
  }, 120_000);
});

/** A migration the compiled list does not have, as a new release would bring. */
const addNote: MigrationDefinition = {
  name: '20991231-0001-test-product-note',
  async up({ queryInterface, transaction }) {
    await queryInterface.addColumn('products', 'test_note', { type: DataTypes.STRING(50), allowNull: true }, { transaction });
  },
  async down({ queryInterface, transaction }) {
    await queryInterface.removeColumn('products', 'test_note', { transaction });
  },
};

describe.each(await testDialects())('fleet migrations with a new migration on %s', (engine) => {
  let t: TestTenancy;
  let withNew = false;

  beforeAll(async () => {
    t = await createTestTenancy({ engine, tenantMigrations: () => (withNew ? [...tenantMigrations, addNote] : tenantMigrations) });
  }, 60_000);

  afterAll(async () => {
    await t?.cleanup();
  }, 60_000);

  it('checks, applies it to every tenant, records the schema version, then finds nothing pending', async () => {
    const slugs = [testSlug(), testSlug()];
    for (const slug of slugs)
      await t.provisioner.createTenant({ name: slug, subdomain: slug, adminEmail: `admin@${slug}.example.com` }, { actor: 'test' });
    withNew = true;
    const mine = (r: FleetMigrationResult) => r.results.filter((x) => slugs.includes(x.slug));

    const before = await t.provisioner.migrateTenants({ actor: 'test', check: true, skipRegistry: true });
    expect(mine(before).map((r) => r.pending)).toEqual([[addNote.name], [addNote.name]]);

    const applied = await t.provisioner.migrateTenants({ actor: 'test', concurrency: 2, skipRegistry: true });
    expect(applied.ok).toBe(true);
    expect(mine(applied).map((r) => r.applied)).toEqual([[addNote.name], [addNote.name]]);
    for (const slug of slugs) expect((await t.registry.getTenant(slug)).schemaVersion).toBe(addNote.name);

    const after = await t.provisioner.migrateTenants({ actor: 'test', check: true, skipRegistry: true });
    expect(mine(after).map((r) => r.pending)).toEqual([[], []]);
    const columns = await t.connections.withTenant(await t.registry.getTenant(slugs[0]!), (handle) =>
      handle.sequelize.getQueryInterface().describeTable('products'),
    );
    expect(columns).toHaveProperty('test_note');
  }, 120_000);
});
