import { randomBytes } from 'node:crypto';
import { DataTypes, QueryTypes } from 'sequelize';
import { tenantMigrations, type MigrationDefinition } from '@salesfleet/migrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import type { FleetMigrationResult } from './provisioning/index';
import { createTestTenancy, postgresBackends, testSlug, type TestTenancy } from './testing/index';

const postgres = (await testDialects()).includes('postgres');

/** A migration the compiled list does not have, as a new release would bring. */
const addNote: MigrationDefinition = {
  name: '20991231-0002-test-schema-note',
  async up({ queryInterface, transaction }) {
    await queryInterface.addColumn('products', 'schema_note', { type: DataTypes.STRING(50), allowNull: true }, { transaction });
  },
  async down({ queryInterface, transaction }) {
    await queryInterface.removeColumn('products', 'schema_note', { transaction });
  },
};

// Issue 17: migrate-tenants checks and applies per schema, with the fleet's parallelism and status.
describe.runIf(postgres)('fleet migrations of postgres-schema tenants', () => {
  let t: TestTenancy;
  let withNew = false;
  const shared = `sales_flt${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    t = await createTestTenancy({
      engine: 'postgres',
      tenantMigrations: () => (withNew ? [...tenantMigrations, addNote] : tenantMigrations),
    });
  }, 60_000);

  afterAll(async () => {
    await t?.cleanup();
  }, 60_000);

  it('checks each schema, applies the new migration in each (not in public), records versions, then finds nothing pending', async () => {
    const slugs = [testSlug('flt'), testSlug('flt'), testSlug('flt')];
    for (const slug of slugs) {
      await t.provisioner.createTenant(
        { name: slug, subdomain: slug, adminEmail: `admin@${slug}.example.com`, database: { engine: 'postgres-schema', name: shared } },
        { actor: 'test' },
      );
    }
    const mine = (r: FleetMigrationResult) => r.results.filter((x) => slugs.includes(x.slug));
    const fresh = await t.provisioner.migrateTenants({ actor: 'test', check: true, skipRegistry: true });
    expect(mine(fresh).map((r) => [r.ok, r.pending])).toEqual(slugs.map(() => [true, []]));

    withNew = true;
    const before = await t.provisioner.migrateTenants({ actor: 'test', check: true, skipRegistry: true });
    expect(mine(before).map((r) => r.pending)).toEqual(slugs.map(() => [addNote.name]));

    const applied = await t.provisioner.migrateTenants({ actor: 'test', concurrency: 2, skipRegistry: true });
    expect(applied.ok).toBe(true);
    expect(mine(applied).map((r) => r.applied)).toEqual(slugs.map(() => [addNote.name]));
    for (const slug of slugs) expect((await t.registry.getTenant(slug)).schemaVersion).toBe(addNote.name);

    const after = await t.provisioner.migrateTenants({ actor: 'test', check: true, skipRegistry: true });
    expect(mine(after).map((r) => r.pending)).toEqual(slugs.map(() => []));
    for (const slug of slugs) {
      const columns = await t.connections.withTenant(await t.registry.getTenant(slug), ({ sequelize }) =>
        sequelize.query<{ table_schema: string }>(
          "SELECT table_schema FROM information_schema.columns WHERE table_name = 'products' AND column_name = 'schema_note'",
          { type: QueryTypes.SELECT },
        ),
      );
      // Each schema has the column once — its own; nothing was added to public or another schema twice.
      expect(columns.map((c) => c.table_schema).sort()).toEqual(slugs.map((s) => `t_${s}`).sort());
    }
    // The migrations' own connections are closed when the run returns; what is left is the serving
    // pool's one kept connection (shared by every schema of the database). Spare schemas made in the
    // background after the creations hold a connection while they are made: waited for.
    await t.provisioner.spareSchemasSettled();
    expect(await postgresBackends(shared)).toBeLessThanOrEqual(1);
  }, 300_000);

  it("a check reads a shared database's schemas in one batch and reports what each schema's own read reports", async () => {
    const db = `sales_flb${randomBytes(4).toString('hex')}`;
    const slugs = [testSlug('flb'), testSlug('flb'), testSlug('flb'), testSlug('flb')];
    for (const slug of slugs) {
      await t.provisioner.createTenant(
        { name: slug, subdomain: slug, adminEmail: `admin@${slug}.example.com`, database: { engine: 'postgres-schema', name: db } },
        { actor: 'test' },
      );
    }
    const [, lostRow, noTable, noSchema] = await Promise.all(slugs.map((slug) => t.registry.getTenant(slug)));
    const names = (withNew ? [...tenantMigrations, addNote] : tenantMigrations).map((m) => m.name);
    await t.connections.withTenant(lostRow!, ({ sequelize }) =>
      sequelize.query('DELETE FROM "SequelizeMeta" WHERE "name" = :name', { replacements: { name: names[3] } }),
    );
    await t.connections.withTenant(noTable!, ({ sequelize }) => sequelize.query('DROP TABLE "SequelizeMeta"'));
    await t.connections.withTenant(noSchema!, ({ sequelize }) => sequelize.query(`DROP SCHEMA "t_${noSchema!.slug}" CASCADE`));

    const fleet = await t.provisioner.migrateTenants({ actor: 'test', check: true, skipRegistry: true });
    const batched = slugs.map((slug) => fleet.results.find((r) => r.slug === slug)!);
    // One tenant alone is read on its own connection (no batch): the reference.
    const single = [];
    for (const slug of slugs) single.push(await t.provisioner.migrateTenant(slug, { actor: 'test', check: true }));
    const shape = (r: (typeof batched)[number]) => ({
      slug: r.slug,
      ok: r.ok,
      pending: r.pending,
      schemaVersion: r.schemaVersion,
      error: r.error,
    });
    expect(batched.map(shape)).toEqual(single.map(shape));
    expect(batched.map((r) => [r.ok, r.pending.length])).toEqual([
      [true, withNew ? 1 : 0],
      [true, withNew ? 2 : 1],
      [true, names.length],
      [true, names.length],
    ]);
    expect(batched[1]!.pending).toContain(names[3]);
  }, 300_000);
});
