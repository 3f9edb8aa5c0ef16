import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import { createTestTenancy, testSlug, type TestTenancy } from '../testing/index';

const dialects = await testDialects();

/** An instant with milliseconds (a MySQL/MariaDB DATETIME keeps none of them). */
function withMillis(offsetMs: number): Date {
  const at = new Date(Date.now() + offsetMs);
  at.setMilliseconds(567);
  return at;
}

/** The instants of a record as milliseconds, to compare an answer with a later read exactly. */
function ms<K extends string>(record: Record<K, Date | null>, keys: readonly K[]): Record<K, number | null> {
  return Object.fromEntries(keys.map((k) => [k, record[k]?.getTime() ?? null])) as Record<K, number | null>;
}

// What a registry write answers is what a later read returns, to the millisecond, on every engine:
// the answer is not read back, and a MariaDB DATETIME drops the milliseconds a JS Date carries.
describe.each(dialects)('registry instants on %s: a write answers what a later read returns', (dialect) => {
  let t: TestTenancy;
  beforeAll(async () => {
    t = await createTestTenancy({ registryEngine: dialect });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('platform admins and their sessions', async () => {
    const username = testSlug('adm');
    const admin = await t.registry.createPlatformAdmin({
      username,
      email: `${username}@example.com`,
      password: 'correct horse battery staple 42',
    });
    await t.registry.recordPlatformAdminLogin(admin.id, withMillis(0));
    const { token, session } = await t.registry.createPlatformSession(admin.id, { ttlMs: 3_600_123 });
    const read = await t.registry.findPlatformSession(token);
    expect(ms(read!.session, ['expiresAt', 'lastSeenAt', 'createdAt'])).toEqual(ms(session, ['expiresAt', 'lastSeenAt', 'createdAt']));
    const again = await t.registry.getPlatformAdmin(admin.id);
    expect(again!.createdAt.getTime()).toBe(admin.createdAt.getTime());
  });

  it('tenants: inserted and updated, with their dates', async () => {
    const slug = testSlug();
    const inserted = await t.registry.insertTenant({
      slug,
      name: `Tenant ${slug}`,
      adminEmail: `admin@${slug}.test`,
      maxUsers: 10,
      multiLocation: false,
      trialEndsAt: withMillis(86_400_000),
      paidUntil: null,
      db: { engine: 'sqlite', host: null, port: null, name: `tenants/${slug}.sqlite`, user: null, passwordEncrypted: null, managed: true },
    });
    const keys = ['createdAt', 'updatedAt', 'trialEndsAt', 'paidUntil'] as const;
    expect(ms((await t.registry.findTenantById(inserted.id))!, keys)).toEqual(ms(inserted, keys));
    const updated = await t.registry.updateTenant(inserted.id, { paidUntil: withMillis(2 * 86_400_000) });
    expect(ms((await t.registry.findTenantById(inserted.id))!, keys)).toEqual(ms(updated, keys));
    const domain = await t.registry.addDomain(inserted.id, `${slug}.example.org`);
    const [listed] = await t.registry.listDomains(inserted.id);
    expect(listed!.createdAt.getTime()).toBe(domain.createdAt.getTime());
  });

  it("a tenant's health check: its answer and what the registry recorded (the tenants list, the history)", async () => {
    const slug = testSlug();
    // A tenant whose database file is missing: the check answers it unreachable and records that.
    const tenant = await t.registry.insertTenant({
      slug,
      name: `Tenant ${slug}`,
      adminEmail: `admin@${slug}.test`,
      maxUsers: 10,
      multiLocation: false,
      trialEndsAt: null,
      paidUntil: null,
      status: 'active',
      db: { engine: 'sqlite', host: null, port: null, name: `tenants/${slug}.sqlite`, user: null, passwordEncrypted: null, managed: true },
    });
    const health = await t.provisioner.tenantHealth(slug);
    expect(health.reachable).toBe(false);
    expect((await t.registry.findTenantById(tenant.id))!.health!.checkedAt.toISOString()).toBe(health.checkedAt);
    const [sample] = await t.registry.healthHistory(tenant.id, { since: new Date(0) });
    expect(sample!.checkedAt.toISOString()).toBe(health.checkedAt);
  });

  it('tenant servers: added and updated', async () => {
    const name = testSlug('srv');
    const added = await t.registry.servers.add({ name, url: 'postgres://tenant@db.internal:5432/postgres', capacity: 5 });
    expect(ms(await t.registry.servers.get(name), ['createdAt', 'updatedAt'])).toEqual(ms(added, ['createdAt', 'updatedAt']));
    const updated = await t.registry.servers.update(name, { capacity: 6 });
    expect(ms(await t.registry.servers.get(name), ['createdAt', 'updatedAt'])).toEqual(ms(updated, ['createdAt', 'updatedAt']));
    await t.registry.servers.remove(name);
  });
});
