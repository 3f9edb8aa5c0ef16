import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveTenant } from '@salesfleet/tenancy';
import { createTestApp, type TestApp } from '../testing/index';

// While a tenant's data moves, its users get 503 with Retry-After; afterwards it serves from the new database.
describe('a tenant being moved', () => {
  let t: TestApp;
  let host: string;
  let slug: string;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    ({ slug, host } = await t.createTenant());
    token = await t.tenantLogin(host);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('answers 503 with Retry-After during the move and serves the same data after it', async () => {
    const before = await t.request(host, '/api/products?limit=5', { token });
    expect(before.status).toBe(200);
    const during: Response[] = [];
    await moveTenant(t.tenancy, slug, {
      actor: 'test:api',
      to: { engine: 'sqlite' },
      drainMs: 100,
      onStep: async (step) => {
        if (step === 'copy') {
          during.push(await t.request(host, '/api/products?limit=5', { token }));
          during.push(await t.request(host, '/api/customers', { method: 'POST', token, json: { name: 'During the move' } }));
        }
      },
    });
    for (const response of during) {
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('30');
      expect(await response.json()).toMatchObject({
        error: { code: 'TenantUnavailable', message: expect.stringContaining('maintenance') },
      });
    }
    const after = await t.request(host, '/api/products?limit=5', { token });
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual(await before.json());
    expect((await t.tenancy.registry.getTenant(slug)).db.name).not.toBe(`tenants/${slug}.sqlite`);
  });
});
