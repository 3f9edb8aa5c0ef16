import pMap from 'p-map';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import type { TenantRecord } from './registry/records';
import {
  createTestTenancy,
  type PgBouncer,
  pgbouncerSkipReason,
  postgresBackends,
  startPgBouncer,
  testSlug,
  type TestTenancy,
} from './testing/index';

const postgres = (await testDialects()).includes('postgres');
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
