import pMap from 'p-map';
import type { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import type { TenantRecord } from './registry/records';
import { StaleTenantHandle } from './tenant-instances';
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
const bouncerSkip = pgbouncerSkipReason();
if (postgres && bouncerSkip) console.warn(`[salesfleet tests] ${bouncerSkip}`);

const TENANTS = 6;

async function createTenants(t: TestTenancy, prefix: string): Promise<TenantRecord[]> {
  const tenants: TenantRecord[] = [];
  for (let i = 0; i < TENANTS; i++) {
    const { tenant } = await t.provisioner.createTenant(
      { name: `${prefix} ${i}`, subdomain: testSlug(prefix), adminEmail: `a${i}@${prefix}.test` },
      { actor: 'test' },
    );
    tenants.push(tenant);
  }
  return tenants;
}

/**
 * Interleaved units of work of `tenants` through a cache far smaller than them, so nearly every unit
 * closes a handle and opens another on a spare instance: each unit writes a row named after its
 * tenant (in a transaction) and reads its tenant's rows back. Checks, while the units run, that no two
 * tenants hold one instance at once and that every model class belongs to its handle's instance.
 */
async function interleave(t: TestTenancy, tenants: readonly TenantRecord[], units: number) {
  let foreign = 0;
  let shared = 0;
  const written = new Map<string, number>();
  const holders = new Map<Sequelize, { slug: string; leases: number }>();
  const servedBy = new Map<Sequelize, Set<string>>();
  await pMap(
    Array.from({ length: units }, (_, n) => n),
    async (n) => {
      // A scrambled order, so consecutive units of one instance belong to different tenants.
      const tenant = tenants[(n * 7919) % tenants.length]!;
      await t.connections.withTenant(tenant, async ({ models, sequelize }) => {
        const holder = holders.get(sequelize);
        if (holder && holder.slug !== tenant.slug) shared++;
        if (holder && holder.slug === tenant.slug) holder.leases++;
        else holders.set(sequelize, { slug: tenant.slug, leases: 1 });
        (servedBy.get(sequelize) ?? servedBy.set(sequelize, new Set()).get(sequelize)!).add(tenant.slug);
        try {
          expect(models.Customer.sequelize).toBe(sequelize);
          await sequelize.transaction(async (transaction) => {
            await models.Customer.create({ name: `${tenant.slug} #${n}` }, { transaction });
          });
          const rows = await models.Customer.findAll({ attributes: ['name'], order: [['id', 'DESC']], limit: 20, raw: true });
          foreign += rows.filter((row) => !row.name.startsWith(`${tenant.slug} `)).length;
        } finally {
          const current = holders.get(sequelize)!;
          if (--current.leases === 0) holders.delete(sequelize);
        }
      });
      written.set(tenant.slug, (written.get(tenant.slug) ?? 0) + 1);
    },
    { concurrency: 4 },
  );
  const reusedInstances = [...servedBy.values()].filter((slugs) => slugs.size > 1).length;
  return { foreign, shared, written, reusedInstances };
}

async function expectOwnRowsOnly(t: TestTenancy, tenants: readonly TenantRecord[], written: Map<string, number>): Promise<void> {
  for (const tenant of tenants) {
    const names = await t.connections.withTenant(tenant, async ({ models }) =>
      (await models.Customer.findAll({ attributes: ['name'], raw: true })).map((c) => c.name),
    );
    expect(names.length).toBe(written.get(tenant.slug) ?? 0);
    expect(names.filter((name) => !name.startsWith(`${tenant.slug} `))).toEqual([]);
  }
}

// Issue 16.4: a PostgreSQL tenant's handle reuses a closed handle's Sequelize instance and models
// (tenant-instances.ts). Two tenants' writes must never land in one database, whatever the order.
describe.runIf(postgres)('PostgreSQL tenant handles on reused instances', () => {
  let t: TestTenancy;
  let tenants: TenantRecord[] = [];

  beforeAll(async () => {
    t = await createTestTenancy({
      engine: 'postgres',
      config: { maxOpenTenants: 2, spareTenantInstances: 2, dbConnectTimeoutMs: 30_000 },
    });
    tenants = await createTenants(t, 'reuse');
  }, 300_000);

  afterAll(async () => {
    await t?.cleanup();
  }, 120_000);

  it('600 interleaved units of 6 tenants through a cache of 2: instances reused, never two tenants at once, 0 foreign rows', async () => {
    const { foreign, shared, written, reusedInstances } = await interleave(t, tenants, 600);
    expect(foreign).toBe(0);
    expect(shared).toBe(0);
    // Forced reuse: the instances went from tenant to tenant (only a few were ever made).
    expect(reusedInstances).toBeGreaterThan(0);
    expect(t.connections.stats().misses).toBeGreaterThan(100);
    await expectOwnRowsOnly(t, tenants, written);
  }, 300_000);

  // One AsyncLocalStorage serves every instance (one per instance slowed every promise of a process
  // with many warm tenants): an instance still finds its own scope inside another instance's.
  it("finds each tenant's scope when one tenant's unit runs inside another's", async () => {
    const [a, b] = tenants as [TenantRecord, TenantRecord];
    const counts = await t.connections.withTenant(a, async (ha) => {
      await ha.models.Customer.create({ name: `${a.slug} outer` });
      return t.connections.withTenant(b, async (hb) => {
        expect(hb.sequelize).not.toBe(ha.sequelize);
        await hb.models.Customer.create({ name: `${b.slug} inner` });
        const own = async (h: typeof ha, slug: string) =>
          (await h.models.Customer.findAll({ attributes: ['name'], raw: true })).filter((c) => !c.name.startsWith(`${slug} `)).length;
        // A's models inside B's scope still query A's database, and B's query B's.
        return { aForeign: await own(ha, a.slug), bForeign: await own(hb, b.slug), aRows: await ha.models.Customer.count() };
      });
    });
    expect(counts.aForeign).toBe(0);
    expect(counts.bForeign).toBe(0);
    expect(counts.aRows).toBeGreaterThan(0);
  });

  it("refuses a closed handle's models and scope once its instance serves another tenant, and closed its connections", async () => {
    const [a, b] = tenants as [TenantRecord, TenantRecord];
    await t.connections.closeAll({ graceMs: 1000 }).catch(() => undefined);
    const served = await createTestTenancy({
      engine: 'postgres',
      dataDir: t.dataDir,
      secretKey: t.config.secretKey,
      config: { maxOpenTenants: 1, spareTenantInstances: 1 },
    });
    try {
      const late: Promise<unknown>[] = [];
      let goLate: () => void = () => undefined;
      const lateGate = new Promise<void>((resolve) => {
        goLate = resolve;
      });
      const stale = await served.connections.withTenant(a, async (handle) => {
        await handle.models.Customer.create({ name: `${a.slug} before` });
        // Forgotten work of A's request (continued in A's scope): it runs once B holds the instance.
        late.push(lateGate.then(() => handle.models.Customer.create({ name: `${a.slug} late` })));
        return handle;
      });
      await served.connections.evict(a.id);
      expect(await postgresBackends(a.db.name)).toBe(0);
      const beforeB = await served.connections.withTenant(b, async (handle) => {
        // The instance (and its model classes) of A's closed handle now serves B.
        expect(handle.sequelize).toBe(stale.sequelize);
        expect(handle.models.Customer).toBe(stale.models.Customer);
        return handle.models.Customer.count();
      });
      const lease = await served.connections.acquire(b);
      try {
        // A's stale references, B's handle open on the same instance meanwhile:
        await expect(stale.models.Customer.count()).rejects.toBeInstanceOf(StaleTenantHandle);
        await expect(stale.sequelize.query('SELECT 1')).rejects.toBeInstanceOf(StaleTenantHandle);
        await expect(stale.run(() => stale.models.Customer.count())).rejects.toBeInstanceOf(StaleTenantHandle);
        goLate();
        const [outcome] = await Promise.allSettled(late);
        expect(outcome?.status).toBe('rejected');
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(StaleTenantHandle);
        // B's own handle works — inside its scope only.
        await expect(lease.handle.models.Customer.count()).rejects.toBeInstanceOf(StaleTenantHandle);
        expect(await lease.handle.run(() => lease.handle.models.Customer.count())).toBe(beforeB);
      } finally {
        lease.release();
      }
      const aNames = await served.connections.withTenant(a, async ({ models }) =>
        (await models.Customer.findAll({ attributes: ['name'], raw: true })).map((c) => c.name),
      );
      expect(aNames).toContain(`${a.slug} before`);
      expect(aNames).not.toContain(`${a.slug} late`);
      const bNames = await served.connections.withTenant(b, async ({ models }) =>
        (await models.Customer.findAll({ attributes: ['name'], raw: true })).map((c) => c.name),
      );
      expect(bNames.filter((name) => name.startsWith(`${a.slug} `))).toEqual([]);
    } finally {
      await served.close();
    }
  }, 120_000);

  // The same tenants served through PgBouncer in transaction mode (the set-up of benchmark 3b).
  it.runIf(!bouncerSkip)(
    'through PgBouncer: 600 interleaved units through a cache of 2, instances reused, 0 foreign rows',
    async () => {
      const bouncer: PgBouncer = await startPgBouncer({ poolSize: 2 });
      const served = await createTestTenancy({
        engine: 'postgres',
        dataDir: t.dataDir,
        secretKey: t.config.secretKey,
        config: { tenantPoolerUrl: bouncer.url, maxOpenTenants: 2, spareTenantInstances: 2, dbConnectTimeoutMs: 30_000 },
      });
      try {
        const before = new Map<string, number>();
        for (const tenant of tenants)
          before.set(tenant.slug, await served.connections.withTenant(tenant, ({ models }) => models.Customer.count()));
        const { foreign, shared, written, reusedInstances } = await interleave(served, tenants, 600).catch((err: unknown) => {
          throw new Error(`${(err as Error).message}\n--- PgBouncer ---\n${bouncer.log().slice(-1500)}`);
        });
        expect(foreign).toBe(0);
        expect(shared).toBe(0);
        expect(reusedInstances).toBeGreaterThan(0);
        for (const [slug, n] of written) written.set(slug, n + (before.get(slug) ?? 0));
        await expectOwnRowsOnly(served, tenants, written);
      } finally {
        await served.close();
        await bouncer.stop();
      }
    },
    300_000,
  );
});
