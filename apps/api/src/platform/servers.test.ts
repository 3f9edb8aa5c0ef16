import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenantServerListSchema, TenantServerResultSchema } from '@salesfleet/contracts';
import { createTestApp, jsonApi, type TestApp } from '../testing';

// Registering a server does not connect to it: these servers are names in the registry only.
const PASSWORD = 'server-secret-Pw-42';
const URL_A = `postgres://sales:${PASSWORD}@db-a.internal:5432/maint_a`;

let t: TestApp;
let token: string;
const api = jsonApi(() => ({ t, host: 'localhost', token }));

beforeAll(async () => {
  t = await createTestApp();
  token = await t.platformLogin();
}, 120_000);

afterAll(async () => {
  await t.cleanup();
});

describe('platform tenant servers', () => {
  it('401 without a platform session or with a tenant user’s token; 403 while the password must be changed', async () => {
    const tenantToken = await t.tenantLogin((await t.createTenant()).host);
    const pending = await t.platformLogin({ username: 'pending-servers', mustChangePassword: true });
    for (const [method, path] of [
      ['GET', '/platform/servers'],
      ['POST', '/platform/servers'],
      ['PATCH', '/platform/servers/pg-a'],
      ['DELETE', '/platform/servers/pg-a'],
    ] as const) {
      const json = method === 'GET' || method === 'DELETE' ? {} : { json: {} };
      expect((await api.call(method, path, { token: null, ...json })).status, `${method} ${path}`).toBe(401);
      expect((await api.call(method, path, { token: tenantToken, ...json })).status, `${method} ${path}`).toBe(401);
      const forced = await api.call(method, path, { token: pending, ...json });
      expect(forced.status, `${method} ${path}`).toBe(403);
      expect(forced.body.error.code).toBe('PasswordChangeRequired');
    }
  });

  it('adds a server and lists it with capacity, tenants and state, never the password', async () => {
    const added = await api.post('/platform/servers', { name: 'pg-a', url: URL_A, capacity: 50 });
    expect(added.status).toBe(201);
    expect(TenantServerResultSchema.parse(added.body).server).toMatchObject({
      name: 'pg-a',
      engine: 'postgres',
      host: 'db-a.internal',
      port: 5432,
      user: 'sales',
      passwordSet: true,
      maintenanceDatabase: 'maint_a',
      capacity: 50,
      tenantCount: 0,
      state: 'open',
    });
    const listed = await api.get('/platform/servers');
    expect(listed.status).toBe(200);
    expect(TenantServerListSchema.parse(listed.body).servers.map((s) => s.name)).toEqual(['pg-a']);
    expect(JSON.stringify([added.body, listed.body])).not.toContain(PASSWORD);
    const [op] = await t.tenancy.registry.listOperations({ action: 'add-tenant-server', limit: 1 });
    expect(op).toMatchObject({ actor: expect.stringMatching(/^admin:/), outcome: 'succeeded' });
    expect(JSON.stringify(op)).not.toContain(PASSWORD);
  });

  it('validates with field-level details; a taken name is 409', async () => {
    for (const body of [
      { name: 'Bad_Name', url: URL_A, capacity: 1 },
      { name: 'pg-b', url: 'sqlite:x.sqlite', capacity: 1 },
      { name: 'pg-b', url: URL_A, capacity: 0 },
      { name: 'pg-b', url: URL_A, capacity: 1, state: 'closed' },
      { name: 'pg-b', url: URL_A, capacity: 1, extra: true },
    ]) {
      const res = await api.post('/platform/servers', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('ValidationFailed');
      expect(JSON.stringify(res.body)).not.toContain(PASSWORD);
    }
    const taken = await api.post('/platform/servers', { name: 'pg-a', url: URL_A, capacity: 1 });
    expect(taken.status).toBe(409);
    expect((await api.patch('/platform/servers/pg-a', {})).status).toBe(400);
    expect((await api.patch('/platform/servers/pg-a', { state: 'closed' })).status).toBe(400);
    expect((await api.patch('/platform/servers/nope', { state: 'full' })).status).toBe(404);
    expect((await api.del('/platform/servers/nope')).status).toBe(404);
  });

  it('changes state and capacity; a server holding a tenant is not removed; an empty one is', async () => {
    const draining = await api.patch('/platform/servers/pg-a', { state: 'draining' });
    expect(draining.status).toBe(200);
    expect(draining.body.server).toMatchObject({ state: 'draining', capacity: 50 });
    const resized = await api.patch('/platform/servers/pg-a', { capacity: 10, state: 'open' });
    expect(resized.body.server).toMatchObject({ state: 'open', capacity: 10 });

    // A tenant recorded on the server (its data stays a SQLite file here: removal only reads the registry).
    const { slug } = await t.createTenant();
    const tenant = await t.tenancy.registry.getTenant(slug);
    const server = await t.tenancy.registry.servers.get('pg-a');
    await t.tenancy.registry.updateTenant(tenant.id, { serverId: server.id });
    expect((await api.get('/platform/servers')).body.servers[0]).toMatchObject({ tenantCount: 1 });
    const refused = await api.del('/platform/servers/pg-a');
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/move them first/);

    await t.tenancy.registry.updateTenant(tenant.id, { serverId: null });
    expect(await api.del('/platform/servers/pg-a')).toEqual({ status: 200, body: { removed: true } });
    expect((await api.get('/platform/servers')).body).toEqual({ servers: [] });
    const ops = await t.tenancy.registry.listOperations({ action: 'remove-tenant-server', limit: 5 });
    expect(ops.map((o) => o.outcome)).toEqual(expect.arrayContaining(['failed', 'succeeded']));
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await t.request('localhost', '/api/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/platform/servers'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/platform/servers/{name}'] ?? {}).sort()).toEqual(['delete', 'patch']);
  });
});
