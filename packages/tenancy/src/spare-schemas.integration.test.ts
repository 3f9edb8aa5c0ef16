import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, testServerUrls } from '@salesfleet/models/testing';
import { driverFor, parseDatabaseUrl, type DatabaseSpec } from './drivers/index';
import { SPARE_SCHEMA_PREFIX, spareSchemaPrefix } from './spare-schemas';
import { TemplateCache } from './templates';
import { createTestTenancy, inPostgresDatabase, memoryLogger, schemaStructure, testSlug, type TestTenancy } from './testing/index';

const postgres = (await testDialects()).includes('postgres');

/** Schema name → OID (a rename keeps the OID: a tenant schema with a spare's OID is that spare). */
const schemas = (database: string, like: string) =>
  inPostgresDatabase(database, async (c) => {
    const r = await c.query<{ nspname: string; oid: number }>(
      'SELECT nspname, oid::int AS oid FROM pg_namespace WHERE starts_with(nspname, $1)',
      [like],
    );
    return new Map(r.rows.map((row) => [row.nspname, row.oid]));
  });

// Issue 17: postgres-schema creations rename a spare schema made ahead instead of running the template script.
describe.runIf(postgres)('spare schemas', () => {
  let t: TestTenancy;
  let withoutSpares: TestTenancy;
  const shared = `sales_spr${randomBytes(4).toString('hex')}`;
  const logger = memoryLogger();
  const input = (slug: string) => ({
    name: `Spare ${slug}`,
    subdomain: slug,
    adminEmail: `a@${slug}.test`,
    database: { engine: 'postgres-schema' as const, name: shared },
  });

  beforeAll(async () => {
    t = await createTestTenancy({ engine: 'postgres', config: { spareSchemas: 2 }, logger });
    withoutSpares = await createTestTenancy({ engine: 'postgres', dataDir: t.dataDir, config: { spareSchemas: 0 } });
    // The first creation finds no spare (script), then two are made in the background.
    await t.provisioner.createTenant(input(testSlug('spr')), { actor: 'test' });
    await t.provisioner.spareSchemasSettled();
  }, 180_000);

  afterAll(async () => {
    await withoutSpares?.close();
    await t?.cleanup();
  });

  it('keeps the configured number of spares at this migration version, named so that no tenant schema can be', async () => {
    const spares = await schemas(shared, SPARE_SCHEMA_PREFIX);
    expect(spares.size).toBe(2);
    for (const name of spares.keys()) expect(name.startsWith(spareSchemaPrefix())).toBe(true);
    expect(SPARE_SCHEMA_PREFIX.startsWith('t_')).toBe(false);
  });

  it('two concurrent creations each claim a different spare; the spares are made again afterwards', async () => {
    const before = await schemas(shared, SPARE_SCHEMA_PREFIX);
    const slugs = [testSlug('spr'), testSlug('spr')];
    const created = await Promise.all(slugs.map((slug) => t.provisioner.createTenant(input(slug), { actor: 'test' })));
    const after = await schemas(shared, 't_');
    const oids = created.map((c) => after.get(c.tenant.db.schema!));
    expect(new Set(oids).size).toBe(2);
    for (const oid of oids) expect([...before.values()]).toContain(oid);
    for (const c of created) expect(c.tenant.status).toBe('active');
    await t.provisioner.spareSchemasSettled();
    const refilled = await schemas(shared, SPARE_SCHEMA_PREFIX);
    expect(refilled.size).toBe(2);
    for (const oid of refilled.values()) expect([...before.values()]).not.toContain(oid);
  }, 120_000);

  it('more concurrent claims than spares: each spare goes to one creation, the rest run the template script', async () => {
    const spec: DatabaseSpec = { ...parseDatabaseUrl(testServerUrls.postgres), database: shared, schema: null };
    const ctx = { dataDir: t.dataDir, connectTimeoutMs: 5000 };
    const before = await schemas(shared, SPARE_SCHEMA_PREFIX);
    expect(before.size).toBe(2);
    const targets = Array.from({ length: 6 }, () => `sales_claim${randomBytes(4).toString('hex')}`);
    const templates = new TemplateCache({ dataDir: t.dataDir, connectTimeoutMs: 5000 });
    try {
      await Promise.all(
        targets.map(async (schema) => {
          const script = await templates.schemaScriptFor({ ...spec, schema }, ctx);
          await driverFor('postgres').create({ ...spec, schema }, ctx, { script: script!, spare: spareSchemaPrefix() });
        }),
      );
      const made = await schemas(shared, 'sales_claim');
      expect(made.size).toBe(6);
      const claimed = targets.filter((schema) => [...before.values()].includes(made.get(schema)!));
      expect(claimed).toHaveLength(2);
      expect((await schemas(shared, SPARE_SCHEMA_PREFIX)).size).toBe(0);
      // Claimed or scripted, every one is the whole migrated schema.
      const shapes = await Promise.all(targets.map((schema) => schemaStructure(shared, schema)));
      for (const shape of shapes) expect(shape).toEqual(shapes[0]);
    } finally {
      await inPostgresDatabase(shared, (c) => c.query(targets.map((s) => `DROP SCHEMA IF EXISTS "${s}" CASCADE`).join('; ')));
    }
  }, 120_000);

  it('a tenant made from a spare has the structure of one made by the template script', async () => {
    await t.provisioner.createTenant(input(testSlug('spr')), { actor: 'test' }); // refill after the last test
    await t.provisioner.spareSchemasSettled();
    const spares = await schemas(shared, SPARE_SCHEMA_PREFIX);
    const fromSpare = await t.provisioner.createTenant(input(testSlug('spr')), { actor: 'test' });
    const fromScript = await withoutSpares.provisioner.createTenant(input(testSlug('spr')), { actor: 'test' });
    const oids = await schemas(shared, 't_');
    expect([...spares.values()]).toContain(oids.get(fromSpare.tenant.db.schema!));
    expect([...spares.values()]).not.toContain(oids.get(fromScript.tenant.db.schema!));
    const [a, b] = await Promise.all([
      schemaStructure(shared, fromSpare.tenant.db.schema!),
      schemaStructure(shared, fromScript.tenant.db.schema!),
    ]);
    expect(a.columns.length).toBeGreaterThan(100);
    expect(a.indexes.length).toBeGreaterThan(50);
    expect(a).toEqual(b);
    // No reference to the spare's old name or to another schema survives the rename.
    const foreign = await inPostgresDatabase(shared, async (c) =>
      (
        await c.query<{ def: string }>(
          `SELECT pg_get_expr(d.adbin, d.adrelid) AS def FROM pg_attrdef d JOIN pg_class k ON k.oid = d.adrelid
            WHERE k.relnamespace = $1::text::regnamespace
           UNION ALL SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = $1::text::regnamespace
           UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = $1::text`,
          [fromSpare.tenant.db.schema],
        )
      ).rows.filter((r) => [...r.def.matchAll(/\b((?:t|sfspare)_[a-z0-9_]+)\./g)].some((m) => m[1] !== fromSpare.tenant.db.schema)),
    );
    expect(foreign).toEqual([]);
    // The tenant is usable and sees only its own rows.
    await t.connections.withTenant(fromSpare.tenant, ({ models }) => models.Customer.create({ name: 'from a spare' }));
    const names = await t.connections.withTenant(fromScript.tenant, async ({ models }) =>
      (await models.Customer.findAll()).map((x) => x.name),
    );
    expect(names).not.toContain('from a spare');
  }, 120_000);

  it('a spare of another migration version is never claimed; a refill drops older ones and keeps newer ones', async () => {
    await t.provisioner.spareSchemasSettled();
    const count = spareSchemaPrefix().slice(SPARE_SCHEMA_PREFIX.length, SPARE_SCHEMA_PREFIX.length + 4);
    const older = `${SPARE_SCHEMA_PREFIX}${String(Number(count) - 1).padStart(4, '0')}_${TemplateCache.fingerprint()}_00aa`;
    const otherList = `${SPARE_SCHEMA_PREFIX}${count}_${'0'.repeat(12)}_00bb`;
    const newer = `${SPARE_SCHEMA_PREFIX}${String(Number(count) + 1).padStart(4, '0')}_${'f'.repeat(12)}_00cc`;
    // Only the stale spares would be free: the current ones are taken first by two creations.
    await t.provisioner.createTenant(input(testSlug('spr')), { actor: 'test' });
    await t.provisioner.createTenant(input(testSlug('spr')), { actor: 'test' });
    await inPostgresDatabase(shared, async (c) => {
      // Wait for the refill started by those creations, then remove what it made: no current spare is left.
      await t.provisioner.spareSchemasSettled();
      const current = (
        await c.query<{ n: string }>('SELECT nspname AS n FROM pg_namespace WHERE starts_with(nspname, $1)', [spareSchemaPrefix()])
      ).rows;
      for (const { n } of current) await c.query(`DROP SCHEMA "${n}" CASCADE`);
      for (const name of [older, otherList, newer]) await c.query(`CREATE SCHEMA "${name}"; CREATE TABLE "${name}".marker (id int)`);
    });
    const stale = await schemas(shared, SPARE_SCHEMA_PREFIX);
    const created = await t.provisioner.createTenant(input(testSlug('spr')), { actor: 'test' });
    const oid = (await schemas(shared, 't_')).get(created.tenant.db.schema!);
    expect([...stale.values()]).not.toContain(oid);
    expect((await schemaStructure(shared, created.tenant.db.schema!)).migrations.length).toBeGreaterThan(5);
    await t.provisioner.spareSchemasSettled();
    const left = [...(await schemas(shared, SPARE_SCHEMA_PREFIX)).keys()];
    expect(left).toContain(newer);
    expect(left).not.toContain(older);
    expect(left).not.toContain(otherList);
    expect(left.filter((n) => n.startsWith(spareSchemaPrefix()))).toHaveLength(2);
    await inPostgresDatabase(shared, (c) => c.query(`DROP SCHEMA "${newer}" CASCADE`));
  }, 120_000);

  it('spares are not tenants: not listed, not checked by migrate-tenants, not orphans; a crash mid-build leaves nothing', async () => {
    await t.provisioner.spareSchemasSettled();
    const spares = [...(await schemas(shared, SPARE_SCHEMA_PREFIX)).keys()];
    expect(spares.length).toBe(2);
    // A builder killed inside its transaction (as a crashed process) leaves no spare behind.
    const dead = `${spareSchemaPrefix()}dead`;
    const s = parseDatabaseUrl(testServerUrls.postgres);
    const builder = new pg.Client({ host: s.host ?? undefined, port: s.port ?? undefined, user: s.user ?? undefined, database: shared });
    builder.on('error', () => undefined);
    await builder.connect();
    await builder.query(`BEGIN; CREATE SCHEMA "${dead}"; CREATE TABLE "${dead}".users (id int)`);
    const pid = (builder as unknown as { processID: number }).processID;
    await inPostgresDatabase(shared, (k) => k.query('SELECT pg_terminate_backend($1, 5000)', [pid]));
    await builder.end().catch(() => undefined);
    expect((await schemas(shared, dead)).size).toBe(0);
    const listed = (await t.registry.listTenants()).map((x) => x.db.schema);
    for (const spare of spares) expect(listed).not.toContain(spare);
    const check = await t.provisioner.migrateTenants({ actor: 'test', check: true });
    const checked = JSON.stringify(check);
    for (const spare of spares) expect(checked).not.toContain(spare);
    const orphans = await t.provisioner.findOrphans();
    expect(orphans.databases.filter((d) => d.name === shared)).toEqual([]);
    expect(orphans.abandoned).toEqual([]);
  }, 120_000);

  it('a creation that fails after claiming a spare leaves nothing; the retry with the same slug succeeds', async () => {
    await t.provisioner.spareSchemasSettled();
    const spares = await schemas(shared, SPARE_SCHEMA_PREFIX);
    const failing = await createTestTenancy({ engine: 'postgres', dataDir: t.dataDir, failAt: 'seed', config: { spareSchemas: 2 } });
    const slug = testSlug('spr');
    try {
      await expect(failing.provisioner.createTenant(input(slug), { actor: 'test' })).rejects.toThrow();
    } finally {
      await failing.close();
    }
    expect((await schemas(shared, 't_')).has(`t_${slug}`)).toBe(false);
    // It had claimed one of the spares (gone with the compensation).
    const after = await schemas(shared, SPARE_SCHEMA_PREFIX);
    expect([...spares.keys()].filter((n) => !after.has(n)).length).toBeGreaterThanOrEqual(1);
    const { tenant } = await t.provisioner.createTenant(input(slug), { actor: 'test' });
    expect(tenant.status).toBe('active');
    expect(logger.entries.filter((e) => e.level === 'warn' || e.level === 'error').map((e) => e.msg)).toEqual([]);
  }, 120_000);
});
