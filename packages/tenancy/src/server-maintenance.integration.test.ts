import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, testServerUrls, type TestDatabase } from '@salesfleet/models/testing';
import { moveTenant } from './data-safety/move';
import { driverFor } from './drivers/index';
import { createTestTenancy, testSlug, type TestTenancy } from './testing/index';

const dialects = await testDialects();
const actor = 'test:maintenance-db';

async function asAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: testServerUrls.postgres });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

// A server whose operator gave a maintenance database other than `postgres`: here the role may not
// create or drop databases from `postgres` (every transaction there is read-only for it), so any
// CREATE/DROP DATABASE sent through the engine's default fails, and only the recorded one works.
describe.skipIf(!dialects.includes('postgres'))('a tenant server whose maintenance database is not the default', () => {
  const role = `sf_maint_${randomBytes(4).toString('hex')}`;
  let maintenance: TestDatabase;
  let t: TestTenancy;

  beforeAll(async () => {
    maintenance = await createTestDatabase('postgres');
    await asAdmin(async (c) => {
      await c.query(`CREATE ROLE "${role}" LOGIN CREATEDB`);
      await c.query(`ALTER ROLE "${role}" IN DATABASE postgres SET default_transaction_read_only = on`);
    });
    const url = new URL(maintenance.url);
    url.username = role;
    t = await createTestTenancy({ config: { tenantServers: [{ name: 'pg-m', capacity: 5, url: url.toString() }] } });
  });
  afterAll(async () => {
    await t?.cleanup();
    await asAdmin(async (c) => {
      const owned = await c.query<{ datname: string }>(
        'SELECT datname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE r.rolname = $1',
        [role],
      );
      for (const { datname } of owned.rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      await c.query(`DROP ROLE IF EXISTS "${role}"`);
    });
    await maintenance?.drop();
  });

  it('the default database refuses the role (the premise of this test)', async () => {
    const url = new URL(testServerUrls.postgres);
    url.username = role;
    url.pathname = '/postgres';
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    try {
      await expect(c.query(`CREATE DATABASE "${role}_probe"`)).rejects.toThrow(/read-only/);
    } finally {
      await c.end();
    }
  });

  it('create, move onto the server with --drop-old, and delete all go through the recorded maintenance database', async () => {
    const slug = testSlug('mdb');
    const created = await t.provisioner.createTenant(
      { name: slug, subdomain: slug, adminEmail: 'a@maintenance.test', database: { engine: 'postgres' } },
      { actor },
    );
    expect('tenant' in created && created.tenant.serverId).toBe((await t.registry.servers.get('pg-m')).id);
    const before = t.registry.databaseSpecOf(await t.registry.getTenant(slug));
    expect(before.user).toBe(role);

    const moved = await moveTenant(t, slug, { actor, to: {}, toServer: 'pg-m', dropOld: true, drainMs: 500 });
    expect(moved.droppedOld).toBe(true);
    const after = t.registry.databaseSpecOf(moved.tenant);
    expect(after.database).not.toBe(before.database);
    const probe = { dataDir: t.dataDir, connectTimeoutMs: 5000, maintenanceDatabase: maintenance.name };
    expect(await driverFor('postgres').exists(before, probe)).toBe(false);
    expect(await t.connections.withTenant(moved.tenant, ({ models }) => models.User.count())).toBe(1);

    await t.provisioner.deleteTenant(slug, { actor });
    expect(await driverFor('postgres').exists(after, probe)).toBe(false);
    expect(await t.registry.findTenant(slug)).toBeNull();
  });
});
