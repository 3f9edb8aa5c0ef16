import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAllTenantModels, defineTenantModels, verifyPassword } from '@salesfleet/models';
import { createTestDatabase, testDialects, type TestDialect } from '@salesfleet/models/testing';
import { compareSchemaWithModels, migrateDown, migrationNames, migrationStatus } from '@salesfleet/migrations';
import {
  closeSequelize,
  driverFor,
  managedDatabaseName,
  openSequelize,
  parseDatabaseUrl,
  sqliteTenantPath,
  type DatabaseSpec,
} from '../drivers/index';
import { PROVISION_STEPS, type ProvisionStep } from './types';
import type { TenantRecord } from '../registry/records';
import { createTestTenancy, testSlug, type TestTenancy } from '../testing/index';

const dialects = await testDialects();
const LAST_MIGRATION = migrationNames('tenant').at(-1);
const actor = 'test:provisioner';

/** Where a managed tenant database of `slug` lives on this engine. */
function managedSpec(t: TestTenancy, engine: TestDialect, slug: string): DatabaseSpec {
  if (engine === 'sqlite')
    return { engine: 'sqlite', database: sqliteTenantPath(slug), host: null, port: null, user: null, password: null };
  return { ...parseDatabaseUrl(t.config.tenantServerUrl!), database: managedDatabaseName(slug) };
}

async function databaseExists(t: TestTenancy, spec: DatabaseSpec): Promise<boolean> {
  if (spec.engine === 'sqlite') {
    const path = join(t.dataDir, spec.database);
    return ['', '-wal', '-shm'].some((suffix) => existsSync(`${path}${suffix}`));
  }
  return driverFor(spec.engine).exists(spec, { dataDir: t.dataDir, connectTimeoutMs: 5000 });
}

async function withDatabase<T>(t: TestTenancy, spec: DatabaseSpec, fn: (s: import('sequelize').Sequelize) => Promise<T>): Promise<T> {
  const sequelize = openSequelize(spec, { dataDir: t.dataDir, tenant: true });
  try {
    return await fn(sequelize);
  } finally {
    await closeSequelize(sequelize);
  }
}

