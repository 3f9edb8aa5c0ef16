import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupTenant, describeSpec, restoreTenant } from '@salesfleet/tenancy';
import { createTestApp, type TestApp } from '../testing/index';

// restore-tenant --replace: the tenant's users are told to come back while its database is replaced,
// it serves the restored data afterwards, and a failed restore leaves it on its old database.
describe('a tenant whose data is replaced from a backup', () => {
  let t: TestApp;
  let host: string;
  let slug: string;
  let token: string;
  let archive: string;

  const customers = async () => {
    const res = await t.request(host, '/api/customers', { token });
    expect(res.status).toBe(200);
    return JSON.stringify(await res.json());
  };

  beforeAll(async () => {
    t = await createTestApp();
    ({ slug, host } = await t.createTenant());
    token = await t.tenantLogin(host);
    expect((await t.request(host, '/api/customers', { method: 'POST', token, json: { name: 'In The Backup' } })).status).toBe(201);
    archive = (await backupTenant(t.tenancy, slug, { actor: 'test:backup' })).file;
    expect((await t.request(host, '/api/customers', { method: 'POST', token, json: { name: 'After The Backup' } })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('is back on its old database, active, when the restore fails after maintenance began', async () => {
    const before = await t.tenancy.registry.getTenant(slug);
    const seen: string[] = [];
    await expect(
      restoreTenant(t.tenancy, slug, {
        actor: 'test:restore',
        from: archive,
        replace: true,
        onStep: async (step) => {
          seen.push(step);
          if (step === 'migrate') throw new Error('the disk filled up');
        },
      }),
    ).rejects.toThrow('the disk filled up');
    expect(seen).toEqual(['maintenance', 'create_database', 'load', 'migrate']);
    const after = await t.tenancy.registry.getTenant(slug);
    expect(after.status).toBe('active');
    expect(describeSpec(t.tenancy.registry.databaseSpecOf(after))).toBe(describeSpec(t.tenancy.registry.databaseSpecOf(before)));
    expect(await customers()).toContain('After The Backup');
  });

  it('answers 503 with Retry-After while its database is replaced, then serves the restored data, active again', async () => {
    const during: Response[] = [];
    const result = await restoreTenant(t.tenancy, slug, {
      actor: 'test:restore',
      from: archive,
      replace: true,
      onStep: async (step) => {
        if (step === 'load' || step === 'switch') {
          during.push(await t.request(host, '/api/customers', { token }));
          during.push(await t.request(host, '/api/customers', { method: 'POST', token, json: { name: 'Written During' } }));
        }
      },
    });
    expect(during).toHaveLength(4);
    for (const response of during) {
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBeTruthy();
    }
    expect(result.tenant.status).toBe('active');
    expect(result.oldDatabase).not.toBe(result.database);
    expect((await t.tenancy.registry.getTenant(slug)).status).toBe('active');
    const now = await customers();
    expect(now).toContain('In The Backup');
    expect(now).not.toContain('After The Backup');
    expect(now).not.toContain('Written During');
  });
});
