import { randomBytes } from 'node:crypto';
import pMap from 'p-map';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, testServerUrls } from '@salesfleet/models/testing';
import type { TenantRecord } from './registry/records';
import {
  createSchemaTenants,
  createTestTenancy,
  type LogEntry,
  memoryLogger,
  type PgBouncer,
  pgbouncerSkipReason,
  postgresBackends,
  startPgBouncer,
  testSlug,
  type TestTenancy,
} from './testing/index';

const postgres = (await testDialects()).includes('postgres');

/** A query on the test server itself (not through the pooler), in database `database`. */
async function onServer<T>(database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(testServerUrls.postgres);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
const schemaTables = (database: string, schema: string) =>
  onServer(database, async (c) =>
    (await c.query<{ t: string }>('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1', [schema])).rows.map(
      (r) => r.t,
    ),
  );
const schemaExistsOnServer = (database: string, schema: string) =>
  onServer(database, async (c) => (await c.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount === 1);
const dropDatabaseOnServer = (database: string) =>
  onServer('postgres', (c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
const skip = pgbouncerSkipReason();
if (postgres && skip) console.warn(`[salesfleet tests] ${skip}`);

// Issue 16.4: behind PgBouncer in transaction mode every request used to fail (the connection sent a
// start-up `options` parameter PgBouncer refuses). Tenants are created on the server itself and
// served through the pooler (SALESFLEET_TENANT_POOLER_URL).
describe.runIf(postgres && !skip)('tenants served through PgBouncer in transaction mode', () => {
  let bouncer: PgBouncer;
  let t: TestTenancy;
  const tenants: TenantRecord[] = [];

  beforeAll(async () => {
    bouncer = await startPgBouncer({ poolSize: 2 });
    t = await createTestTenancy({ engine: 'postgres', config: { tenantPoolerUrl: bouncer.url, tenantPoolMax: 4 } });
    for (let i = 0; i < 4; i++) {
      const { tenant } = await t.provisioner.createTenant(
        { name: `Pooled ${i}`, subdomain: testSlug('pool'), adminEmail: `a${i}@pool.test` },
        { actor: 'test' },
      );
      tenants.push(tenant);
    }
  }, 120_000);

  afterAll(async () => {
    await t?.connections.closeAll({ graceMs: 1000 });
    await bouncer?.stop();
    await t?.cleanup();
  });

  it('interleaved transactions of four tenants over two server connections each: every row lands in its own tenant', async () => {
    const written = new Map<string, number>();
    await pMap(
      Array.from({ length: 200 }, (_, n) => n),
      async (n) => {
        const tenant = tenants[n % tenants.length]!;
        await t.connections.withTenant(tenant, async ({ models, sequelize }) => {
          await sequelize.transaction(async (transaction) => {
            await models.Customer.create({ name: `${tenant.slug} customer ${n}` }, { transaction });
            const names = (await models.Customer.findAll({ attributes: ['name'], transaction, raw: true })).map((c) => c.name);
            for (const name of names) expect(name.startsWith(`${tenant.slug} `)).toBe(true);
          });
        });
        written.set(tenant.slug, (written.get(tenant.slug) ?? 0) + 1);
      },
      { concurrency: 16 },
    ).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n--- PgBouncer ---\n${bouncer.log().slice(-1500)}`);
    });
    for (const tenant of tenants) {
      const count = await t.connections.withTenant(tenant, ({ models }) => models.Customer.count());
      expect(count).toBe(written.get(tenant.slug));
    }
  });

  it('holds no server connection for an idle tenant handle: the pooler, not the API, owns the backends', async () => {
    for (const tenant of tenants) await t.connections.withTenant(tenant, ({ models }) => models.Customer.count());
    expect(t.connections.stats().open).toBeGreaterThanOrEqual(tenants.length);
    const databases = tenants.map((tenant) => tenant.db.name);
    // PgBouncer closes idle server connections after a second (server_idle_timeout = 1); a direct
    // connection would keep one backend per handle (its pool keeps one) for as long as the handle.
    const deadline = Date.now() + 15_000;
    let backends = await postgresBackends(...databases);
    while (backends > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      backends = await postgresBackends(...databases);
    }
    expect(backends).toBe(0);
    expect(t.connections.stats().open).toBeGreaterThanOrEqual(tenants.length);
  });
});

// Issue 15.2: more tenant databases than server connections (200 databases under max_connections 100).
// With a cap over all databases PgBouncer closes an idle server connection of another database to
// open one: every tenant is still served, and the backends never exceed the cap.
describe.runIf(postgres && !skip)('more tenant databases than PgBouncer may open server connections', () => {
  let bouncer: PgBouncer;
  let t: TestTenancy;
  const tenants: TenantRecord[] = [];

  beforeAll(async () => {
    bouncer = await startPgBouncer({ poolSize: 1, maxServerConnections: 2, serverIdleTimeoutSeconds: 600 });
    t = await createTestTenancy({ engine: 'postgres', config: { tenantPoolerUrl: bouncer.url } });
    for (let i = 0; i < 4; i++) {
      const { tenant } = await t.provisioner.createTenant(
        { name: `Capped ${i}`, subdomain: testSlug('cap'), adminEmail: `a${i}@cap.test` },
        { actor: 'test' },
      );
      tenants.push(tenant);
    }
  }, 120_000);

  afterAll(async () => {
    await t?.connections.closeAll({ graceMs: 1000 });
    await bouncer?.stop();
    await t?.cleanup();
  });

  it('serves four tenant databases in turn over at most two backends', async () => {
    const databases = tenants.map((tenant) => tenant.db.name);
    for (let round = 0; round < 3; round++) {
      for (const [i, tenant] of tenants.entries()) {
        const name = `round ${round} of ${tenant.slug}`;
        await t.connections.withTenant(tenant, ({ models }) => models.Customer.create({ name }));
        const names = await t.connections.withTenant(tenant, async ({ models }) =>
          (await models.Customer.findAll({ attributes: ['name'], raw: true })).map((c) => c.name),
        );
        expect(names.at(-1), `tenant ${i}`).toBe(name);
        expect(names.every((n) => n.endsWith(` of ${tenant.slug}`))).toBe(true);
        expect(await postgresBackends(...databases)).toBeLessThanOrEqual(2);
      }
    }
    expect(bouncer.log()).toContain('evicted');
  });
});

// Issue 17: provisioning a schema tenant sent its search path in the connection's start-up
// `options`, which PgBouncer refuses. Here the tenant server itself is the pooler: the shared
// database, the template recording, the schema, the admin, the fleet check, health and the delete
// all go through PgBouncer in transaction mode.
describe.runIf(postgres && !skip)('schema tenants provisioned through PgBouncer in transaction mode', () => {
  let bouncer: PgBouncer;
  let t: TestTenancy;
  const log: LogEntry[] = [];
  const shared = `sales_pgbs${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    bouncer = await startPgBouncer({ poolSize: 2 });
    t = await createTestTenancy({ engine: 'postgres', logger: memoryLogger(log), config: { tenantServerUrl: bouncer.url } });
  }, 120_000);

  afterAll(async () => {
    await t?.connections.closeAll({ graceMs: 1000 });
    await bouncer?.stop();
    await t?.cleanup();
    await dropDatabaseOnServer(shared);
  });

  it('creates two schema tenants (template recorded, then cloned), serves, checks and deletes them, all via the pooler', async () => {
    const tenants = await createSchemaTenants(t, shared, 2, 'pgbs').catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n--- PgBouncer ---\n${bouncer.log().slice(-1500)}`);
    });
    // The template's recording through the pooler worked (no fallback to a plain migration).
    expect(log.filter((entry) => entry.level === 'warn').map((entry) => entry.msg)).toEqual([]);
    for (const tenant of tenants) {
      expect(tenant.db.port).toBe(bouncer.port);
      expect(await schemaTables(shared, tenant.db.schema!)).toContain('customers');
      await t.connections.withTenant(tenant, ({ models }) => models.Customer.create({ name: `${tenant.slug} customer` }));
      const names = await t.connections.withTenant(tenant, async ({ models }) =>
        (await models.Customer.findAll({ attributes: ['name'], raw: true })).map((c) => c.name),
      );
      expect(names).toEqual([`${tenant.slug} customer`]);
    }
    const check = await t.provisioner.migrateTenants({ actor: 'test', check: true, skipRegistry: true });
    expect(check.results.map((r) => [r.slug, r.ok, r.pending.length]).sort()).toEqual(tenants.map((x) => [x.slug, true, 0]).sort());
    const health = await t.provisioner.fleetHealth({});
    expect(health.every((h) => h.reachable)).toBe(true);
    await t.connections.closeAll({ graceMs: 1000 });
    for (const tenant of tenants) {
      await t.provisioner.deleteTenant(tenant.slug, { actor: 'test' });
      expect(await schemaTables(shared, tenant.db.schema!)).toEqual([]);
      expect(await schemaExistsOnServer(shared, tenant.db.schema!)).toBe(false);
    }
  }, 300_000);
});
