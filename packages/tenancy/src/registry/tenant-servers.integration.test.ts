import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '@salesfleet/models/testing';
import { ConfigError } from '@salesfleet/contracts';
import { loadConfig } from '../config';
import { moveTenant } from '../data-safety/move';
import { createTestTenancy, testSlug, type TestTenancy } from '../testing/index';
import { parseTenantServers } from './tenant-servers';

const dialects = await testDialects();
const actor = 'test:placement';
const PASSWORD = 'placement-secret-pw';

describe('SALESFLEET_TENANT_SERVERS', () => {
  it('parses name:capacity=url entries and names the variable when one is wrong', () => {
    expect(parseTenantServers('pg-a:10=postgres://u:p@db1:5432/postgres , my-b:5=mysql://root@db2')).toEqual([
      { name: 'pg-a', capacity: 10, url: 'postgres://u:p@db1:5432/postgres' },
      { name: 'my-b', capacity: 5, url: 'mysql://root@db2' },
    ]);
    expect(parseTenantServers('')).toEqual([]);
    const bad = (value: string) => () =>
      loadConfig({ SALESFLEET_DATA_DIR: '/tmp/sf-config-x', SALESFLEET_SECRET_KEY: 'k'.repeat(40), SALESFLEET_TENANT_SERVERS: value });
    expect(bad('pg-a=postgres://db1')).toThrow(ConfigError);
    expect(bad('pg-a:0=postgres://db1')).toThrow(/SALESFLEET_TENANT_SERVERS/);
    expect(bad('pg-a:3=sqlite:x.sqlite')).toThrow(/SALESFLEET_TENANT_SERVERS/);
    expect(bad(`pg-a:3=postgres://u:${PASSWORD}@db1 pg-a:4=postgres://db2`)).toThrow(/listed twice/);
    try {
      bad(`Bad_Name:3=postgres://u:${PASSWORD}@db1`)();
    } catch (err) {
      expect(String((err as Error).message)).not.toContain(PASSWORD);
    }
  });
});

