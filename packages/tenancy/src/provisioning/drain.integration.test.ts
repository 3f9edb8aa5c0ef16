import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestTenancy, testSlug, type TestTenancy } from '../testing/index';

const actor = 'test:drain';
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('suspending and deleting drain in-flight work and refuse new handles (this process)', () => {
  let t: TestTenancy | null = null;
  afterEach(async () => {
    await t?.cleanup();
    t = null;
  });

  it('suspend returns only once in-flight work is done; meanwhile new handles are refused', async () => {
    t = await createTestTenancy();
    const slug = testSlug();
    const { tenant } = await t.provisioner.createTenant({ name: 'Busy', subdomain: slug, adminEmail: 'a@busy.test' }, { actor });
    const inFlight = await t.connections.acquire(tenant);
    let suspended = false;
    const suspending = t.provisioner.suspendTenant(slug, { actor }).then(() => (suspended = true));
    await settle();
    expect(suspended).toBe(false);
    // A request that resolved the tenant as active just before gets no handle now.
    await expect(t.connections.acquire(tenant)).rejects.toMatchObject({ details: { reason: 'suspended' } });
    inFlight.release();
    await suspending;
    expect((await t.registry.getTenant(slug)).status).toBe('suspended');
  });

  it('delete drops the database only after in-flight work is done, and refuses new handles meanwhile', async () => {
    t = await createTestTenancy();
    const slug = testSlug();
    const { tenant } = await t.provisioner.createTenant({ name: 'Doomed', subdomain: slug, adminEmail: 'a@doomed.test' }, { actor });
    const file = join(t.dataDir, tenant.db.name);
    const inFlight = await t.connections.acquire(tenant);
    let deleted = false;
    const deleting = t.provisioner.deleteTenant(slug, { actor }).then(() => (deleted = true));
    await settle();
    expect(deleted).toBe(false);
    expect(existsSync(file)).toBe(true);
    await expect(t.connections.acquire(tenant)).rejects.toMatchObject({ details: { reason: 'deleting' } });
    // The in-flight request can still finish its write into the file that is still there.
    await inFlight.handle.models.Customer.create({ name: 'last one' } as never);
    inFlight.release();
    await deleting;
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});
