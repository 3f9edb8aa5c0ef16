import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, testServerUrls, type TestDialect } from '@salesfleet/models/testing';
import {
  closeSequelize,
  driverFor,
  managedDatabaseName,
  openSequelize,
  parseDatabaseUrl,
  specToUrl,
  sqliteTenantPath,
  type DatabaseSpec,
} from '../drivers/index';
import { createTestTenancy, testSlug, type TestTenancy } from '../testing/index';
import { readArchive, type RowValue } from './archive';
import { backupTenant } from './backup';
import { deleteOldDatabase, moveTenant } from './move';

const dialects = await testDialects();
const actor = 'test:move';

function toOf(engine: TestDialect) {
  return engine === 'sqlite' ? { engine: 'sqlite' } : { url: specToUrl({ ...parseDatabaseUrl(testServerUrls[engine]), database: '' }) };
}

async function rowsOf(file: string): Promise<Map<string, RowValue[][]>> {
  const out = new Map<string, RowValue[][]>();
  const families = new Map<string, string[]>();
  for await (const e of readArchive(file)) {
    if (e.kind === 'table') {
      out.set(e.table.name, []);
      families.set(
        e.table.name,
        e.table.columns.map((c) => c.family),
      );
    }
    // Compared at whole seconds: a move into MySQL keeps DATETIME to the second.
    if (e.kind === 'row')
      out
        .get(e.table.name)!
        .push(e.row.map((v, i) => (families.get(e.table.name)![i] === 'datetime' && typeof v === 'string' ? v.slice(0, 19) : v)));
  }
  return out;
}

async function exists(t: TestTenancy, spec: DatabaseSpec): Promise<boolean> {
  return driverFor(spec.engine).exists(spec, { dataDir: t.dataDir, connectTimeoutMs: 5000 });
}

// Each source engine moves to the next one (sqlite → postgres → mysql → sqlite), so every engine is
// a source and a target once.
describe.each(dialects)('moving a %s tenant', (engine) => {
  const target = dialects[(dialects.indexOf(engine) + 1) % dialects.length]!;
  let t: TestTenancy;

  beforeAll(async () => {
    t = await createTestTenancy({ engine });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  async function tenantWithData(prefix: string) {
    const slug = testSlug(prefix);
    await t.provisioner.createTenant({ name: 'Moving Co', subdomain: slug, adminEmail: 'owner@moving.test', demoData: true }, { actor });
    return slug;
  }

  it(`to ${target}: maintenance during the copy, every row equal after, the old database kept until delete-old-database`, async () => {
    const slug = await tenantWithData('mv');
    const before = await backupTenant(t, slug, { actor });
    const oldSpec = t.registry.databaseSpecOf(await t.registry.getTenant(slug));
    const seen: Record<string, unknown> = {};
    const result = await moveTenant(t, slug, {
      actor,
      to: toOf(target),
      drainMs: 200,
      onStep: async (step) => {
        if (step === 'copy') seen.copy = await t.router.resolveHost(`${slug}.localhost`);
      },
    });
    expect(seen.copy).toMatchObject({ kind: 'unavailable', reason: 'maintenance' });
    const tenant = await t.registry.getTenant(slug);
    expect(tenant.status).toBe('active');
    expect(tenant.db.engine).toBe(target);
    expect(result.oldDatabase).not.toBeNull();
    expect(await t.router.resolveHost(`${slug}.localhost`)).toMatchObject({ kind: 'tenant' });

    const after = await backupTenant(t, slug, { actor });
    expect(await rowsOf(after.file)).toEqual(await rowsOf(before.file));
    // It serves from the new database: a write lands there, not in the old one.
    await t.connections.withTenant(tenant, ({ models }) => models.Customer.create({ name: 'After the move' }));
    const old = openSequelize(oldSpec, { dataDir: t.dataDir });
    try {
      const [rows] = await old.query("SELECT COUNT(*) AS n FROM customers WHERE name = 'After the move'");
      expect(Number((rows as { n: number }[])[0]!.n)).toBe(0);
    } finally {
      await closeSequelize(old);
    }
    expect(await exists(t, oldSpec)).toBe(true);
    await expect(moveTenant(t, slug, { actor, to: toOf(engine) })).rejects.toMatchObject({ code: 'Conflict' });
    expect(await deleteOldDatabase(t, slug, { actor })).toMatchObject({ dropped: true });
    expect(await exists(t, oldSpec)).toBe(false);
  });

  it('a failure leaves the tenant active on its old database, and the target is removed', async () => {
    const slug = await tenantWithData('mf');
    const before = await t.registry.getTenant(slug);
    const oldSpec = t.registry.databaseSpecOf(before);
    await expect(
      moveTenant(t, slug, {
        actor,
        to: toOf(target),
        drainMs: 200,
        onStep: (step) => {
          if (step === 'switch') throw new Error('injected failure before the switch');
        },
      }),
    ).rejects.toThrow(/injected failure/);
    const tenant = await t.registry.getTenant(slug);
    expect(tenant.status).toBe('active');
    expect(t.registry.databaseSpecOf(tenant)).toEqual(oldSpec);
    expect(existsSync(join(t.dataDir, 'moves', `${slug}.json`))).toBe(false);
    const targetSpec: DatabaseSpec =
      target === 'sqlite'
        ? { engine: 'sqlite', database: sqliteTenantPath(slug), host: null, port: null, user: null, password: null }
        : { ...parseDatabaseUrl(testServerUrls[target]), database: managedDatabaseName(slug) };
    expect(await exists(t, targetSpec)).toBe(false);
    await t.connections.withTenant(tenant, async ({ models }) => expect(await models.Invoice.count()).toBeGreaterThan(0));
    const failed = (await t.operations.list({ tenant: slug, action: 'move-tenant' })).find(
      (o) => o.outcome === 'failed' && o.step === null,
    );
    expect(failed?.error).toMatch(/injected failure/);
  });

  it('a write that reaches the old database during the move stops the switch, and nothing is lost', async () => {
    const slug = await tenantWithData('mw');
    const oldSpec = t.registry.databaseSpecOf(await t.registry.getTenant(slug));
    await expect(
      moveTenant(t, slug, {
        actor,
        to: toOf(target),
        drainMs: 200,
        onStep: async (step) => {
          if (step !== 'verify') return;
          // A process that never heard of the maintenance writes straight into the old database.
          const rogue = openSequelize(oldSpec, { dataDir: t.dataDir });
          try {
            await rogue.query("UPDATE customers SET name = 'Written during the move' WHERE id = 1");
          } finally {
            await closeSequelize(rogue);
          }
        },
      }),
    ).rejects.toMatchObject({ code: 'Conflict' });
    const tenant = await t.registry.getTenant(slug);
    expect(tenant.status).toBe('active');
    expect(t.registry.databaseSpecOf(tenant)).toEqual(oldSpec);
    await t.connections.withTenant(tenant, async ({ models }) =>
      expect((await models.Customer.findByPk(1))?.name).toBe('Written during the move'),
    );
  });
});
