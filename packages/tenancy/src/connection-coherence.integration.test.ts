import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testDialects } from '@salesfleet/models/testing';
import type { TenantRecord } from './registry/records';
import { createTestTenancy, testSlug, type TestTenancy, until } from './testing/index';

const postgres = (await testDialects()).includes('postgres');

/** Uses the tenant's handle once; whether it was already open shows in the hit/miss counters. */
async function touch(t: TestTenancy, slug: string): Promise<'hit' | 'miss'> {
  const before = t.connections.stats().misses;
  const tenant = await t.registry.getTenant(slug);
  await t.connections.withTenant(tenant, ({ models }) => models.User.count());
  return t.connections.stats().misses > before ? 'miss' : 'hit';
}

describe('which registry changes close a tenant’s open connections', () => {
  const made: TestTenancy[] = [];
  let registry: TestDatabase | null = null;
  afterAll(async () => {
    for (const t of made.reverse()) await t.cleanup();
    await registry?.drop();
  });

  it('a schema-version write, a rename and a domain keep them; a change of the database closes them', async () => {
    const t = await createTestTenancy();
    made.push(t);
    const { tenant } = await t.provisioner.createTenant(
      { name: 'Keep', subdomain: testSlug('keep'), adminEmail: 'a@keep.test' },
      { actor: 'test' },
    );
    expect(await touch(t, tenant.slug)).toBe('miss');
    await t.registry.setSchemaVersions([{ tenantId: tenant.id, slug: tenant.slug, schemaVersion: tenant.schemaVersion }]);
    expect(await touch(t, tenant.slug)).toBe('hit');
    await t.provisioner.updateTenant(tenant.slug, { name: 'Kept' }, { actor: 'test' });
    await t.registry.addDomain(tenant.id, `${tenant.slug}.example.com`);
    expect(await touch(t, tenant.slug)).toBe('hit');
    // The same location written again still counts as a database change: connections close.
    await t.registry.updateTenant(tenant.id, { db: { managed: tenant.db.managed } });
    expect(await touch(t, tenant.slug)).toBe('miss');
    await t.provisioner.suspendTenant(tenant.slug, { actor: 'test' });
    expect(await touch(t, tenant.slug)).toBe('miss');
  });

  it.runIf(postgres)(
    'across processes on a PostgreSQL registry: the other process keeps its handle through a fleet migration',
    async () => {
      registry = await createTestDatabase('postgres');
      {
        const secretKey = `test-secret-${randomBytes(16).toString('hex')}`;
        const config = { registryUrl: registry.url };
        const a = await createTestTenancy({ secretKey, config, listen: true });
        made.push(a);
        const b = await createTestTenancy({ secretKey, config, listen: true, dataDir: a.dataDir });
        made.push(b);
        const { tenant } = await a.provisioner.createTenant(
          { name: 'Remote', subdomain: testSlug('rem'), adminEmail: 'a@remote.test' },
          { actor: 'test' },
        );
        const seen: string[] = [];
        b.registry.onChange((c) => c.remote && seen.push(`${c.kind}:${c.keepConnections === true}`));
        expect(await touch(b, tenant.slug)).toBe('miss');

        await a.registry.setSchemaVersions([{ tenantId: tenant.id, slug: tenant.slug, schemaVersion: tenant.schemaVersion }]);
        await until(() => seen.length === 1, 'the first change seen');
        expect(seen).toEqual(['tenant-changed:true']);
        expect(await touch(b, tenant.slug)).toBe('hit');

        const moved: TenantRecord = await a.registry.updateTenant(tenant.id, { db: { managed: tenant.db.managed } });
        await until(() => seen.length === 2, 'the second change seen');
        expect(seen[1]).toBe('tenant-changed:false');
        expect(moved.version).toBeGreaterThan(tenant.version);
        expect(await touch(b, tenant.slug)).toBe('miss');
      }
    },
  );
});
