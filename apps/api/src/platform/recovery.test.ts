import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type Json, type TestApp } from '../testing/index';

let t: TestApp;
let token: string;
let slug: string;
let host: string;

beforeAll(async () => {
  t = await createTestApp();
  token = await t.platformLogin({ username: 'operator' });
  ({ slug, host } = await t.createTenant());
});
afterAll(async () => {
  await t?.cleanup();
});

async function call(method: string, path: string, options: { json?: unknown; token?: string } = {}) {
  const res = await t.request('localhost', `/api/platform${path}`, {
    method,
    token: options.token ?? token,
    ...(options.json === undefined ? {} : { json: options.json }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
}

async function signIn(hostName: string, path: string, login: string, password: string) {
  const res = await t.request(hostName, path, { method: 'POST', json: { login, password } });
  return { status: res.status, body: (await res.json()) as Json };
}

/** Nothing that logs may hold a one-time password: the app's log, the operations log file and rows. */
async function expectNowhereLogged(secret: string) {
  expect(t.rawLogs()).not.toContain(secret);
  expect(readFileSync(t.tenancy.operations.logFile, 'utf8')).not.toContain(secret);
  expect(JSON.stringify(await t.tenancy.registry.listOperations({ limit: 1000 }))).not.toContain(secret);
}

describe('tenant user recovery', () => {
  it("resets a tenant user's password: the old one stops working, the one-time password signs in and must be changed", async () => {
    const session = await t.tenantLogin(host);
    const res = await call('POST', `/tenants/${slug}/users/admin/reset-password`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: 'admin', oneTimePassword: expect.any(String) });
    const otp = res.body.oneTimePassword as string;
    expect((await t.request(host, '/api/auth/me', { token: session })).status).toBe(401);
    expect((await signIn(host, '/api/auth/login', 'admin', TEST_PASSWORD)).status).toBe(401);
    const fresh = await signIn(host, '/api/auth/login', 'admin', otp);
    expect(fresh.status).toBe(200);
    expect(fresh.body.user.mustChangePassword).toBe(true);
    await expectNowhereLogged(otp);
    const [row] = await t.tenancy.registry.listOperations({ action: 'reset-tenant-user-password', limit: 1 });
    expect(row).toMatchObject({ tenantSlug: slug, outcome: 'succeeded', actor: 'admin:operator' });
  });

  it('creates a tenant admin with a one-time password; a taken username is 409, a bad email 400, an unknown user 404', async () => {
    const res = await call('POST', `/tenants/${slug}/admins`, { json: { username: 'rescuer', email: 'Rescuer@Example.com' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ username: 'rescuer', email: 'rescuer@example.com' });
    const signedIn = await signIn(host, '/api/auth/login', 'rescuer', res.body.oneTimePassword);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ mustChangePassword: true, isSuperuser: true });
    await expectNowhereLogged(res.body.oneTimePassword);

    expect((await call('POST', `/tenants/${slug}/admins`, { json: { username: 'rescuer', email: 'other@example.com' } })).status).toBe(409);
    const bad = await call('POST', `/tenants/${slug}/admins`, { json: { username: 'x y', email: 'not-an-email' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: Json) => d.path).sort()).toEqual(['email', 'username']);
    expect((await call('POST', `/tenants/${slug}/users/nobody/reset-password`)).status).toBe(404);
    expect((await call('POST', '/tenants/nosuchtenant/users/admin/reset-password')).status).toBe(404);
  });
});

describe('platform admins', () => {
  it('lists, adds (one-time password), resets another admin’s password and disables them; their sessions end', async () => {
    const added = await call('POST', '/platform-admins', { json: { username: 'second', email: 'second@ops.example.com' } });
    expect(added.status).toBe(201);
    expect(added.body.admin).toMatchObject({ username: 'second', isActive: true, mustChangePassword: true });
    const first = await signIn('localhost', '/api/platform/auth/login', 'second', added.body.oneTimePassword);
    expect(first.status).toBe(200);
    expect(first.body.admin.mustChangePassword).toBe(true);
    await expectNowhereLogged(added.body.oneTimePassword);

    const list = await call('GET', '/platform-admins');
    expect(list.body.admins.map((a: Json) => a.username)).toEqual(expect.arrayContaining(['operator', 'second']));

    const reset = await call('POST', '/platform-admins/second/reset-password');
    expect(reset.status).toBe(200);
    expect(reset.body.oneTimePassword).not.toBe(added.body.oneTimePassword);
    expect((await call('GET', '/auth/me', { token: first.body.token })).status).toBe(401);
    expect((await signIn('localhost', '/api/platform/auth/login', 'second', added.body.oneTimePassword)).status).toBe(401);
    const again = await signIn('localhost', '/api/platform/auth/login', 'second', reset.body.oneTimePassword);
    expect(again.status).toBe(200);
    await expectNowhereLogged(reset.body.oneTimePassword);

    const disabled = await call('POST', '/platform-admins/second/disable');
    expect(disabled.status).toBe(200);
    expect(disabled.body.admin).toMatchObject({ username: 'second', isActive: false });
    expect((await call('GET', '/auth/me', { token: again.body.token })).status).toBe(401);
    expect((await signIn('localhost', '/api/platform/auth/login', 'second', reset.body.oneTimePassword)).status).toBe(401);

    const actions = (await t.tenancy.registry.listOperations({ limit: 50 }))
      .filter((o) => o.action.includes('platform-admin') && o.outcome === 'succeeded')
      .map((o) => [o.action, o.actor]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['add-platform-admin', 'admin:operator'],
        ['reset-platform-admin-password', 'admin:operator'],
        ['disable-platform-admin', 'admin:operator'],
      ]),
    );
  });

  it('an admin can neither disable nor reset themself (409, in the operations log); unknown admins are 404', async () => {
    const self = await call('POST', '/platform-admins/operator/disable');
    expect(self.status).toBe(409);
    expect(self.body.error.message).toContain('yourself');
    expect((await call('POST', '/platform-admins/operator/reset-password')).status).toBe(409);
    expect((await call('GET', '/auth/me')).status).toBe(200);
    const [row] = await t.tenancy.registry.listOperations({ action: 'disable-platform-admin', outcome: 'failed', limit: 1 });
    expect(row).toMatchObject({ actor: 'admin:operator', error: expect.stringContaining('yourself') });
    expect((await call('POST', '/platform-admins/nobody/disable')).status).toBe(404);
  });
});

