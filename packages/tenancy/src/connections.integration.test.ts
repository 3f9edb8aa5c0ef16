import { copyFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTenantModels } from '@salesfleet/models';
import { TenantConnections, type OpenedTenant } from './connections';
import { openSequelize } from './drivers/index';
import type { TenantRecord } from './registry/records';
import { createTestTenancy, testSlug, type TestTenancy } from './testing/index';

let t: TestTenancy;
let template: TenantRecord;

/** Registers a tenant whose SQLite file is a copy of an already provisioned one (fast). */
async function cloneTenant(slug = testSlug()): Promise<TenantRecord> {
  copyFileSync(join(t.dataDir, template.db.name), join(t.dataDir, `tenants/${slug}.sqlite`));
  const row = await t.registry.insertTenant({
    slug,
    name: slug,
    adminEmail: template.adminEmail,
    status: 'active',
    maxUsers: 5,
    multiLocation: false,
    trialEndsAt: null,
    paidUntil: null,
    db: { ...template.db, name: `tenants/${slug}.sqlite` },
  });
  return row;
}

/** A TenantConnections over real SQLite files that records every open and close. */
function instrumented(maxOpen: number, extra: { slotWaitMs?: number; idleMs?: number } = {}) {
  const events: string[] = [];
  const connections = new TenantConnections({
    maxOpen,
    idleMs: extra.idleMs ?? 60_000,
    slotWaitMs: extra.slotWaitMs,
    open: async (tenant) => {
      events.push(`open ${tenant.slug}`);
      const sequelize = openSequelize(t.registry.databaseSpecOf(tenant), { dataDir: t.dataDir, tenant: true });
      await sequelize.authenticate();
      return { sequelize, models: defineTenantModels(sequelize) };
    },
    close: async (opened: OpenedTenant) => {
      await opened.sequelize.close();
      events.push(`close ${(opened as unknown as { tenant: TenantRecord }).tenant.slug}`);
    },
  });
  return { connections, events };
}

beforeAll(async () => {
  t = await createTestTenancy({ config: { maxOpenTenants: 20, dbConnectTimeoutMs: 1500 } });
  const created = await t.provisioner.createTenant(
    { name: 'Template', subdomain: testSlug(), adminEmail: 'owner@example.com' },
    { actor: 'test' },
  );
  template = created.tenant;
});
afterAll(async () => {
  await t.cleanup();
});

