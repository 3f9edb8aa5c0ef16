import { randomBytes } from 'node:crypto';
import pMap from 'p-map';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, testServerUrls } from '@salesfleet/models/testing';
import { migrateUp } from '@salesfleet/migrations';
import { driverFor, openSequelize, parseDatabaseUrl } from './drivers/index';
import { TemplateCache } from './templates';
import type { TenantRecord } from './registry/records';
import { UnscopedSchemaQuery } from './schema-pools';
import {
  createSchemaTenants,
  createTestTenancy,
  inPostgresDatabase,
  memoryLogger,
  schemaStructure,
  testSlug,
  type TestTenancy,
} from './testing/index';

const postgres = (await testDialects()).includes('postgres');

/** A direct connection to the shared database (outside Salesfleet) to see where rows really are. */
// Issue 17: the postgres-schema placement — tenants are schemas t_<slug> of one shared database.
describe.runIf(postgres)('postgres-schema tenants', () => {
  let t: TestTenancy;
  const shared = `sales_sch${randomBytes(4).toString('hex')}`;
  const tenants: TenantRecord[] = [];
  const logger = memoryLogger();

  beforeAll(async () => {
    t = await createTestTenancy({ engine: 'postgres', config: { schemaPoolMax: 2 }, logger });
    tenants.push(...(await createSchemaTenants(t, shared, 2, 'sch')));
  }, 180_000);

  afterAll(async () => {
    await t?.cleanup();
  });

  it('registers the shared database and the schema t_<slug>; the tables are in the schema, none in public', async () => {
    for (const tenant of tenants) {
      expect(tenant.db).toMatchObject({ engine: 'postgres', name: shared, schema: `t_${tenant.slug}`, managed: true });
      expect(tenant.db.key).toMatch(new RegExp(`/${shared}/t_${tenant.slug}$`));
    }
    const tables = await inPostgresDatabase(shared, async (c) => {
      const r = await c.query<{ table_schema: string; n: string }>(
        `SELECT table_schema, count(*) AS n FROM information_schema.tables
          WHERE table_schema NOT IN ('pg_catalog', 'information_schema') GROUP BY table_schema`,
      );
      return Object.fromEntries(r.rows.map((row) => [row.table_schema, Number(row.n)]));
    });
    expect(tables.public).toBeUndefined();
    expect(tables[`t_${tenants[0]!.slug}`]).toBeGreaterThan(20);
    expect(tables[`t_${tenants[1]!.slug}`]).toBe(tables[`t_${tenants[0]!.slug}`]);
  });

  it("two tenants' interleaved writes on the shared pool and model classes each land in their own schema only", async () => {
    const [a, b] = tenants as [TenantRecord, TenantRecord];
    const handles = await Promise.all([t.connections.acquire(a), t.connections.acquire(b)]);
    try {
      // One Sequelize instance and one set of classes for both (bounded memory), bound per scope.
      expect(handles[0].handle.sequelize).toBe(handles[1].handle.sequelize);
      expect(handles[0].handle.models.Customer).toBe(handles[1].handle.models.Customer);
    } finally {
      for (const h of handles) h.release();
    }
    await pMap(
      Array.from({ length: 200 }, (_, n) => n),
      async (n) => {
        const tenant = n % 2 === 0 ? a : b;
        await t.connections.withTenant(tenant, async ({ models, sequelize }) => {
          await models.Customer.create({ name: `${tenant.slug} bare ${n}` });
          await sequelize.transaction(async (transaction) => {
            await models.Customer.create({ name: `${tenant.slug} nested ${n}` }, { transaction });
          });
        });
      },
      { concurrency: 8 },
    );
    for (const tenant of [a, b]) {
      const names = await inPostgresDatabase(shared, async (c) =>
        (await c.query<{ name: string }>(`SELECT name FROM "t_${tenant.slug}".customers`)).rows.map((r) => r.name),
      );
      expect(names.length).toBe(200);
      expect(names.filter((name) => !name.startsWith(`${tenant.slug} `))).toEqual([]);
    }
  });

  it('refuses a query outside a tenant scope and a nested scope of another tenant', async () => {
    const lease = await t.connections.acquire(tenants[0]!);
    try {
      await expect(lease.handle.models.Customer.count()).rejects.toBeInstanceOf(UnscopedSchemaQuery);
      await expect(lease.handle.sequelize.query('SELECT 1')).rejects.toBeInstanceOf(UnscopedSchemaQuery);
      await expect(
        t.connections.withTenant(tenants[0]!, () => t.connections.withTenant(tenants[1]!, ({ models }) => models.Customer.count())),
      ).rejects.toBeInstanceOf(UnscopedSchemaQuery);
    } finally {
      lease.release();
    }
  });

  it('a failed nested transaction rolls back to its savepoint; the rest of the unit commits', async () => {
    const tenant = tenants[0]!;
    const before = await t.connections.withTenant(tenant, ({ models }) => models.Customer.count());
    await t.connections.withTenant(tenant, async ({ models, sequelize }) => {
      await models.Customer.create({ name: `${tenant.slug} kept` });
      await expect(
        sequelize.transaction(async (transaction) => {
          await models.Customer.create({ name: `${tenant.slug} undone` }, { transaction });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
    });
    expect(await t.connections.withTenant(tenant, ({ models }) => models.Customer.count())).toBe(before + 1);
  });

  it('a schema created from the recorded template is the schema the migrations make (tables, columns, keys, indexes, rows)', async () => {
    const migrated = `sales_mig${randomBytes(3).toString('hex')}`;
    const spec = { ...parseDatabaseUrl(testServerUrls.postgres), database: shared, schema: migrated };
    const sequelize = openSequelize(spec, { dataDir: t.dataDir, tenant: true, poolMax: 1 });
    try {
      await inPostgresDatabase(shared, (c) => c.query(`CREATE SCHEMA "${migrated}"`));
      await migrateUp(sequelize, 'tenant');
    } finally {
      await sequelize.close();
    }
    // The catalog structure, and the permissions the migrations seed.
    const describe = async (schema: string) => ({
      ...(await schemaStructure(shared, schema)),
      permissions: await inPostgresDatabase(shared, async (c) =>
        (await c.query(`SELECT codename FROM "${schema}".auth_permissions ORDER BY codename`)).rows.map((r) => JSON.stringify(r)),
      ),
    });
    const recorded = `sales_rec${randomBytes(3).toString('hex')}`;
    try {
      // Straight from the template (nothing seeded), and through the provisioner (seeded on top).
      const templates = new TemplateCache({ dataDir: t.dataDir, connectTimeoutMs: 5000 });
      const ctx = { dataDir: t.dataDir, connectTimeoutMs: 5000 };
      const script = await templates.schemaScriptFor({ ...spec, schema: recorded }, ctx);
      expect(script).not.toBeNull();
      await driverFor('postgres').create({ ...spec, schema: recorded }, ctx, { script: script! });
      const fresh = await t.provisioner.createTenant(
        { name: 'Cloned', subdomain: testSlug('sch'), adminEmail: 'c@schema.test', database: { engine: 'postgres-schema', name: shared } },
        { actor: 'test' },
      );
      const [fromScript, fromMigrations, provisioned] = await Promise.all([
        describe(recorded),
        describe(migrated),
        describe(`t_${fresh.tenant.slug}`),
      ]);
      expect(fromScript.columns.length).toBeGreaterThan(100);
      expect(fromScript.migrations.length).toBeGreaterThan(5);
      expect(fromScript).toEqual(fromMigrations);
      const { permissions: _seeded, ...structure } = provisioned;
      const { permissions: _granted, ...migratedStructure } = fromMigrations;
      expect(structure).toEqual(migratedStructure);
      // The provisioner took the template: neither recording nor cloning fell back to migrating.
      expect(logger.entries.filter((e) => e.level === 'warn').map((e) => e.msg)).toEqual([]);
      await t.provisioner.deleteTenant(fresh.tenant.slug, { actor: 'test' });
    } finally {
      await inPostgresDatabase(shared, (c) =>
        c.query(`DROP SCHEMA IF EXISTS "${migrated}" CASCADE; DROP SCHEMA IF EXISTS "${recorded}" CASCADE`),
      );
    }
  });

  it('delete drops the schema (CASCADE) and keeps the shared database and the other schemas', async () => {
    const { tenant } = await t.provisioner.createTenant(
      { name: 'Doomed', subdomain: testSlug('sch'), adminEmail: 'd@schema.test', database: { engine: 'postgres-schema', name: shared } },
      { actor: 'test' },
    );
    await t.connections.withTenant(tenant, ({ models }) => models.Customer.create({ name: 'x' }));
    await t.provisioner.deleteTenant(tenant.slug, { actor: 'test' });
    const schemas = await inPostgresDatabase(shared, async (c) =>
      (await c.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%'")).rows.map((r) => r.nspname),
    );
    expect(schemas).not.toContain(`t_${tenant.slug}`);
    for (const kept of tenants) expect(schemas).toContain(`t_${kept.slug}`);
  });

  it('a retry after a failed creation succeeds (the leftover schema is dropped)', async () => {
    const failing = await createTestTenancy({ engine: 'postgres', dataDir: t.dataDir, failAt: 'seed' });
    const slug = testSlug('sch');
    const input = { name: 'Retry', subdomain: slug, adminEmail: 'r@schema.test', database: { engine: 'postgres-schema', name: shared } };
    try {
      await expect(failing.provisioner.createTenant(input, { actor: 'test' })).rejects.toThrow();
    } finally {
      await failing.close();
    }
    const schemaLeft = await inPostgresDatabase(
      shared,
      async (c) => (await c.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [`t_${slug}`])).rowCount,
    );
    expect(schemaLeft).toBe(0);
    const { tenant } = await t.provisioner.createTenant(input, { actor: 'test' });
    expect(tenant.status).toBe('active');
    await t.provisioner.deleteTenant(slug, { actor: 'test' });
  });

  it('the orphan finder lists a t_* schema no tenant owns in a shared database (not the shared database, not owned schemas), and removes it', async () => {
    const stray = `t_orphan${randomBytes(4).toString('hex')}`;
    await inPostgresDatabase(shared, (c) => c.query(`CREATE SCHEMA "${stray}"`));
    const report = await t.provisioner.findOrphans();
    const ours = report.databases.filter((d) => d.name === shared);
    expect(ours.map((d) => d.schema)).toEqual([stray]);
    const owned = (await t.registry.listTenants()).filter((x) => x.db.name === shared).map((x) => x.db.schema);
    expect(owned.length).toBeGreaterThan(0);
    const removed = await t.provisioner.removeOrphans({ actor: 'test', only: [ours[0]!.where] });
    expect(removed.droppedDatabases).toEqual([ours[0]!.where]);
    const left = await inPostgresDatabase(shared, async (c) =>
      (await c.query<{ n: string }>("SELECT nspname AS n FROM pg_namespace WHERE nspname LIKE 't\\_%' ORDER BY 1")).rows.map((r) => r.n),
    );
    expect(left).toEqual([...owned].sort());
  }, 120_000);

  it("a database is a tenant's own or a shared one, never both: each mixing is refused before anything is created", async () => {
    const shared0 = (await t.registry.listTenants()).find((x) => x.db.name === shared && x.db.schema)!;
    // A whole-database tenant named like the shared database (the server spelled another way).
    const whole = testSlug('whl');
    const refused = t.provisioner.createTenant(
      { name: 'Whole', subdomain: whole, adminEmail: 'a@whl.test', database: { engine: 'postgres', host: 'localhost', name: shared } },
      { actor: 'test' },
    );
    await expect(refused).rejects.toMatchObject({
      code: 'Conflict',
      details: { reason: 'DatabasePlacementConflict', tenant: shared0.slug },
    });
    await expect(refused).rejects.toThrow(/is a shared database of schema tenants .* choose another database name/);
    expect(await t.registry.findTenant(whole)).toBeNull();

    // A schema tenant placed in a whole-database tenant's own database.
    const { tenant: own } = await t.provisioner.createTenant(
      { name: 'Own', subdomain: testSlug('own'), adminEmail: 'a@own.test', database: { engine: 'postgres' } },
      { actor: 'test' },
    );
    expect(own.db.schema ?? null).toBeNull();
    const schemaSlug = testSlug('inown');
    const intoOwn = t.provisioner.createTenant(
      { name: 'Into own', subdomain: schemaSlug, adminEmail: 'a@inown.test', database: { engine: 'postgres-schema', name: own.db.name } },
      { actor: 'test' },
    );
    await expect(intoOwn).rejects.toMatchObject({ code: 'Conflict', details: { reason: 'DatabasePlacementConflict', tenant: own.slug } });
    await expect(intoOwn).rejects.toThrow(new RegExp(`tenant "${own.slug}"'s own database; schema tenants cannot be placed in it`));
    expect(await t.registry.findTenant(schemaSlug)).toBeNull();
    const schemas = await inPostgresDatabase(
      own.db.name,
      async (c) => (await c.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%'")).rowCount,
    );
    expect(schemas).toBe(0);
  }, 120_000);
});
