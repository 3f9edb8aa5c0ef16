import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrationNames } from '@salesfleet/migrations';
import { testDialects, type TestDialect } from '@salesfleet/models/testing';
import { openSequelize, resolveSqlitePath, specToUrl, type DatabaseSpec } from '@salesfleet/tenancy';
import { createTestApp, TEST_PASSWORD, testSlug, type TestApp } from '../testing/index';

const dialects = await testDialects();
const latest = migrationNames('tenant').at(-1);

// A database that already holds a tenant (restored by other tools, or copied) is registered as a new
// tenant: migrated up from its older schema, and its users sign in with their passwords.
describe.each(dialects)('adopting an existing tenant database on %s', (engine: TestDialect) => {
  let t: TestApp;
  let outside: string;

  beforeAll(async () => {
    t = await createTestApp({ engine });
    outside = mkdtempSync(join(tmpdir(), 'salesfleet-adopt-'));
  });
  afterAll(async () => {
    await t?.cleanup();
    rmSync(outside, { recursive: true, force: true });
  });

  /**
   * A tenant's database as another tool would hand it over: the tenant is removed from the registry
   * (database kept), its last migration reverted (an older schema); SQLite files are copied elsewhere.
   */
  async function leftoverDatabase(): Promise<{ url: string; spec: DatabaseSpec }> {
    const { slug, host } = await t.createTenant();
    const token = await t.tenantLogin(host);
    const customer = await t.request(host, '/api/customers', { method: 'POST', token, json: { name: 'Kept Customer' } });
    expect(customer.status).toBe(201);
    const spec = t.tenancy.registry.databaseSpecOf(await t.tenancy.registry.getTenant(slug));
    await t.tenancy.provisioner.deleteTenant(slug, { actor: 'test', keepDatabase: true });
    const db = openSequelize(spec, { dataDir: t.config.dataDir });
    try {
      await migrateDown(db, 'tenant');
    } finally {
      await db.close();
    }
    if (engine !== 'sqlite') return { url: specToUrl(spec), spec };
    const file = join(outside, `${slug}.sqlite`);
    copyFileSync(resolveSqlitePath(t.config.dataDir, spec.database), file);
    return { url: `sqlite:${file}`, spec: { ...spec, database: file } };
  }

  it('migrates it up, activates it, and its users sign in with their passwords over the API', async () => {
    const { url } = await leftoverDatabase();
    const slug = testSlug('adopt');
    const adopted = await t.tenancy.provisioner.adoptTenant(
      { name: 'Adopted Ltd', subdomain: slug, adminEmail: 'owner@adopted.test', database: { url } },
      { actor: 'test:adopt' },
    );
    expect(adopted.tenant).toMatchObject({ slug, status: 'active', schemaVersion: latest });
    expect(adopted.applied).toEqual([latest]);
    expect(adopted.activeUsers).toBe(1);
    expect(adopted.copiedFrom === null).toBe(engine !== 'sqlite');

    const host = `${slug}.localhost`;
    const token = await t.tenantLogin(host, 'admin', TEST_PASSWORD);
    const customers = await t.request(host, '/api/customers', { token });
    expect(customers.status).toBe(200);
    expect(JSON.stringify(await customers.json())).toContain('Kept Customer');

    const ops = await t.tenancy.registry.listOperations({ limit: 50 });
    expect(ops.find((o) => o.action === 'adopt-tenant' && o.tenantSlug === slug)).toMatchObject({
      outcome: 'succeeded',
      actor: 'test:adopt',
    });

    // One database, one tenant: adopting it a second time is refused and registers nothing (a SQLite
    // file is copied into each adopting tenant's own file).
    if (engine === 'sqlite') return;
    const again = testSlug('adopt');
    await expect(
      t.tenancy.provisioner.adoptTenant(
        {
          name: 'Twice',
          subdomain: again,
          adminEmail: 'owner@adopted.test',
          database: { url: specToUrl(t.tenancy.registry.databaseSpecOf(adopted.tenant)) },
        },
        { actor: 'test:adopt' },
      ),
    ).rejects.toMatchObject({ code: 'Conflict', details: { reason: 'DatabaseInUse' } });
    expect(await t.tenancy.registry.findTenant(again)).toBeNull();
  });

  it('refuses a schema newer than this version knows, and a database that is not a tenant, creating nothing', async () => {
    const { url, spec } = await leftoverDatabase();
    const db = openSequelize(spec, { dataDir: engine === 'sqlite' ? outside : t.config.dataDir });
    try {
      await db.getQueryInterface().bulkInsert('SequelizeMeta', [{ name: '209912312359-from-the-future.js' }]);
    } finally {
      await db.close();
    }
    const slug = testSlug('adopt');
    const input = { name: 'Future', subdomain: slug, adminEmail: 'owner@future.test', database: { url } };
    await expect(t.tenancy.provisioner.adoptTenant(input, { actor: 'test:adopt' })).rejects.toMatchObject({
      code: 'SchemaTooNew',
      message: expect.stringContaining('209912312359-from-the-future.js'),
    });
    expect(await t.tenancy.registry.findTenant(slug)).toBeNull();

    const empty = engine === 'sqlite' ? `sqlite:${join(outside, 'empty.sqlite')}` : null;
    if (empty) {
      copyFileSync(resolveSqlitePath(t.config.dataDir, 'registry.sqlite'), join(outside, 'empty.sqlite'));
      await expect(
        t.tenancy.provisioner.adoptTenant({ ...input, database: { url: empty } }, { actor: 'test:adopt' }),
      ).rejects.toMatchObject({
        code: 'ValidationFailed',
        message: expect.stringContaining('is not a Salesfleet tenant database'),
      });
      expect(await t.tenancy.registry.findTenant(slug)).toBeNull();
    }
  });
});
