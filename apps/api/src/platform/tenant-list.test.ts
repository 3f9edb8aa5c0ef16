import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonApi, TEST_PASSWORD, testSlug, type TestApp } from '../testing';

let t: TestApp;
let token: string;
let slug: string;
let host: string;
const tag = testSlug('pl');
const api = jsonApi(() => ({ t, host: 'localhost', token }));

beforeAll(async () => {
  t = await createTestApp();
  token = await t.platformLogin();
  ({ slug, host } = await t.createTenant({ slug: `${tag}-real` }));
  // Registry rows whose databases do not exist: listing must not need them.
  for (const [n, status, engine] of [
    [1, 'active', 'postgres'],
    [2, 'suspended', 'mysql'],
    [3, 'active', 'sqlite'],
  ] as const) {
    await t.tenancy.registry.insertTenant({
      slug: `${tag}-${n}`,
      name: `Listed ${n}`,
      adminEmail: `owner@${tag}-${n}.example.com`,
      status,
      maxUsers: 5,
      multiLocation: false,
      trialEndsAt: null,
      paidUntil: null,
      db: {
        engine,
        host: engine === 'sqlite' ? null : 'db9.internal',
        port: engine === 'sqlite' ? null : 6543,
        name: `gone_${n}`,
        user: null,
        passwordEncrypted: null,
        managed: false,
      },
    });
  }
});

afterAll(async () => {
  await t.cleanup();
});

describe('GET /api/platform/tenants', () => {
  it('answers a page and the total from the registry alone, opening no tenant database', async () => {
    const before = t.tenancy.connections.stats();
    const page = await api.get(`/platform/tenants?q=${tag}&limit=2&sort=slug`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 4, limit: 2, offset: 0 });
    expect(page.body.tenants.map((x: { slug: string }) => x.slug)).toEqual([`${tag}-1`, `${tag}-2`]);
    expect(page.body.tenants[0]).toMatchObject({ engine: 'postgres', server: 'db9.internal:6543', userCount: null, health: null });
    const next = await api.get(`/platform/tenants?q=${tag}&limit=2&offset=2&sort=slug&dir=asc`);
    expect(next.body.tenants.map((x: { slug: string }) => x.slug)).toEqual([`${tag}-3`, slug]);
    const after = t.tenancy.connections.stats();
    expect(after.misses).toBe(before.misses);
    expect(after.hits).toBe(before.hits);
  });

  it('filters by status, engine and server, and sorts descending', async () => {
    const slugs = async (query: string) =>
      (await api.get(`/platform/tenants?q=${tag}&${query}`)).body.tenants.map((x: { slug: string }) => x.slug);
    expect(await slugs('status=suspended')).toEqual([`${tag}-2`]);
    expect(await slugs('engine=sqlite&sort=slug')).toEqual([`${tag}-3`, slug]);
    expect(await slugs('server=db9.internal&sort=slug&dir=desc')).toEqual([`${tag}-2`, `${tag}-1`]);
    expect(await slugs('server=local&status=active&engine=&sort=slug')).toEqual([`${tag}-3`, slug]);
  });

  it('refuses unknown filters and sorts with field-level details', async () => {
    for (const query of ['sort=password', 'status=gone', 'engine=oracle', 'limit=0', 'limit=501', 'offset=-1', `q=${'x'.repeat(201)}`]) {
      const res = await api.get(`/platform/tenants?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('ValidationFailed');
    }
    expect((await api.get('/platform/tenants', null)).status).toBe(401);
  });

  it('shows the users count kept in the registry as users are added and deactivated on the tenant', async () => {
    const count = async () => (await api.get(`/platform/tenants?q=${slug}`)).body.tenants[0].userCount;
    expect(await count()).toBe(1);
    const admin = await t.tenantLogin(host);
    const tenantApi = jsonApi(() => ({ t, host, token: admin }));
    const created = await tenantApi.post('/users', { username: 'clerk', email: 'clerk@example.com', password: TEST_PASSWORD });
    expect(created.status).toBe(201);
    expect(await count()).toBe(2);
    expect((await tenantApi.post(`/users/${created.body.user.id}/deactivate`, {})).status).toBe(200);
    expect(await count()).toBe(1);
    expect((await tenantApi.patch(`/users/${created.body.user.id}`, { isActive: true })).status).toBe(200);
    expect(await count()).toBe(2);
  });

  it('shows the health recorded at creation, then the last health check once one ran', async () => {
    const listed = async () => (await api.get(`/platform/tenants?q=${slug}`)).body.tenants[0];
    const created = await listed();
    expect(created.health).toMatchObject({ reachable: true, error: null, latencyMs: expect.any(Number), sizeBytes: expect.any(Number) });
    expect((await api.get(`/platform/tenants/${slug}/health`)).status).toBe(200);
    const checked = await listed();
    expect(checked.health).toMatchObject({ reachable: true, error: null });
    expect(Date.parse(checked.health.checkedAt)).toBeGreaterThan(Date.parse(created.health.checkedAt));
  });
});