describe.skipIf(!dialects.includes('postgres'))('placement on tenant servers (two PostgreSQL databases stand in for two servers)', () => {
  let t: TestTenancy;
  let a: TestDatabase;
  let b: TestDatabase;
  const withPassword = (url: string) => {
    const u = new URL(url);
    u.password = PASSWORD; // the test server trusts local connections: the password is only carried
    return u.toString();
  };

  beforeAll(async () => {
    a = await createTestDatabase('postgres');
    b = await createTestDatabase('postgres');
    t = await createTestTenancy({ config: { tenantServers: [{ name: 'pg-a', capacity: 1, url: withPassword(a.url) }] } });
  });
  afterAll(async () => {
    await t?.cleanup();
    await a?.drop();
    await b?.drop();
  });

  const create = (slug: string) =>
    t.provisioner.createTenant(
      { name: slug, subdomain: slug, adminEmail: 'a@placement.test', database: { engine: 'postgres' } },
      { actor },
    );

  it('registers servers from the environment and the CLI/API path, never returning or logging the password', async () => {
    await t.provisioner.addTenantServer({ name: 'pg-b', url: withPassword(b.url), capacity: 1 }, { actor });
    const servers = await t.provisioner.listTenantServers();
    expect(servers.map((s) => [s.name, s.engine, s.capacity, s.state, s.tenantCount, s.passwordSet])).toEqual([
      ['pg-a', 'postgres', 1, 'open', 0, true],
      ['pg-b', 'postgres', 1, 'open', 0, true],
    ]);
    expect(servers[0]!.maintenanceDatabase).toBe(a.name);
    expect(JSON.stringify(servers)).not.toContain(PASSWORD);
    const ops = await t.operations.list({ action: 'add-tenant-server' });
    expect(ops.length).toBeGreaterThan(0);
    expect(JSON.stringify(ops)).not.toContain(PASSWORD);
    await expect(t.provisioner.addTenantServer({ name: 'pg-b', url: b.url, capacity: 1 }, { actor })).rejects.toMatchObject({
      code: 'Conflict',
    });
    await expect(t.provisioner.addTenantServer({ name: 'bad', url: 'sqlite:x.sqlite', capacity: 1 }, { actor })).rejects.toMatchObject({
      code: 'ValidationFailed',
    });
    // Opening the registry again (another process) seeds nothing twice.
    expect(await t.registry.servers.seed(t.config.tenantServers)).toEqual([]);
  });

  it('three creations at once on two servers of capacity 1: one on each, the third refused (never overfilled)', async () => {
    const slugs = [testSlug('pl'), testSlug('pl'), testSlug('pl')];
    const outcomes = await Promise.allSettled(slugs.map(create));
    const won = outcomes.flatMap((o) => (o.status === 'fulfilled' && 'tenant' in o.value ? [o.value.tenant] : []));
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won, JSON.stringify(lost.map((l) => String(l.reason)))).toHaveLength(2);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toMatchObject({ code: 'LimitReached' });
    const servers = await t.registry.servers.list();
    expect(servers.map((s) => s.tenantCount)).toEqual([1, 1]);
    expect(new Set(won.map((w) => w.serverId))).toEqual(new Set(servers.map((s) => s.id)));
    const onA = await t.registry.listTenants({ server: 'pg-a' });
    expect(onA).toHaveLength(1);
    expect(onA[0]!.serverId).toBe(servers[0]!.id);
    // The tenant is served from its database on the server it was placed on.
    const tenant = onA[0]!;
    expect(await t.connections.withTenant(tenant, ({ models }) => models.User.count())).toBe(1);
  });

  it('goes to the least-loaded open server; draining and full servers take none; a server with tenants is not removed', async () => {
    await t.provisioner.updateTenantServer('pg-a', { capacity: 10 }, { actor });
    await t.provisioner.updateTenantServer('pg-b', { capacity: 2 }, { actor });
    // pg-a 1/10 is less loaded than pg-b 1/2.
    const first = await create(testSlug('pl'));
    expect('tenant' in first && first.tenant.serverId).toBe((await t.registry.servers.get('pg-a')).id);
    await t.provisioner.updateTenantServer('pg-a', { state: 'draining' }, { actor });
    const second = await create(testSlug('pl'));
    expect('tenant' in second && second.tenant.serverId).toBe((await t.registry.servers.get('pg-b')).id);
    await t.provisioner.updateTenantServer('pg-b', { state: 'full' }, { actor });
    await expect(create(testSlug('pl'))).rejects.toMatchObject({ code: 'LimitReached' });
    await expect(t.provisioner.removeTenantServer('pg-b', { actor })).rejects.toMatchObject({ code: 'Conflict' });
    await t.provisioner.updateTenantServer('pg-a', { state: 'open' }, { actor });
    await t.provisioner.updateTenantServer('pg-b', { state: 'open', capacity: 10 }, { actor });
  });

  it('move-tenant --to-server moves the data and records the new server', async () => {
    const [onA] = await t.registry.listTenants({ server: 'pg-a' });
    const serverB = await t.registry.servers.get('pg-b');
    const moved = await moveTenant(t, onA!.slug, { actor, to: {}, toServer: 'pg-b', drainMs: 500 });
    expect(moved.tenant.serverId).toBe(serverB.id);
    expect((await t.registry.servers.get('pg-b')).tenantCount).toBe(serverB.tenantCount + 1);
    expect(await t.connections.withTenant(moved.tenant, ({ models }) => models.User.count())).toBe(1);
    await t.provisioner.updateTenantServer('pg-a', { state: 'draining' }, { actor });
    const [other] = await t.registry.listTenants({ server: 'pg-b' });
    await expect(moveTenant(t, other!.slug, { actor, to: {}, toServer: 'pg-a' })).rejects.toMatchObject({ code: 'Conflict' });
  });
});