describe('who may call the data-safety and recovery routes', () => {
  const routes: [string, string][] = [
    ['GET', '/tenants/x/backups'],
    ['POST', '/tenants/x/backups'],
    ['POST', '/tenants/x/backups/x-20260101T000000000Z.sfbackup.gz/restore'],
    ['POST', '/tenants/x/move'],
    ['DELETE', '/tenants/x/old-database'],
    ['GET', '/runs/6f1c2a9e-56c1-4f0e-9a55-0d3f1f0b8f11'],
    ['POST', '/tenants/x/users/admin/reset-password'],
    ['POST', '/tenants/x/admins'],
    ['GET', '/platform-admins'],
    ['POST', '/platform-admins'],
    ['POST', '/platform-admins/x/reset-password'],
    ['POST', '/platform-admins/x/disable'],
  ];

  it('401 without a session or with a tenant user’s token; 403 for an admin who must change a one-time password', async () => {
    const tenantToken = await t.tenantLogin((await t.createTenant()).host);
    const pending = await t.platformLogin({ username: 'pending', mustChangePassword: true });
    for (const [method, path] of routes) {
      const init = method === 'GET' ? { method } : { method, json: {} };
      expect((await t.request('localhost', `/api/platform${path}`, init)).status, `${method} ${path}`).toBe(401);
      expect((await t.request('localhost', `/api/platform${path}`, { ...init, token: tenantToken })).status, `${method} ${path}`).toBe(401);
      const forced = await t.request('localhost', `/api/platform${path}`, { ...init, token: pending });
      expect(forced.status, `${method} ${path}`).toBe(403);
      expect(((await forced.json()) as Json).error.code).toBe('PasswordChangeRequired');
    }
  });

  it('cookie-authenticated writes need a same-origin Origin (CSRF)', async () => {
    const cookie = `sf_platform_session=${token}`;
    for (const [method, path] of routes.filter(([m]) => m !== 'GET')) {
      const foreign = await t.request('localhost', `/api/platform${path}`, {
        method,
        headers: { cookie, origin: 'http://evil.example' },
        json: {},
      });
      expect(foreign.status, `${method} ${path}`).toBe(403);
      expect(((await foreign.json()) as Json).error.code).toBe('CsrfRejected');
    }
    const same = await t.request('localhost', '/api/platform/platform-admins', {
      method: 'POST',
      headers: { cookie, origin: 'http://localhost' },
      json: {},
    });
    expect(same.status).toBe(400); // past the CSRF check, into validation
  });

  it('every new route is in the OpenAPI document', async () => {
    const doc = (await (await t.request('localhost', '/api/openapi.json')).json()) as Json;
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/api/platform/tenants/{slug}/backups',
      '/api/platform/tenants/{slug}/backups/{name}/restore',
      '/api/platform/tenants/{slug}/move',
      '/api/platform/tenants/{slug}/old-database',
      '/api/platform/runs/{runId}',
      '/api/platform/tenants/{slug}/users/{username}/reset-password',
      '/api/platform/tenants/{slug}/admins',
      '/api/platform/platform-admins',
      '/api/platform/platform-admins/{username}/reset-password',
      '/api/platform/platform-admins/{username}/disable',
    ])
      expect(paths, p).toContain(p);
  });
});