describe('TenantConnections', () => {
  it('never holds more than maxOpen handles while 200 tenants are used in turn, and never mixes them up', async () => {
    const tenants: TenantRecord[] = [];
    for (let i = 0; i < 199; i++) tenants.push(await cloneTenant());
    tenants.push(template);
    const { connections } = t;
    expect(connections.maxOpen).toBe(20);
    const check = () => {
      const s = connections.stats();
      expect(s.open + s.opening).toBeLessThanOrEqual(20);
    };
    // First pass writes each tenant's own slug into its database…
    for (const tenant of tenants) {
      await connections.withTenant(tenant, async ({ models, tenant: current }) => {
        check();
        expect(current.id).toBe(tenant.id);
        await models.Location.update({ name: tenant.slug }, { where: {} });
      });
      check();
    }
    // …the second pass (every handle evicted and reopened since) reads it back, several at a time.
    for (let i = 0; i < tenants.length; i += 10) {
      await Promise.all(
        tenants.slice(i, i + 10).map((tenant) =>
          connections.withTenant(tenant, async ({ models }) => {
            check();
            const names = (await models.Location.findAll({ attributes: ['name'], raw: true })).map((l) => l.name);
            expect(names).toEqual([tenant.slug]);
          }),
        ),
      );
      check();
    }
    const stats = connections.stats();
    expect(stats.misses).toBeGreaterThanOrEqual(400);
    expect(stats.evictions).toBeGreaterThanOrEqual(380);
    expect(stats.open).toBeLessThanOrEqual(20);
  });

  it('closes an evicted handle only after its in-flight work ends', async () => {
    const a = await cloneTenant();
    const b = await cloneTenant();
    const { connections, events } = instrumented(1, { slotWaitMs: 10_000 });
    const lease = await connections.acquire(a);
    // b needs the only slot; a is busy, so b waits…
    const waiting = connections.withTenant(b, ({ models }) => models.User.count());
    await new Promise((r) => setTimeout(r, 50));
    expect(connections.stats()).toMatchObject({ open: 1, waiting: 1 });
    // …and a's in-flight work still runs on its open handle.
    expect(await lease.handle.models.User.count()).toBe(1);
    expect(events).toEqual([`open ${a.slug}`]);
    lease.release();
    expect(await waiting).toBe(1);
    expect(events).toEqual([`open ${a.slug}`, `close ${a.slug}`, `open ${b.slug}`]);
    lease.release(); // a second release is ignored
    await connections.closeAll();
    expect(events.at(-1)).toBe(`close ${b.slug}`);
  });

  it('keeps an invalidated handle usable by its current lease, then closes it', async () => {
    const a = await cloneTenant();
    const { connections, events } = instrumented(5);
    const lease = await connections.acquire(a);
    connections.invalidate(a.slug);
    expect(connections.has(a.slug)).toBe(false);
    expect(await lease.handle.models.User.count()).toBe(1);
    expect(events).toEqual([`open ${a.slug}`]);
    lease.release();
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([`open ${a.slug}`, `close ${a.slug}`]);
    // the next acquire opens a fresh handle
    await connections.withTenant(a, () => undefined);
    expect(events.filter((e) => e.startsWith('open')).length).toBe(2);
    await connections.closeAll();
  });

  it('opens a cold tenant once for concurrent first requests', async () => {
    const a = await cloneTenant();
    const { connections, events } = instrumented(5);
    const handles = await Promise.all(Array.from({ length: 10 }, () => connections.withTenant(a, (h) => h)));
    expect(new Set(handles).size).toBe(1);
    expect(events).toEqual([`open ${a.slug}`]);
    expect(connections.stats()).toMatchObject({ misses: 10, open: 1 });
    await connections.withTenant(a, () => undefined);
    expect(connections.stats().hits).toBe(1);
    await connections.closeAll();
  });

  it('reopens when a newer record moves the database, refreshes the record otherwise', async () => {
    const a = await cloneTenant();
    const { connections, events } = instrumented(5);
    const first = await connections.withTenant(a, (h) => h);
    const renamed = { ...a, name: 'Renamed', version: a.version + 1 };
    const second = await connections.withTenant(renamed, (h) => h);
    expect(second).toBe(first);
    expect(second.tenant.name).toBe('Renamed');
    expect(second.version).toBe(a.version + 1);
    // an older record (a stale router cache) does not go back
    await connections.withTenant(a, (h) => expect(h.tenant.name).toBe('Renamed'));

    const moved = `tenants/${testSlug()}.sqlite`;
    copyFileSync(join(t.dataDir, a.db.name), join(t.dataDir, moved));
    const relocated = { ...renamed, db: { ...a.db, name: moved }, version: a.version + 2 };
    const third = await connections.withTenant(relocated, (h) => h);
    expect(third).not.toBe(first);
    expect(events.filter((e) => e.startsWith('open')).length).toBe(2);
    await connections.closeAll();
  });

  it('gives each tenant its own model classes', async () => {
    const a = await cloneTenant();
    const b = await cloneTenant();
    await t.connections.withTenant(a, async (ha) => {
      await t.connections.withTenant(b, async (hb) => {
        expect(ha.models.User).not.toBe(hb.models.User);
        expect(ha.models.User.sequelize).toBe(ha.sequelize);
        expect(hb.models.User.sequelize).toBe(hb.sequelize);
        await ha.models.Customer.create({ name: 'Only in A' } as never);
        expect(await hb.models.Customer.count({ where: { name: 'Only in A' } })).toBe(0);
        expect(await ha.models.Customer.count({ where: { name: 'Only in A' } })).toBe(1);
      });
    });
  });

  it('fails fast for a missing SQLite file without creating it', async () => {
    const ghost = await cloneTenant();
    const path = join(t.dataDir, ghost.db.name);
    const { rmSync } = await import('node:fs');
    rmSync(path);
    await expect(t.connections.withTenant(ghost, () => undefined)).rejects.toMatchObject({ code: 'DatabaseUnreachable' });
    expect(existsSync(path)).toBe(false);
  });

  it('fails a SQLite file that is not a database when its handle opens (no query needed to find out)', async () => {
    const broken = await cloneTenant();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(t.dataDir, broken.db.name), 'this is not an SQLite database, just text long enough to have a header');
    await expect(t.connections.withTenant(broken, () => undefined)).rejects.toMatchObject({ code: 'DatabaseUnreachable' });
  });

  it('opens a handle connected, with foreign keys on and the session models already defined', async () => {
    const tenant = await cloneTenant();
    await t.connections.withTenant(tenant, async ({ sequelize, models }) => {
      expect(Object.keys(sequelize.models)).toEqual(expect.arrayContaining(['Session', 'User']));
      expect(Object.keys(sequelize.models)).not.toContain('Invoice');
      const [row] = (await sequelize.query('PRAGMA foreign_keys', { type: 'SELECT' })) as Array<{ foreign_keys: number }>;
      expect(row?.foreign_keys).toBe(1);
      // A session pointing at no user is refused by the foreign key.
      await expect(
        models.Session.create({ tokenHash: 'x'.repeat(64), userId: 999_999, expiresAt: new Date(Date.now() + 60_000) }),
      ).rejects.toMatchObject({ name: 'SequelizeForeignKeyConstraintError' });
    });
  });

  it('fails a dead database server within the connect timeout while other tenants keep working', async () => {
    // A server that accepts connections and never answers: the worst kind of dead.
    const sockets: import('node:net').Socket[] = [];
    const server: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const dead = await t.registry.insertTenant({
      slug: testSlug(),
      name: 'Dead',
      adminEmail: 'a@b.co',
      status: 'active',
      maxUsers: 5,
      multiLocation: false,
      trialEndsAt: null,
      paidUntil: null,
      db: {
        engine: 'postgres',
        host: '127.0.0.1',
        port,
        name: 'nothing',
        user: 'nobody',
        passwordEncrypted: t.registry.sealPassword('Secret-Dead-Pw'),
        managed: false,
      },
    });
    const alive = await cloneTenant();
    const order: string[] = [];
    const deadAttempt = t.connections
      .withTenant(dead, () => undefined)
      .then(
        () => order.push('dead ok'),
        (err: Error & { code?: string }) => {
          order.push(`dead ${err.code}`);
          expect(err.message).not.toContain('Secret-Dead-Pw');
        },
      );
    await t.connections.withTenant(alive, ({ models }) => models.User.count()).then(() => order.push('alive ok'));
    await deadAttempt;
    expect(order).toEqual(['alive ok', 'dead DatabaseUnreachable']);
    for (const s of sockets) s.destroy();
    server.close();
  });

  it('refuses to wait forever for a slot', async () => {
    const a = await cloneTenant();
    const b = await cloneTenant();
    const { connections } = instrumented(1, { slotWaitMs: 200 });
    const lease = await connections.acquire(a);
    await expect(connections.acquire(b)).rejects.toMatchObject({ code: 'ConnectionBudgetExhausted' });
    lease.release();
    await connections.withTenant(b, () => undefined);
    await connections.closeAll();
  });

  it('closes idle handles', async () => {
    const a = await cloneTenant();
    const { connections, events } = instrumented(5, { idleMs: 1000 });
    await connections.withTenant(a, () => undefined);
    expect(connections.sweepIdle(Date.now())).toBe(0);
    expect(connections.sweepIdle(Date.now() + 1000)).toBe(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([`open ${a.slug}`, `close ${a.slug}`]);
    expect(connections.stats().open).toBe(0);
    await connections.closeAll();
  });

  it('drops a handle when the registry changes its tenant', async () => {
    const a = await cloneTenant();
    await t.connections.withTenant(a, () => undefined);
    expect(t.connections.has(a.id)).toBe(true);
    await t.provisioner.suspendTenant(a.slug, { actor: 'test', reason: 'testing' });
    expect(t.connections.has(a.id)).toBe(false);
  });
});
