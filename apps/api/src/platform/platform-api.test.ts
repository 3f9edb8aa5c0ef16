import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, testSlug, type TestApp } from '../testing';

let t: TestApp;
let token: string;

const json = async <T = Record<string, unknown>>(res: Response): Promise<T> => (await res.json()) as T;

beforeAll(async () => {
  t = await createTestApp();
  token = await t.platformLogin();
});

afterAll(async () => {
  await t.cleanup();
});

describe('platform admin sign-in', () => {
  it('signs in by username or email, sets an HttpOnly SameSite=Lax cookie and returns a bearer token', async () => {
    await t.tenancy.registry.createPlatformAdmin({ username: 'alice', email: 'alice@ops.example.com', password: TEST_PASSWORD });
    for (const login of ['alice', 'ALICE@ops.example.com']) {
      const res = await t.request('localhost', '/api/platform/auth/login', { method: 'POST', json: { login, password: TEST_PASSWORD } });
      expect(res.status).toBe(200);
      const body = await json<{ admin: { username: string; mustChangePassword: boolean; lastLoginAt: string }; token: string }>(res);
      expect(body.admin).toMatchObject({ username: 'alice', mustChangePassword: false, lastLoginAt: expect.any(String) });
      expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const cookie = res.headers.get('set-cookie')!;
      expect(cookie).toContain(`sf_platform_session=${body.token}`);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).not.toMatch(/Secure/i); // plain http
      expect(cookie).not.toMatch(/Domain=/i); // host-only: never sent to tenant subdomains
    }
  });

  it('answers unknown logins and wrong passwords the same way', async () => {
    const wrong = await t.request('localhost', '/api/platform/auth/login', {
      method: 'POST',
      peer: '10.0.1.1',
      json: { login: 'alice', password: 'not the password' },
    });
    const unknown = await t.request('localhost', '/api/platform/auth/login', {
      method: 'POST',
      peer: '10.0.1.1',
      json: { login: 'nobody', password: 'not the password' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = await json<{ error: { code: string; message: string } }>(wrong);
    const b = await json<{ error: { code: string; message: string } }>(unknown);
    expect(a.error.code).toBe('InvalidCredentials');
    expect(b.error.code).toBe(a.error.code);
    expect(b.error.message).toBe(a.error.message);
  });

  it('throttles after 5 failures per account with 429 and Retry-After, even for the right password', async () => {
    await t.tenancy.registry.createPlatformAdmin({ username: 'bob', email: 'bob@ops.example.com', password: TEST_PASSWORD });
    for (let i = 0; i < 5; i++) {
      // From different addresses: the account itself is what gets blocked.
      const res = await t.request('localhost', '/api/platform/auth/login', {
        method: 'POST',
        peer: `10.0.2.${i}`,
        json: { login: 'bob', password: `wrong ${i}` },
      });
      expect(res.status).toBe(401);
    }
    const blocked = await t.request('localhost', '/api/platform/auth/login', {
      method: 'POST',
      peer: '10.0.2.99',
      json: { login: 'bob', password: TEST_PASSWORD },
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(await json(blocked)).toMatchObject({ error: { code: 'TooManyAttempts' } });
    // The email of the same account is the same account.
    const byEmail = await t.request('localhost', '/api/platform/auth/login', {
      method: 'POST',
      peer: '10.0.2.98',
      json: { login: 'bob@ops.example.com', password: TEST_PASSWORD },
    });
    expect(byEmail.status).toBe(429);
  });

  it('throttles a client address that tries many accounts', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await t.request('localhost', '/api/platform/auth/login', {
        method: 'POST',
        peer: '10.0.3.1',
        json: { login: `user${i}`, password: 'guess' },
      });
      expect(res.status).toBe(401);
    }
    const blocked = await t.request('localhost', '/api/platform/auth/login', {
      method: 'POST',
      peer: '10.0.3.1',
      json: { login: 'alice', password: TEST_PASSWORD },
    });
    expect(blocked.status).toBe(429);
    const elsewhere = await t.request('localhost', '/api/platform/auth/login', {
      method: 'POST',
      peer: '10.0.3.2',
      json: { login: 'alice', password: TEST_PASSWORD },
    });
    expect(elsewhere.status).toBe(200);
  });

  it('throttles unknown logins exactly like known ones', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await t.request('localhost', '/api/platform/auth/login', {
        method: 'POST',
        peer: `10.0.4.${i}`,
        json: { login: 'ghost', password: `wrong ${i}` },
      });
      expect(res.status).toBe(401);
    }
    const blocked = await t.request('localhost', '/api/platform/auth/login', {
      method: 'POST',
      peer: '10.0.4.99',
      json: { login: 'ghost', password: 'x' },
    });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('refuses a sign-in posted from another site', async () => {
    const res = await t.request('localhost', '/api/platform/auth/login', {
      method: 'POST',
      json: { login: 'alice', password: TEST_PASSWORD },
      headers: { origin: 'http://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({ error: { code: 'CsrfRejected' } });
  });

  it('me answers the admin, 401 without or with a bad session', async () => {
    const me = await t.request('localhost', '/api/platform/auth/me', { token });
    expect(me.status).toBe(200);
    expect(await json(me)).toMatchObject({ admin: { username: expect.stringMatching(/^root/), mustChangePassword: false } });
    const variants: Record<string, string>[] = [
      {},
      { authorization: 'Bearer nope' },
      { authorization: `Bearer ${'A'.repeat(43)}` },
      { cookie: `sf_platform_session=${'B'.repeat(43)}` },
    ];
    for (const headers of variants) {
      const res = await t.request('localhost', '/api/platform/auth/me', { headers });
      expect(res.status).toBe(401);
      expect(await json(res)).toMatchObject({ error: { code: 'Unauthenticated' } });
    }
  });

  it('cookie-authenticated writes need a same-origin Origin; bearer ones do not', async () => {
    const cookie = `sf_platform_session=${token}`;
    const noOrigin = await t.request('localhost', '/api/platform/tenants', { method: 'POST', headers: { cookie }, json: { dryRun: true } });
    expect(noOrigin.status).toBe(403);
    expect(await json(noOrigin)).toMatchObject({ error: { code: 'CsrfRejected' } });
    const foreign = await t.request('localhost', '/api/platform/tenants', {
      method: 'POST',
      headers: { cookie, origin: 'http://acme.localhost' },
      json: {},
    });
    expect(foreign.status).toBe(403);
    const same = await t.request('localhost', '/api/platform/tenants', {
      method: 'POST',
      headers: { cookie, origin: 'http://localhost' },
      json: {},
    });
    expect(same.status).toBe(400); // past the CSRF check, into validation
    const referer = await t.request('localhost', '/api/platform/tenants', {
      method: 'POST',
      headers: { cookie, referer: 'http://localhost/admin/tenants/new' },
      json: {},
    });
    expect(referer.status).toBe(400);
    const reads = await t.request('localhost', '/api/platform/tenants', { headers: { cookie } });
    expect(reads.status).toBe(200);
    const bearer = await t.request('localhost', '/api/platform/tenants', { method: 'POST', token, json: {} });
    expect(bearer.status).toBe(400);
  });

  it('logout revokes the session and clears the cookie; 204 also without one', async () => {
    const session = await t.platformLogin();
    const out = await t.request('localhost', '/api/platform/auth/logout', { method: 'POST', token: session });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/sf_platform_session=;.*Max-Age=0/i);
    expect((await t.request('localhost', '/api/platform/auth/me', { token: session })).status).toBe(401);
    expect((await t.request('localhost', '/api/platform/auth/logout', { method: 'POST' })).status).toBe(204);
  });

  it('forces a one-time password to be changed before anything else, then ends the other sessions', async () => {
    const first = await t.platformLogin({ username: 'carol', mustChangePassword: true });
    const second = await t.platformLogin({ username: 'carol2', mustChangePassword: true }).catch(() => null);
    expect(second).not.toBeNull();
    const other = await t.request('localhost', '/api/platform/auth/login', {
      method: 'POST',
      json: { login: 'carol', password: TEST_PASSWORD },
    });
    const otherToken = (await json<{ token: string }>(other)).token;

    const me = await t.request('localhost', '/api/platform/auth/me', { token: first });
    expect(me.status).toBe(200);
    expect(await json(me)).toMatchObject({ admin: { mustChangePassword: true } });
    const blocked = await t.request('localhost', '/api/platform/tenants', { token: first });
    expect(blocked.status).toBe(403);
    expect(await json(blocked)).toMatchObject({ error: { code: 'PasswordChangeRequired' } });

    const weak = await t.request('localhost', '/api/platform/auth/change-password', {
      method: 'POST',
      token: first,
      json: { currentPassword: TEST_PASSWORD, newPassword: 'short' },
    });
    expect(weak.status).toBe(400);
    expect(await json(weak)).toMatchObject({ error: { code: 'ValidationFailed', details: [{ path: 'newPassword' }] } });
    const same = await t.request('localhost', '/api/platform/auth/change-password', {
      method: 'POST',
      token: first,
      json: { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD },
    });
    expect(same.status).toBe(400);
    const wrongCurrent = await t.request('localhost', '/api/platform/auth/change-password', {
      method: 'POST',
      token: first,
      peer: '10.0.5.1',
      json: { currentPassword: 'not it at all', newPassword: 'a brand new passphrase 9' },
    });
    expect(wrongCurrent.status).toBe(401);

    const changed = await t.request('localhost', '/api/platform/auth/change-password', {
      method: 'POST',
      token: first,
      json: { currentPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase 9' },
    });
    expect(changed.status).toBe(200);
    expect(await json(changed)).toMatchObject({ admin: { username: 'carol', mustChangePassword: false } });
    expect((await t.request('localhost', '/api/platform/tenants', { token: first })).status).toBe(200);
    expect((await t.request('localhost', '/api/platform/auth/me', { token: otherToken })).status).toBe(401);
    const relogin = await t.request('localhost', '/api/platform/auth/login', {
      method: 'POST',
      json: { login: 'carol', password: 'a brand new passphrase 9' },
    });
    expect(relogin.status).toBe(200);
  });

  it('a platform session is worthless on a tenant host', async () => {
    const { host } = await t.createTenant();
    const res = await t.request(host, '/api/auth/me', { token });
    expect(res.status).toBe(401);
  });
});

describe('tenants', () => {
  let slug: string;

  it('refuses an invalid create with field details, and a dry run changes nothing', async () => {
    const bad = await t.request('localhost', '/api/platform/tenants', {
      method: 'POST',
      token,
      json: { name: '', subdomain: 'x', adminEmail: 'nope', maxUsers: 0 },
    });
    expect(bad.status).toBe(400);
    const details = (await json<{ error: { details: { path: string }[] } }>(bad)).error.details.map((d) => d.path);
    expect(details).toEqual(expect.arrayContaining(['name', 'adminEmail', 'maxUsers']));

    const reserved = await t.request('localhost', '/api/platform/tenants', {
      method: 'POST',
      token,
      json: { name: 'Admin', subdomain: 'admin', adminEmail: 'a@b.example.com' },
    });
    expect(reserved.status).toBe(400);
    expect(await json(reserved)).toMatchObject({ error: { code: 'ValidationFailed', details: [{ path: 'subdomain' }] } });

    slug = testSlug('acme');
    const dry = await t.request('localhost', '/api/platform/tenants', {
      method: 'POST',
      token,
      json: { name: 'Acme', subdomain: slug, adminEmail: 'boss@acme.example.com', dryRun: true },
    });
    expect(dry.status).toBe(200);
    const dryBody = await json<{ dryRun: boolean; ok: boolean; checks: { name: string; ok: boolean }[] }>(dry);
    expect(dryBody).toMatchObject({ dryRun: true, ok: true });
    expect(dryBody.checks.length).toBeGreaterThan(0);
    expect(await t.tenancy.registry.findTenant(slug)).toBeNull();
  });

  it('creates a tenant and shows its one-time admin password once; the tenant host answers', async () => {
    const res = await t.request('localhost', '/api/platform/tenants', {
      method: 'POST',
      token,
      json: { name: 'Acme', subdomain: slug, adminEmail: 'boss@acme.example.com', maxUsers: 3 },
    });
    expect(res.status).toBe(201);
    const body = await json<{
      tenant: Record<string, unknown>;
      admin: { username: string; email: string; oneTimePassword: string };
      url: string;
    }>(res);
    expect(body.tenant).toMatchObject({
      slug,
      name: 'Acme',
      status: 'active',
      engine: 'sqlite',
      adminEmail: 'boss@acme.example.com',
      maxUsers: 3,
      multiLocation: false,
      userCount: 1,
      pendingMigrations: 0,
      schemaVersion: expect.any(String),
      url: `http://${slug}.localhost:8000/`,
    });
    expect(body.admin).toMatchObject({ username: 'admin', email: 'boss@acme.example.com', oneTimePassword: expect.any(String) });
    expect(body.url).toBe(`http://${slug}.localhost:8000/`);

    const page = await t.request(`${slug}.localhost`, '/', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Acme');
    const login = await t.request(`${slug}.localhost`, '/api/auth/login', {
      method: 'POST',
      json: { login: 'admin', password: body.admin.oneTimePassword },
    });
    expect(login.status).toBe(200);
    expect(await json(login)).toMatchObject({ user: { mustChangePassword: true } });
    // The password never reaches a log line.
    expect(t.rawLogs()).not.toContain(body.admin.oneTimePassword);
  });

  it('refuses a second tenant with the same subdomain', async () => {
    const res = await t.request('localhost', '/api/platform/tenants', {
      method: 'POST',
      token,
      json: { name: 'Again', subdomain: slug, adminEmail: 'x@y.example.com' },
    });
    expect(res.status).toBe(409);
    expect(await json(res)).toMatchObject({ error: { code: 'SlugTaken' } });
  });

  it('lists tenants with their summaries', async () => {
    const res = await t.request('localhost', '/api/platform/tenants', { token });
    expect(res.status).toBe(200);
    const { tenants } = await json<{ tenants: { slug: string; userCount: number | null; createdAt: string }[] }>(res);
    const acme = tenants.find((x) => x.slug === slug)!;
    expect(acme.userCount).toBe(1);
    expect(new Date(acme.createdAt).toString()).not.toBe('Invalid Date');
  });

  it('gets one tenant with its database (no password) and domains; 404 for a missing one', async () => {
    const res = await t.request('localhost', `/api/platform/tenants/${slug}`, { token });
    expect(res.status).toBe(200);
    const { tenant } = await json<{ tenant: Record<string, unknown> }>(res);
    expect(tenant).toMatchObject({ slug, database: { engine: 'sqlite', schema: null, passwordSet: false }, domains: [] });
    expect(JSON.stringify(tenant)).not.toMatch(/password"\s*:\s*"/);
    for (const missing of ['nope-nope', 'UPPER', '..', 'a%2fb']) {
      const r = await t.request('localhost', `/api/platform/tenants/${missing}`, { token });
      expect(r.status, missing).toBe(404);
    }
  });

  it('updates name, limits, multi-location and billing dates', async () => {
    const trialEndsAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const res = await t.request('localhost', `/api/platform/tenants/${slug}`, {
      method: 'PATCH',
      token,
      json: { name: 'Acme Ltd', maxUsers: 5, multiLocation: true, trialEndsAt, paidUntil: null },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ tenant: { name: 'Acme Ltd', maxUsers: 5, multiLocation: true, trialEndsAt, paidUntil: null } });
    const bad = await t.request('localhost', `/api/platform/tenants/${slug}`, {
      method: 'PATCH',
      token,
      json: { maxUsers: -1, trialEndsAt: 'tomorrow', bogus: 1 },
    });
    expect(bad.status).toBe(400);
    const missing = await t.request('localhost', '/api/platform/tenants/nope-nope', { method: 'PATCH', token, json: { name: 'x' } });
    expect(missing.status).toBe(404);
  });

  it('a trial that ended makes the tenant host answer 402', async () => {
    const past = new Date(Date.now() - 86_400_000).toISOString();
    await t.request('localhost', `/api/platform/tenants/${slug}`, { method: 'PATCH', token, json: { trialEndsAt: past } });
    const res = await t.request(`${slug}.localhost`, '/api/auth/me');
    expect(res.status).toBe(402);
    expect(await json(res)).toMatchObject({ error: { code: 'TrialExpired', message: expect.stringContaining('trial') } });
    const paid = await t.request('localhost', `/api/platform/tenants/${slug}`, {
      method: 'PATCH',
      token,
      json: { paidUntil: new Date(Date.now() + 30 * 86_400_000).toISOString() },
    });
    expect(paid.status).toBe(200);
    expect((await t.request(`${slug}.localhost`, '/api/auth/me')).status).toBe(401);
  });

  it('suspend: the tenant host answers 403 on the very next request; resume: it serves again', async () => {
    const tenantHost = `${slug}.localhost`;
    // Warm the router and connection caches first.
    expect((await t.request(tenantHost, '/api/auth/me')).status).toBe(401);
    const suspended = await t.request('localhost', `/api/platform/tenants/${slug}/suspend`, {
      method: 'POST',
      token,
      json: { reason: 'unpaid invoice' },
    });
    expect(suspended.status).toBe(200);
    expect(await json(suspended)).toMatchObject({ tenant: { status: 'suspended' } });
    const api = await t.request(tenantHost, '/api/auth/me');
    expect(api.status).toBe(403);
    expect(await json(api)).toMatchObject({ error: { code: 'TenantSuspended', message: expect.stringContaining('unpaid invoice') } });
    const page = await t.request(tenantHost, '/', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('suspended');

    const resumed = await t.request('localhost', `/api/platform/tenants/${slug}/resume`, { method: 'POST', token });
    expect(resumed.status).toBe(200);
    expect(await json(resumed)).toMatchObject({ tenant: { status: 'active' } });
    expect((await t.request(tenantHost, '/api/auth/me')).status).toBe(401);
    expect((await t.request('localhost', '/api/platform/tenants/nope-nope/suspend', { method: 'POST', token })).status).toBe(404);
  });

  it('migrates one tenant; the whole fleet only through a fleet job (no synchronous /migrate)', async () => {
    const one = await t.request('localhost', `/api/platform/tenants/${slug}/migrate`, { method: 'POST', token });
    expect(one.status).toBe(200);
    expect(await json(one)).toMatchObject({
      result: { slug, ok: true, applied: [], schemaVersion: expect.any(String), durationMs: expect.any(Number) },
    });
    // One way to migrate the fleet: POST /api/platform/jobs {kind: 'migrate'} (fleet-jobs tests).
    expect((await t.request('localhost', '/api/platform/migrate', { method: 'POST', token })).status).toBe(404);
    expect((await t.request('localhost', '/api/platform/tenants/nope-nope/migrate', { method: 'POST', token })).status).toBe(404);
  });

  it('reports health of one tenant and of all', async () => {
    const one = await t.request('localhost', `/api/platform/tenants/${slug}/health`, { token });
    expect(one.status).toBe(200);
    expect(await json(one)).toMatchObject({
      health: {
        slug,
        status: 'active',
        reachable: true,
        latencyMs: expect.any(Number),
        pendingMigrations: 0,
        sizeBytes: expect.any(Number),
        userCount: 1,
        maxUsers: 5,
      },
    });
    // The fleet's health is the registry's record of the last checks (the one above included).
    const all = await t.request('localhost', `/api/platform/health?q=${slug}`, { token });
    expect(all.status).toBe(200);
    const { tenants } = await json<{ tenants: { slug: string; health: { reachable: boolean } | null }[] }>(all);
    expect(tenants.find((h) => h.slug === slug)).toMatchObject({ health: { reachable: true } });
    expect((await t.request('localhost', '/api/platform/tenants/nope-nope/health', { token })).status).toBe(404);
  });

  it('adds, lists and removes custom domains, which route to the tenant', async () => {
    const domain = `shop-${slug}.example.com`;
    const added = await t.request('localhost', `/api/platform/tenants/${slug}/domains`, {
      method: 'POST',
      token,
      json: { domain: domain.toUpperCase(), primary: true },
    });
    expect(added.status).toBe(201);
    expect(await json(added)).toMatchObject({ domain: { domain, primary: true, id: expect.any(Number), createdAt: expect.any(String) } });
    const page = await t.request(domain, '/', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Acme Ltd');

    const dup = await t.request('localhost', `/api/platform/tenants/${slug}/domains`, { method: 'POST', token, json: { domain } });
    expect(dup.status).toBe(409);
    const underBase = await t.request('localhost', `/api/platform/tenants/${slug}/domains`, {
      method: 'POST',
      token,
      json: { domain: 'x.localhost' },
    });
    expect(underBase.status).toBe(400);
    const list = await t.request('localhost', `/api/platform/tenants/${slug}/domains`, { token });
    expect(await json(list)).toMatchObject({ domains: [{ domain }] });

    const removed = await t.request('localhost', `/api/platform/tenants/${slug}/domains/${domain}`, { method: 'DELETE', token });
    expect(removed.status).toBe(204);
    expect((await t.request(domain, '/api/auth/me')).status).toBe(404);
    expect((await t.request('localhost', `/api/platform/tenants/${slug}/domains/${domain}`, { method: 'DELETE', token })).status).toBe(404);
  });

  it('lists operations with filters, secrets masked', async () => {
    const all = await t.request('localhost', `/api/platform/operations?tenant=${slug}&limit=100`, { token });
    expect(all.status).toBe(200);
    const { operations } = await json<{ operations: { tenantSlug: string; action: string; outcome: string; actor: string }[] }>(all);
    expect(operations.length).toBeGreaterThan(0);
    expect(operations.every((o) => o.tenantSlug === slug)).toBe(true);
    expect(operations.map((o) => o.action)).toEqual(expect.arrayContaining(['create-tenant', 'suspend-tenant', 'resume-tenant']));
    expect(operations.find((o) => o.action === 'suspend-tenant')!.actor).toMatch(/^admin:root/);

    const filtered = await t.request('localhost', `/api/platform/operations?tenant=${slug}&action=suspend-tenant&outcome=succeeded`, {
      token,
    });
    const f = await json<{ operations: { action: string; outcome: string }[] }>(filtered);
    expect(f.operations.length).toBeGreaterThan(0);
    expect(f.operations.every((o) => o.action === 'suspend-tenant' && o.outcome === 'succeeded')).toBe(true);
    const limited = await t.request('localhost', '/api/platform/operations?limit=1', { token });
    expect((await json<{ operations: unknown[] }>(limited)).operations).toHaveLength(1);
    const empty = await t.request('localhost', '/api/platform/operations?tenant=&action=&outcome=', { token });
    expect(empty.status).toBe(200);
    const bad = await t.request('localhost', '/api/platform/operations?outcome=maybe&limit=0', { token });
    expect(bad.status).toBe(400);
  });

  it('deletes only with the typed confirmation, keeping or dropping the database', async () => {
    const wrong = await t.request('localhost', `/api/platform/tenants/${slug}`, {
      method: 'DELETE',
      token,
      json: { confirm: 'something-else', keepDatabase: false },
    });
    expect(wrong.status).toBe(400);
    expect(await json(wrong)).toMatchObject({ error: { code: 'ValidationFailed', details: [{ path: 'confirm' }] } });
    expect(await t.tenancy.registry.findTenant(slug)).not.toBeNull();

    const file = join(t.tenancy.dataDir, t.tenancy.registry && (await t.tenancy.registry.getTenant(slug)).db.name);
    expect(existsSync(file)).toBe(true);
    const res = await t.request('localhost', `/api/platform/tenants/${slug}`, {
      method: 'DELETE',
      token,
      json: { confirm: slug, keepDatabase: false },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ deleted: true, keptDatabase: false });
    expect(existsSync(file)).toBe(false);
    expect((await t.request(`${slug}.localhost`, '/api/auth/me')).status).toBe(404);
    expect((await t.request('localhost', `/api/platform/tenants/${slug}`, { token })).status).toBe(404);

    const kept = await t.createTenant();
    const keptFile = join(t.tenancy.dataDir, (await t.tenancy.registry.getTenant(kept.slug)).db.name);
    const res2 = await t.request('localhost', `/api/platform/tenants/${kept.slug}`, {
      method: 'DELETE',
      token,
      json: { confirm: kept.slug, keepDatabase: true },
    });
    expect(await json(res2)).toEqual({ deleted: true, keptDatabase: true });
    expect(existsSync(keptFile)).toBe(true);
  });

  it('every tenant route needs a platform session', async () => {
    const routes: [string, string][] = [
      ['GET', '/api/platform/tenants'],
      ['POST', '/api/platform/tenants'],
      ['GET', '/api/platform/tenants/x'],
      ['PATCH', '/api/platform/tenants/x'],
      ['DELETE', '/api/platform/tenants/x'],
      ['POST', '/api/platform/tenants/x/suspend'],
      ['POST', '/api/platform/tenants/x/resume'],
      ['POST', '/api/platform/tenants/x/migrate'],
      ['POST', '/api/platform/jobs'],
      ['GET', '/api/platform/tenants/x/health'],
      ['GET', '/api/platform/health'],
      ['GET', '/api/platform/tenants/x/domains'],
      ['POST', '/api/platform/tenants/x/domains'],
      ['DELETE', '/api/platform/tenants/x/domains/a.example.com'],
      ['GET', '/api/platform/operations'],
      ['GET', '/api/platform/auth/me'],
      ['POST', '/api/platform/auth/change-password'],
    ];
    for (const [method, path] of routes) {
      const res = await t.request('localhost', path, method === 'GET' ? { method } : { method, json: {} });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it('the platform API is not served on tenant hosts', async () => {
    const { host } = await t.createTenant();
    const res = await t.request(host, '/api/platform/tenants', { token });
    expect(res.status).toBe(404);
  });
});

describe('tenants that cannot serve', () => {
  it('a tenant still being provisioned answers 503', async () => {
    const { slug, host } = await t.createTenant();
    const record = await t.tenancy.registry.getTenant(slug);
    await t.tenancy.registry.updateTenant(record.id, { status: 'provisioning' });
    const res = await t.request(host, '/api/auth/me');
    expect(res.status).toBe(503);
    expect(await json(res)).toMatchObject({ error: { code: 'TenantUnavailable', message: expect.stringContaining('being set up') } });
    await t.tenancy.registry.updateTenant(record.id, { status: 'active' });
    expect((await t.request(host, '/api/auth/me')).status).toBe(401);
  });

  it('a tenant whose database is gone answers a generic 503; the details stay in the log', async () => {
    const { slug, host } = await t.createTenant();
    const record = await t.tenancy.registry.getTenant(slug);
    t.tenancy.connections.invalidate(record.id);
    await new Promise((r) => setTimeout(r, 50));
    rmSync(join(t.tenancy.dataDir, record.db.name), { force: true });
    const res = await t.request(host, '/api/auth/me');
    expect(res.status).toBe(503);
    const body = await json<{ error: { code: string; message: string } }>(res);
    expect(body.error.code).toBe('TenantUnavailable');
    expect(body.error.message).not.toContain(t.tenancy.dataDir);
    expect(body.error.message).not.toContain('.sqlite');
  });
});
