import { randomBytes } from 'node:crypto';
import pMap from 'p-map';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import type { TenantRecord } from './registry/records';
import {
  createSchemaTenants,
  createTestTenancy,
  type PgBouncer,
  pgbouncerSkipReason,
  postgresBackends,
  startPgBouncer,
  type TestTenancy,
} from './testing/index';

const postgres = (await testDialects()).includes('postgres');
const bouncerSkip = pgbouncerSkipReason();
if (postgres && bouncerSkip) console.warn(`[salesfleet tests] ${bouncerSkip}`);

const TENANTS = 50;

/**
 * Interleaved units of work of many schema tenants over one small shared pool: each writes a row
 * named after its tenant and reads a page of its tenant's rows back. Returns the foreign rows seen
 * (another tenant's name in a tenant's answer) and the rows written per tenant.
 */
async function interleave(
  t: TestTenancy,
  tenants: readonly TenantRecord[],
  units: number,
): Promise<{ foreign: number; rowsSeen: number; written: Map<string, number> }> {
  let foreign = 0;
  let rowsSeen = 0;
  const written = new Map<string, number>();
  await pMap(
    Array.from({ length: units }, (_, n) => n),
    async (n) => {
      // A scrambled order, so consecutive units on one pooled connection belong to different tenants.
      const tenant = tenants[(n * 7919) % tenants.length]!;
      await t.connections.withTenant(tenant, async ({ models }) => {
        await models.Customer.create({ name: `${tenant.slug} #${n}` });
        const rows = await models.Customer.findAll({ attributes: ['name'], order: [['id', 'DESC']], limit: 20, raw: true });
        rowsSeen += rows.length;
        foreign += rows.filter((row) => !row.name.startsWith(`${tenant.slug} `)).length;
      });
      written.set(tenant.slug, (written.get(tenant.slug) ?? 0) + 1);
    },
    { concurrency: 16 },
  );
  return { foreign, rowsSeen, written };
}

// Issue 17: the isolation test of the other engines, for 50 schema tenants sharing one pool of 2.
describe.runIf(postgres)('postgres-schema isolation on one shared pool', () => {
  let t: TestTenancy;
  let tenants: TenantRecord[] = [];
  const shared = `sales_iso${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    // A short idle time: the shared pool closes a second after its last tenant handle, so the
    // PgBouncer test below can start from zero direct backends.
    t = await createTestTenancy({ engine: 'postgres', config: { schemaPoolMax: 2, maxOpenTenants: 100, tenantIdleMs: 1000 } });
    tenants = await createSchemaTenants(t, shared, TENANTS, 'iso');
  }, 600_000);

  afterAll(async () => {
    await t?.cleanup();
  }, 300_000);

  it('10,000 interleaved units of 50 tenants: 0 foreign rows, every write in its own schema, backends ≤ pool size', async () => {
    const { foreign, rowsSeen, written } = await interleave(t, tenants, 10_000);
    expect(rowsSeen).toBeGreaterThan(10_000);
    expect(foreign).toBe(0);
    // One pool for all 50: the server sees at most its 2 connections (not tenants × pool).
    expect(await postgresBackends(shared)).toBeLessThanOrEqual(2);
    for (const tenant of tenants) {
      const names = await t.connections.withTenant(tenant, async ({ models }) =>
        (await models.Customer.findAll({ attributes: ['name'], raw: true })).map((c) => c.name),
      );
      expect(names.length).toBe(written.get(tenant.slug) ?? 0);
      expect(names.filter((name) => !name.startsWith(`${tenant.slug} `))).toEqual([]);
    }
  }, 600_000);

  // The same 50 tenants served by a second process-like tenancy (the same registry) whose tenant
  // connections go through PgBouncer in transaction mode: each unit's transaction may get another
  // server connection, so only SET LOCAL inside it can carry the schema.
  it.runIf(!bouncerSkip)(
    'through PgBouncer in transaction mode: 10,000 interleaved units of 50 tenants over two server connections, 0 foreign rows',
    async () => {
      // Its direct pool closes a second after its handles: only the pooler's backends are counted below.
      await t.connections.closeAll({ graceMs: 1000 });
      for (let waited = 0; (await postgresBackends(shared)) > 0 && waited < 15_000; waited += 250)
        await new Promise((r) => setTimeout(r, 250));
      expect(await postgresBackends(shared)).toBe(0);
      const bouncer: PgBouncer = await startPgBouncer({ poolSize: 2 });
      const served = await createTestTenancy({
        engine: 'postgres',
        dataDir: t.dataDir,
        secretKey: t.config.secretKey,
        // A unit may wait its turn for one of the pooler's two server connections: a long acquire timeout.
        config: { tenantPoolerUrl: bouncer.url, schemaPoolMax: 8, maxOpenTenants: 100, dbConnectTimeoutMs: 120_000 },
      });
      try {
        const { foreign, rowsSeen } = await interleave(served, tenants, 10_000).catch((err: unknown) => {
          throw new Error(`${(err as Error).message}\n--- PgBouncer ---\n${bouncer.log().slice(-1500)}`);
        });
        expect(rowsSeen).toBeGreaterThan(10_000);
        expect(foreign).toBe(0);
        expect(await postgresBackends(shared)).toBeLessThanOrEqual(2);
      } finally {
        await served.connections.closeAll({ graceMs: 1000 });
        await served.close();
        await bouncer.stop();
      }
    },
    900_000,
  );
});
