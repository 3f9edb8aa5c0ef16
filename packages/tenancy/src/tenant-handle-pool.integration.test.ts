import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectAvailable } from '@salesfleet/models/testing';
import { createTestTenancy, postgresBackends, testSlug, type TestTenancy } from './testing/index';

/**
 * A cached tenant handle is a warm tenant: one database connection must live as long as the handle,
 * not close after the pool's own 10 s idle timeout — otherwise a tenant requested less often than every
 * 10 s pays a new PostgreSQL connection (and Sequelize's per-instance type query) on every request while
 * its handle sits in the cache (found by `pnpm bench routing`). Connections opened for a burst above
 * that one still close when idle, so a busy moment does not hold the server's connections for long.
 */
const postgres = await dialectAvailable('postgres');

describe.runIf(postgres)('tenant handle connections (postgres)', () => {
  let t: TestTenancy;

  beforeAll(async () => {
    t = await createTestTenancy({ engine: 'postgres', config: { tenantIdleMs: 60_000 } });
  }, 60_000);

  afterAll(async () => {
    await t?.cleanup();
  }, 60_000);

  it('keeps one connection of a cached handle past the pool idle timeout, lets burst connections go, closes it with the handle', async () => {
    const slug = testSlug();
    const { tenant } = await t.provisioner.createTenant(
      { name: 'Pool', subdomain: slug, adminEmail: `admin@${slug}.example.com` },
      { actor: 'test' },
    );
    // A burst: three queries at once take three pooled connections.
    await t.connections.withTenant(tenant, ({ sequelize }) => Promise.all([1, 2, 3].map(() => sequelize.query('SELECT pg_sleep(0.3)'))));
    expect(await postgresBackends(tenant.db.name)).toBe(3);

    // Longer than the pool's default idle (10 s) plus its eviction check (1 s); shorter than tenantIdleMs.
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    expect(t.connections.has(tenant.id)).toBe(true);
    expect(await postgresBackends(tenant.db.name)).toBe(1);

    await t.connections.evict(tenant.id);
    expect(await postgresBackends(tenant.db.name)).toBe(0);
  }, 60_000);
});
