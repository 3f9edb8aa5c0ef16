import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import { createTestTenancy, testSlug, type TestTenancy } from '../testing/index';
import type { TenantRecord } from './records';
import { openRegistryReader } from './reader';
import { tenantServerOf } from './registry';
import { TENANT_COLUMNS } from './tenant-list';
import type { Engine, TenantStatus } from '@salesfleet/contracts';

const dialects = await testDialects();

describe.each(dialects)('the tenants list on a %s registry', (dialect) => {
  let t: TestTenancy;
  // A prefix shared by this file's tenants only, so the search below cannot match another test's rows.
  const tag = testSlug('ls');
  const made: TenantRecord[] = [];

  async function add(n: number, name: string, status: TenantStatus, engine: Engine, host: string | null, port: number | null) {
    const tenant = await t.registry.insertTenant({
      slug: `${tag}-${n}`,
      name,
      adminEmail: `owner${n}@${n % 2 ? 'north' : 'south'}.example.com`,
      status,
      maxUsers: 10,
      multiLocation: false,
      trialEndsAt: null,
      paidUntil: null,
      db: { engine, host, port, name: `${tag}_${n}`, user: null, passwordEncrypted: null, managed: true },
    });
    made.push(tenant);
    return tenant;
  }

  beforeAll(async () => {
    t = await createTestTenancy({ registryEngine: dialect });
    await add(1, 'Zeta Foods', 'active', 'postgres', 'db1.internal', 5432);
    await add(2, 'alpha 50%_off', 'suspended', 'mysql', 'db2.internal', 3306);
    await add(3, 'Beta Books', 'active', 'sqlite', null, null);
    await add(4, 'Gamma Garden', 'failed', 'postgres', 'db2.internal', 5433);
    await add(5, 'Delta Dairy', 'active', 'postgres', 'db1.internal', 5432);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const slugs = (tenants: readonly TenantRecord[]) => tenants.map((x) => x.slug.slice(tag.length + 1));

  it('pages with a total, searches slug, name and email case-insensitively (wildcards are plain characters)', async () => {
    const first = await t.registry.pageTenants({ q: tag, sort: 'slug', limit: 2 });
    expect(first.total).toBe(5);
    expect(slugs(first.tenants)).toEqual(['1', '2']);
    const last = await t.registry.pageTenants({ q: tag, sort: 'slug', limit: 2, offset: 4 });
    expect(slugs(last.tenants)).toEqual(['5']);
    expect((await t.registry.pageTenants({ q: `${tag}-3` })).total).toBe(1);
    const byName = await t.registry.pageTenants({ q: 'DAIRY' });
    expect(slugs(byName.tenants.filter((x) => x.slug.startsWith(tag)))).toEqual(['5']);
    // `%` and `_` match themselves, not any character.
    const literal = await t.registry.pageTenants({ q: '50%_off' });
    expect(slugs(literal.tenants)).toEqual(['2']);
    expect((await t.registry.pageTenants({ q: '5%0' })).total).toBe(0);
    const byEmail = await t.registry.listTenants({ q: `@north.example.com` });
    expect(slugs(byEmail.filter((x) => x.slug.startsWith(tag)))).toEqual(['1', '3', '5']);
  });

  it('filters by status, engine and server', async () => {
    const mine = (tenants: readonly TenantRecord[]) => slugs(tenants.filter((x) => x.slug.startsWith(tag)));
    expect(mine(await t.registry.listTenants({ status: 'active' }))).toEqual(['1', '3', '5']);
    expect(mine(await t.registry.listTenants({ status: ['suspended', 'failed'] }))).toEqual(['2', '4']);
    expect(mine(await t.registry.listTenants({ engine: 'postgres' }))).toEqual(['1', '4', '5']);
    expect(mine(await t.registry.listTenants({ server: 'db1.internal:5432' }))).toEqual(['1', '5']);
    expect(mine(await t.registry.listTenants({ server: 'DB2.internal' }))).toEqual(['2', '4']);
    expect(mine(await t.registry.listTenants({ server: 'local' }))).toEqual(['3']);
    expect(mine(await t.registry.listTenants({ server: 'db1.internal', status: 'active', q: 'zeta' }))).toEqual(['1']);
    const page = await t.registry.pageTenants({ q: tag, engine: 'postgres', status: 'active', limit: 1 });
    expect(page.total).toBe(2);
    expect(made.map((x) => tenantServerOf(x))).toEqual([
      'db1.internal:5432',
      'db2.internal:3306',
      'local',
      'db2.internal:5433',
      'db1.internal:5432',
    ]);
  });

  it('the plain reader (list-tenants) reads the same records as the registry, filter for filter, and the same server names', async () => {
    await t.registry.recordHealth(made[0]!.id, {
      reachable: false,
      latencyMs: 1.5,
      sizeBytes: 4096,
      error: 'no answer',
      checkedAt: new Date(),
      userCount: 3,
    });
    // Values of every kind the SQLite reader gets through JSON: a fraction, a large integer, text to escape.
    await t.registry.recordHealth(made[2]!.id, {
      reachable: true,
      latencyMs: 12.07,
      sizeBytes: 2 ** 40 + 1,
      error: 'unusual "text"\n\u001b[31m é 日本 \u2028',
      checkedAt: new Date(),
      userCount: 41,
    });
    const reader = await openRegistryReader(t.config);
    expect(reader).not.toBeNull();
    try {
      for (const filter of [
        {},
        { status: 'active' as const },
        { status: ['suspended', 'failed'] as TenantStatus[] },
        { engine: ['postgres', 'sqlite'] as Engine[] },
        { server: 'db1.internal:5432' },
        { server: 'DB2.internal' },
        { server: 'local', status: 'active' as const },
        { server: 'no-such-server' },
        { status: [] as TenantStatus[] },
      ]) {
        expect(await reader!.listTenants(filter)).toEqual(await t.registry.listTenants(filter));
      }
      const names = new Map((await t.registry.servers.list()).map((s) => [s.id, s.name]));
      expect(await reader!.serverNames()).toEqual(names);
    } finally {
      await reader!.close();
    }
  });

  it("names every column of the Tenant model (the plain reader's SELECT)", () => {
    const fields = Object.fromEntries(Object.entries(t.registry.models.Tenant.getAttributes()).map(([name, a]) => [name, a.field]));
    expect(TENANT_COLUMNS).toEqual(fields);
  });

  it('sorts by name, users and health, missing values last, ties by slug', async () => {
    const order = async (sort: 'name' | 'users' | 'health' | 'created', direction: 'asc' | 'desc' = 'asc') =>
      slugs((await t.registry.pageTenants({ q: tag, sort, direction })).tenants);
    expect(await order('name')).toEqual(['2', '3', '5', '4', '1']);
    expect(await order('name', 'desc')).toEqual(['1', '4', '5', '3', '2']);

    const [one, two, three] = made;
    await t.registry.setUserCount(one!.id, 7);
    await t.registry.setUserCount(two!.id, 2);
    await t.registry.setUserCount(three!.id, 7);
    expect(await order('users')).toEqual(['2', '1', '3', '4', '5']);
    expect(await order('users', 'desc')).toEqual(['1', '3', '2', '4', '5']);

    const checkedAt = new Date('2026-12-01T10:00:00Z');
    await t.registry.recordHealth(one!.id, { reachable: true, latencyMs: 9.5, sizeBytes: 4096, error: null, checkedAt, userCount: 8 });
    await t.registry.recordHealth(two!.id, {
      reachable: false,
      latencyMs: null,
      sizeBytes: null,
      error: 'refused',
      checkedAt,
      userCount: null,
    });
    await t.registry.recordHealth(three!.id, {
      reachable: true,
      latencyMs: 1.25,
      sizeBytes: 2048,
      error: null,
      checkedAt,
      userCount: null,
    });
    expect(await order('health')).toEqual(['3', '1', '2', '4', '5']);
    expect(await order('created')).toEqual(['1', '2', '3', '4', '5']);

    const after = await t.registry.getTenant(one!.slug);
    expect(after.userCount).toBe(8);
    expect(after.health).toEqual({ reachable: true, latencyMs: 9.5, sizeBytes: 4096, error: null, checkedAt });
    // Neither the count nor the health is a change anything routed depends on: no version bump.
    expect(after.version).toBe(one!.version);
    expect((await t.registry.getTenant(two!.slug)).health).toMatchObject({ reachable: false, error: 'refused' });
    expect((await t.registry.getTenant(made[3]!.slug)).health).toBeNull();
  });
});