describe.each(dialects)('provisioning on %s', (engine) => {
  let t: TestTenancy;
  beforeAll(async () => {
    t = await createTestTenancy({ engine });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('creates a working tenant, then lists, checks, migrates, suspends, resumes and deletes it', { timeout: 180_000 }, async () => {
    const slug = testSlug();
    const steps: ProvisionStep[] = [];
    const created = await t.provisioner.createTenant(
      { name: 'Acme Trading', subdomain: slug, adminEmail: 'Owner@Acme.test', maxUsers: 7, multiLocation: true, trialDays: 14 },
      { actor, onStep: (s) => steps.push(s) },
    );
    expect(steps).toEqual(['validate', 'register', 'create_database', 'migrate', 'seed', 'activate']);
    expect(created.tenant).toMatchObject({
      slug,
      name: 'Acme Trading',
      adminEmail: 'owner@acme.test',
      status: 'active',
      maxUsers: 7,
      multiLocation: true,
      schemaVersion: LAST_MIGRATION,
      db: { engine, managed: true },
    });
    expect(created.tenant.trialEndsAt!.getTime()).toBeGreaterThan(Date.now() + 13 * 86_400_000);
    expect(created.url).toBe(`http://${slug}.localhost:8000/`);
    expect(created.admin.username).toBe('admin');
    expect(created.admin.oneTimePassword).toMatch(/^.{20}$/);

    // The admin can log in with the one-time password and must change it.
    const spec = managedSpec(t, engine, slug);
    await withDatabase(t, spec, async (sequelize) => {
      const models = defineTenantModels(sequelize);
      const admin = await models.User.findOne({ where: { username: 'admin' } });
      expect(admin).not.toBeNull();
      expect(admin!.mustChangePassword).toBe(true);
      expect(await verifyPassword(created.admin.oneTimePassword!, admin!.passwordHash)).toBe(true);
      expect(await models.Location.count()).toBe(1);
      expect((await migrationStatus(sequelize, 'tenant')).pending).toEqual([]);
    });

    expect(await t.provisioner.tenantUsers(slug)).toEqual([
      expect.objectContaining({
        username: 'admin',
        email: 'owner@acme.test',
        groups: ['Admin', 'Cashiers', 'Managers'],
        mustChangePassword: true,
      }),
    ]);
    await t.connections.withTenant(created.tenant, async ({ models }) => {
      await models.UserGroup.destroy({ where: {} });
    });
    expect((await t.provisioner.tenantUsers(slug))[0]!.groups).toEqual([]);
    expect(await t.provisioner.fixAdminGroups(slug, { actor })).toEqual({ username: 'admin', groups: ['Admin', 'Cashiers', 'Managers'] });

    const health = await t.provisioner.tenantHealth(slug);
    expect(health).toMatchObject({
      slug,
      status: 'active',
      reachable: true,
      schemaVersion: LAST_MIGRATION,
      pendingMigrations: 0,
      userCount: 1,
      maxUsers: 7,
    });
    expect(health.sizeBytes).toBeGreaterThan(0);
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);

    const check = await t.provisioner.migrateTenants({ actor, slug, check: true });
    expect(check).toMatchObject({ ok: true, results: [{ slug, ok: true, applied: [], pending: [], schemaVersion: LAST_MIGRATION }] });
    const migrated = await t.provisioner.migrateTenant(slug, { actor });
    expect(migrated).toMatchObject({ slug, ok: true, applied: [] });

    expect((await t.registry.listTenants()).map((x) => x.slug)).toContain(slug);

    const suspended = await t.provisioner.suspendTenant(slug, { actor, reason: 'unpaid invoice' });
    expect(suspended).toMatchObject({ status: 'suspended', suspendedReason: 'unpaid invoice' });
    expect(await t.router.resolveHost(`${slug}.localhost:8000`)).toMatchObject({ kind: 'unavailable', reason: 'suspended' });
    const resumed = await t.provisioner.resumeTenant(slug, { actor });
    expect(resumed).toMatchObject({ status: 'active', suspendedReason: null });
    expect(await t.router.resolveHost(`${slug}.localhost:8000`)).toMatchObject({ kind: 'tenant' });

    const updated = await t.provisioner.updateTenant(slug, { name: 'Acme Ltd', maxUsers: 9, paidUntil: '2031-01-01T00:00:00Z' }, { actor });
    expect(updated).toMatchObject({ name: 'Acme Ltd', maxUsers: 9 });
    expect(updated.version).toBeGreaterThan(resumed.version);

    const deleted = await t.provisioner.deleteTenant(slug, { actor });
    expect(deleted).toMatchObject({ deleted: true, keptDatabase: false });
    expect(await t.registry.findTenant(slug)).toBeNull();
    expect(await databaseExists(t, spec)).toBe(false);
    expect(await t.router.resolveHost(`${slug}.localhost`)).toMatchObject({ kind: 'unknown', reason: 'not_found' });

    const ops = await t.operations.list({ tenant: slug, limit: 1000 });
    const actions = new Set(ops.map((o) => o.action));
    for (const a of ['create-tenant', 'suspend-tenant', 'resume-tenant', 'update-tenant', 'fix-admin-groups', 'delete-tenant'])
      expect(actions).toContain(a);
    expect(ops.filter((o) => o.action === 'create-tenant' && o.step === 'migrate')[0]).toMatchObject({ outcome: 'succeeded', actor });
  });

  it('keeps the database on request, and then refuses to create over it', async () => {
    const slug = testSlug();
    await t.provisioner.createTenant({ name: 'Keep', subdomain: slug, adminEmail: 'k@keep.test' }, { actor });
    const spec = managedSpec(t, engine, slug);
    expect(await t.provisioner.deleteTenant(slug, { actor, keepDatabase: true })).toMatchObject({ deleted: true, keptDatabase: true });
    expect(await t.registry.findTenant(slug)).toBeNull();
    expect(await databaseExists(t, spec)).toBe(true);
    await expect(
      t.provisioner.createTenant({ name: 'Again', subdomain: slug, adminEmail: 'k@keep.test' }, { actor }),
    ).rejects.toMatchObject({
      code: 'DatabaseExists',
    });
    expect(await t.registry.findTenant(slug)).toBeNull();
    expect(await databaseExists(t, spec)).toBe(true);
    await driverFor(spec.engine).drop(spec, { dataDir: t.dataDir, connectTimeoutMs: 5000 });
  });

  it.each(PROVISION_STEPS)('leaves nothing behind when %s fails, and a retry succeeds', async (failAt) => {
    const failing = await createTestTenancy({ engine, dataDir: t.dataDir, failAt, templates: false });
    const slug = testSlug();
    try {
      const input = { name: 'Fragile', subdomain: slug, adminEmail: 'f@fragile.test', demoData: failAt === 'demo_data' };
      const error = await failing.provisioner.createTenant(input, { actor }).then(
        () => null,
        (err: unknown) => err as Error & { code: string; step?: string; details?: { cleanup?: string } },
      );
      expect(error).toMatchObject({ code: 'ProvisioningFailed', step: failAt, details: { cleanup: 'complete' } });
      expect(error!.message).toContain(`step "${failAt}"`);
      expect(await t.registry.findTenant(slug)).toBeNull();
      expect(await databaseExists(t, managedSpec(t, engine, slug))).toBe(false);
      const failedRun = (await t.operations.list({ tenant: slug, action: 'create-tenant' })).find(
        (o) => o.step === null && o.outcome === 'failed',
      );
      expect(failedRun?.details).toMatchObject({ step: failAt, cleanup: 'complete' });

      const retry = await t.provisioner.createTenant(input, { actor });
      expect(retry.tenant).toMatchObject({ slug, status: 'active' });
      expect(await t.provisioner.tenantHealth(slug)).toMatchObject({ reachable: true, userCount: 1, pendingMigrations: 0 });
      await t.provisioner.deleteTenant(slug, { actor });
    } finally {
      await failing.close();
    }
  });

  it('uses an existing empty database, reverts its tables on failure and never drops it', async () => {
    if (engine === 'sqlite') return; // SQLite tenants are always managed files (tested below)
    const db = await createTestDatabase(engine);
    try {
      const slug = testSlug();
      const input = { name: 'Explicit', subdomain: slug, adminEmail: 'e@explicit.test', database: { url: db.url } };
      const failing = await createTestTenancy({ engine, dataDir: t.dataDir, failAt: 'seed' });
      await expect(failing.provisioner.createTenant(input, { actor })).rejects.toMatchObject({ code: 'ProvisioningFailed', step: 'seed' });
      await failing.close();
      const inspection = await driverFor(engine).inspect(parseDatabaseUrl(db.url), { dataDir: t.dataDir, connectTimeoutMs: 5000 });
      expect(inspection.exists).toBe(true);
      expect(inspection.tables.filter((x) => x !== 'SequelizeMeta')).toEqual([]);

      const created = await t.provisioner.createTenant(input, { actor });
      expect(created.tenant.db).toMatchObject({ engine, name: db.name, managed: false });
      expect(await t.provisioner.deleteTenant(slug, { actor })).toMatchObject({ keptDatabase: true });
      expect(
        (await driverFor(engine).inspect(parseDatabaseUrl(db.url), { dataDir: t.dataDir, connectTimeoutMs: 5000 })).tables.length,
      ).toBeGreaterThan(5);

      // Now it holds another tenant's data: refused, and left exactly as it was.
      const other = testSlug();
      await expect(
        t.provisioner.createTenant({ name: 'Intruder', subdomain: other, adminEmail: 'i@x.test', database: { url: db.url } }, { actor }),
      ).rejects.toMatchObject({ code: 'DatabaseNotEmpty' });
      expect(await t.registry.findTenant(other)).toBeNull();
    } finally {
      await db.drop();
    }
  });

  it('creates a named database that does not exist yet, and drops it with the tenant', async () => {
    if (engine === 'sqlite') return;
    const slug = testSlug();
    const name = `sf_explicit_${slug}`;
    const server = parseDatabaseUrl(t.config.tenantServerUrl!);
    const created = await t.provisioner.createTenant(
      {
        name: 'Named',
        subdomain: slug,
        adminEmail: 'n@named.test',
        database: { engine, host: server.host!, port: server.port!, user: server.user ?? undefined, name },
      },
      { actor },
    );
    expect(created.tenant.db).toMatchObject({ name, managed: true });
    await t.provisioner.deleteTenant(slug, { actor });
    expect(await databaseExists(t, { ...server, database: name })).toBe(false);
  });

  it('produces the same schema whether cloned from a template or migrated', async () => {
    const slug = testSlug();
    await t.provisioner.createTenant({ name: 'Clone', subdomain: slug, adminEmail: 'c@clone.test' }, { actor });
    await withDatabase(t, managedSpec(t, engine, slug), async (sequelize) => {
      const models = defineAllTenantModels(defineTenantModels(sequelize));
      expect(await compareSchemaWithModels(sequelize, models)).toEqual([]);
      expect((await migrationStatus(sequelize, 'tenant')).applied).toEqual(migrationNames('tenant'));
    });
    await t.provisioner.deleteTenant(slug, { actor });
  });

  it('creates demo data on request', async () => {
    const slug = testSlug();
    const created = await t.provisioner.createTenant(
      { name: 'Demo', subdomain: slug, adminEmail: 'd@demo.test', demoData: true, multiLocation: true },
      { actor },
    );
    expect(created.steps.map((s) => s.step)).toContain('demo_data');
    await t.connections.withTenant(created.tenant, async ({ models }) => {
      expect(await models.Product.count()).toBeGreaterThan(0);
      expect(await models.Customer.count()).toBeGreaterThan(0);
      expect(await models.Invoice.count()).toBeGreaterThan(0);
      expect(await models.Location.count()).toBeGreaterThan(1);
    });
    await t.provisioner.deleteTenant(slug, { actor });
  });

  it('validates the admin password and keeps a given one', async () => {
    const slug = testSlug();
    await expect(
      t.provisioner.createTenant({ name: 'Weak', subdomain: slug, adminEmail: 'w@weak.test', adminPassword: 'short' }, { actor }),
    ).rejects.toMatchObject({ code: 'ValidationFailed', details: [expect.objectContaining({ path: 'adminPassword' })] });
    expect(await t.registry.findTenant(slug)).toBeNull();
    const created = await t.provisioner.createTenant(
      { name: 'Strong', subdomain: slug, adminEmail: 'w@weak.test', adminUsername: 'boss', adminPassword: 'a long and unusual passphrase' },
      { actor },
    );
    expect(created.admin).toEqual({ username: 'boss', email: 'w@weak.test' });
    await t.connections.withTenant(created.tenant, async ({ models }) => {
      const boss = await models.User.findOne({ where: { username: 'boss' } });
      expect(boss!.mustChangePassword).toBe(false);
      expect(await verifyPassword('a long and unusual passphrase', boss!.passwordHash)).toBe(true);
    });
    await t.provisioner.deleteTenant(slug, { actor });
  });
});

describe('provisioning rules (SQLite)', () => {
  let t: TestTenancy;
  beforeAll(async () => {
    t = await createTestTenancy();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const tenantFiles = () => (existsSync(join(t.dataDir, 'tenants')) ? readdirSync(join(t.dataDir, 'tenants')) : []);

  it.each([['../x'], ['a_b'], ['admin'], ['x'.repeat(64)], ["x'; drop table tenants;--"], ['Acme'], [''], ['-x']])(
    'refuses the subdomain %j before anything is made',
    async (subdomain) => {
      const before = {
        files: tenantFiles(),
        tenants: (await t.registry.listTenants()).length,
        ops: (await t.operations.list({ limit: 1000 })).length,
      };
      await expect(t.provisioner.createTenant({ name: 'Bad', subdomain, adminEmail: 'b@bad.test' }, { actor })).rejects.toMatchObject({
        code: 'ValidationFailed',
        details: [expect.objectContaining({ path: 'subdomain' })],
      });
      expect(tenantFiles()).toEqual(before.files);
      expect((await t.registry.listTenants()).length).toBe(before.tenants);
      expect((await t.operations.list({ limit: 1000 })).length).toBe(before.ops);
      expect(existsSync(join(t.dataDir, 'x.sqlite'))).toBe(false);
      expect(existsSync(join(t.dataDir, '..', 'x.sqlite'))).toBe(false);
    },
  );

  it('routes a new tenant at once although its host was just looked up and cached as unknown', async () => {
    const slug = testSlug();
    expect(await t.router.resolveHost(`${slug}.localhost`)).toMatchObject({ kind: 'unknown', reason: 'not_found' });
    expect(await t.router.resolveHost(`${slug}.localhost`)).toMatchObject({ kind: 'unknown', reason: 'not_found' }); // cached
    await t.provisioner.createTenant({ name: 'Newco', subdomain: slug, adminEmail: 'n@newco.test' }, { actor });
    expect(await t.router.resolveHost(`${slug}.localhost`)).toMatchObject({ kind: 'tenant', tenant: { slug } });
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ adminEmail: 'not-an-email' }, 'adminEmail'],
    [{ maxUsers: 0 }, 'maxUsers'],
    [{ trialDays: -1 }, 'trialDays'],
    [{ paidUntil: 'someday' }, 'paidUntil'],
    [{ adminUsername: 'has space' }, 'adminUsername'],
    [{ database: { engine: 'oracle' } }, 'database.engine'],
    [{ database: { engine: 'postgres' } }, 'database'],
    [{ database: { url: 'sqlite:../../etc/x.sqlite' } }, 'database'],
  ])('refuses %j with a field detail', async (patch, path) => {
    const input = { name: 'Valid', subdomain: testSlug(), adminEmail: 'v@valid.test', ...patch };
    await expect(t.provisioner.createTenant(input as never, { actor })).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: expect.arrayContaining([expect.objectContaining({ path })]),
    });
    expect(await t.registry.findTenant(input.subdomain)).toBeNull();
  });

  it('dry-runs without changing anything', async () => {
    const slug = testSlug();
    const before = { files: tenantFiles(), ops: (await t.operations.list({ limit: 1000 })).length };
    const result = await t.provisioner.createTenant({ name: 'Dry', subdomain: slug, adminEmail: 'd@dry.test' }, { actor, dryRun: true });
    expect(result).toMatchObject({ dryRun: true, ok: true });
    expect(result.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['input', 'registry', 'subdomain', 'database']));
    expect(await t.registry.findTenant(slug)).toBeNull();
    expect(tenantFiles()).toEqual(before.files);
    expect((await t.operations.list({ limit: 1000 })).length).toBe(before.ops);

    await t.provisioner.createTenant({ name: 'Taken', subdomain: slug, adminEmail: 'd@dry.test' }, { actor });
    const taken = await t.provisioner.createTenant({ name: 'Dry', subdomain: slug, adminEmail: 'd@dry.test' }, { actor, dryRun: true });
    expect(taken.ok).toBe(false);
    expect(taken.checks.find((c) => c.name === 'subdomain')).toMatchObject({ ok: false });
    const bad = await t.provisioner.createTenant({ name: 'Dry', subdomain: 'a_b', adminEmail: 'x' }, { actor, dryRun: true });
    expect(bad.checks.find((c) => c.name === 'input')).toMatchObject({ ok: false });
  });

  it('gives one tenant and one SlugTaken to two processes creating the same subdomain at once', async () => {
    const other = await createTestTenancy({ dataDir: t.dataDir });
    try {
      const slug = testSlug();
      const outcomes = await Promise.allSettled([
        t.provisioner.createTenant({ name: 'One', subdomain: slug, adminEmail: 'one@x.test' }, { actor: 'cli:one' }),
        other.provisioner.createTenant({ name: 'Two', subdomain: slug, adminEmail: 'two@x.test' }, { actor: 'cli:two' }),
      ]);
      const ok = outcomes.filter((o) => o.status === 'fulfilled');
      const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(ok.length).toBe(1);
      expect(failed.length).toBe(1);
      expect(failed[0]!.reason).toMatchObject({ code: 'SlugTaken' });
      const tenant = await t.registry.getTenant(slug);
      expect(tenant.status).toBe('active');
      expect(await t.provisioner.tenantHealth(slug)).toMatchObject({ reachable: true, userCount: 1 });
      expect(tenantFiles().filter((f) => f.startsWith(slug))).toEqual([`${slug}.sqlite`]);
    } finally {
      await other.close();
    }
  });

  it('enforces the platform tenant limit', async () => {
    const capped = await createTestTenancy({ config: { maxTenants: 1 } });
    try {
      await capped.provisioner.createTenant({ name: 'First', subdomain: testSlug(), adminEmail: 'a@a.test' }, { actor });
      const slug = testSlug();
      await expect(
        capped.provisioner.createTenant({ name: 'Second', subdomain: slug, adminEmail: 'a@a.test' }, { actor }),
      ).rejects.toMatchObject({
        code: 'LimitReached',
      });
      expect(await capped.registry.findTenant(slug)).toBeNull();
      expect(existsSync(join(capped.dataDir, sqliteTenantPath(slug)))).toBe(false);
    } finally {
      await capped.cleanup();
    }
  });

  it('takes over the leftovers of a crashed attempt', async () => {
    const slug = testSlug();
    // What a crash after create_database leaves: a failed row and a half-made managed file.
    const row = await t.registry.insertTenant({
      slug,
      name: 'Crashed',
      adminEmail: 'c@crash.test',
      status: 'failed',
      maxUsers: 5,
      multiLocation: false,
      trialEndsAt: null,
      paidUntil: null,
      db: { engine: 'sqlite', host: null, port: null, name: sqliteTenantPath(slug), user: null, passwordEncrypted: null, managed: true },
    });
    await driverFor('sqlite').create(
      { engine: 'sqlite', database: sqliteTenantPath(slug), host: null, port: null, user: null, password: null },
      { dataDir: t.dataDir, connectTimeoutMs: 1000 },
    );
    const created = await t.provisioner.createTenant({ name: 'Recovered', subdomain: slug, adminEmail: 'c@crash.test' }, { actor });
    expect(created.tenant).toMatchObject({ id: row.id, name: 'Recovered', status: 'active' });
    const notes = (await t.operations.list({ tenant: slug })).map((o) => o.step);
    expect(notes).toEqual(expect.arrayContaining(['claim_failed_attempt', 'drop_leftover_database']));
  });

  it('refuses a subdomain another process is provisioning right now', async () => {
    const slug = testSlug();
    await t.registry.insertTenant({
      slug,
      name: 'Busy',
      adminEmail: 'b@busy.test',
      status: 'provisioning',
      maxUsers: 5,
      multiLocation: false,
      trialEndsAt: null,
      paidUntil: null,
      db: { engine: 'sqlite', host: null, port: null, name: sqliteTenantPath(slug), user: null, passwordEncrypted: null, managed: false },
    });
    await expect(
      t.provisioner.createTenant({ name: 'Me too', subdomain: slug, adminEmail: 'b@busy.test' }, { actor }),
    ).rejects.toMatchObject({
      code: 'SlugTaken',
      message: expect.stringContaining('being set up'),
    });
  });

  it('migrates a fleet with bounded concurrency, reporting failures without stopping', async () => {
    const fleet: TenantRecord[] = [];
    for (let i = 0; i < 6; i++) {
      fleet.push(
        (await t.provisioner.createTenant({ name: `F${i}`, subdomain: testSlug('f'), adminEmail: 'f@fleet.test' }, { actor })).tenant,
      );
    }
    const { rmSync } = await import('node:fs');
    rmSync(join(t.dataDir, fleet[2]!.db.name));
    await t.registry.updateTenant(fleet[4]!.id, { schemaVersion: null }); // a registry that fell behind
    const progress: number[] = [];
    const result = await t.provisioner.migrateTenants({ actor, concurrency: 3, onProgress: (done) => progress.push(done) });
    expect(result.ok).toBe(false);
    expect(result.registry).toMatchObject({ ok: true, applied: [] });
    const broken = result.results.find((r) => r.slug === fleet[2]!.slug)!;
    expect(broken).toMatchObject({ ok: false, error: expect.stringContaining('does not exist') });
    for (const tenant of [fleet[0]!, fleet[5]!]) {
      expect(result.results.find((r) => r.slug === tenant.slug)).toMatchObject({ ok: true, schemaVersion: LAST_MIGRATION });
    }
    expect(progress.at(-1)).toBe(result.results.length);
    expect((await t.registry.getTenant(fleet[4]!.slug)).schemaVersion).toBe(LAST_MIGRATION);

    // One tenant is a migration behind: check reports it, migrate applies it.
    await withDatabase(t, t.registry.databaseSpecOf(fleet[3]!), (sequelize) => migrateDown(sequelize, 'tenant'));
    const check = await t.provisioner.migrateTenants({ actor, slug: fleet[3]!.slug, check: true });
    expect(check.results[0]).toMatchObject({ ok: true, applied: [], pending: [LAST_MIGRATION] });
    const applied = await t.provisioner.migrateTenants({ actor, slug: fleet[3]!.slug });
    expect(applied.results[0]).toMatchObject({ ok: true, applied: [LAST_MIGRATION], pending: [], schemaVersion: LAST_MIGRATION });
    const health = await t.provisioner.fleetHealth({ concurrency: 2 });
    expect(health.find((h) => h.slug === fleet[2]!.slug)).toMatchObject({ reachable: false });
    expect(health.find((h) => h.slug === fleet[1]!.slug)).toMatchObject({ reachable: true, userCount: 1 });
  });

  it('manages custom domains that the router then resolves', async () => {
    const { tenant } = await t.provisioner.createTenant({ name: 'Domains', subdomain: testSlug(), adminEmail: 'd@d.test' }, { actor });
    const host = `shop-${tenant.slug}.example.org`;
    expect(await t.router.resolveHost(host)).toMatchObject({ kind: 'unknown', reason: 'not_found' });
    const domain = await t.provisioner.addDomain(tenant.slug, host.toUpperCase(), { actor });
    expect(domain).toMatchObject({ domain: host, primary: true });
    expect(await t.router.resolveHost(`${host}:8000`)).toMatchObject({ kind: 'tenant', via: 'domain', tenant: { slug: tenant.slug } });
    await expect(t.provisioner.addDomain(tenant.slug, `x.${tenant.slug}.localhost`, { actor })).rejects.toMatchObject({
      code: 'ValidationFailed',
    });
    expect((await t.provisioner.listDomains(tenant.slug)).map((d) => d.domain)).toEqual([host]);
    await t.provisioner.removeDomain(tenant.slug, host, { actor });
    expect(await t.router.resolveHost(host)).toMatchObject({ kind: 'unknown', reason: 'not_found' });
  });
});
