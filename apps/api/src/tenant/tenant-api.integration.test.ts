import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../testing';

const dialects = await testDialects();

const json = async <T = Record<string, unknown>>(res: Response): Promise<T> => (await res.json()) as T;

describe.each(dialects)('tenant API on %s', (dialect) => {
  let t: TestApp;
  let a: { slug: string; host: string };
  let b: { slug: string; host: string };
  let adminA: string;
  let adminB: string;

  beforeAll(async () => {
    t = await createTestApp({ engine: dialect });
    [a, b] = await Promise.all([t.createTenant({ maxUsers: 3 }), t.createTenant({ multiLocation: true })]);
    [adminA, adminB] = await Promise.all([t.tenantLogin(a.host), t.tenantLogin(b.host)]);
  });

  afterAll(async () => {
    await t.cleanup();
  });

  describe('sign-in', () => {
    it('signs in by username or email (any case), with cookie and token', async () => {
      for (const login of ['admin', `ADMIN@${a.slug}.example.com`]) {
        const res = await t.request(a.host, '/api/auth/login', { method: 'POST', json: { login, password: TEST_PASSWORD } });
        expect(res.status).toBe(200);
        const body = await json<{ user: { username: string; isSuperuser: boolean }; token: string; expiresAt: string }>(res);
        expect(body.user).toMatchObject({ username: 'admin', isSuperuser: true });
        expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 11 * 3600_000);
        const cookie = res.headers.get('set-cookie')!;
        expect(cookie).toContain(`sf_session=${body.token}`);
        expect(cookie).toMatch(/HttpOnly/i);
        expect(cookie).toMatch(/SameSite=Lax/i);
        expect(cookie).not.toMatch(/Domain=/i);
      }
    });

    it('stores only a hash of the session token', async () => {
      const token = await t.tenantLogin(a.host);
      const rows = await t.tenancy.connections.withTenant(await t.tenancy.registry.getTenant(a.slug), ({ models }) =>
        models.Session.findAll({ raw: true }),
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(rows)).not.toContain(token);
    });

    it('answers wrong passwords and unknown users alike, and throttles both', async () => {
      const wrong = await t.request(a.host, '/api/auth/login', {
        method: 'POST',
        peer: '10.9.0.1',
        json: { login: 'admin', password: 'nope nope nope' },
      });
      const unknown = await t.request(a.host, '/api/auth/login', {
        method: 'POST',
        peer: '10.9.0.1',
        json: { login: 'nobody', password: 'nope nope nope' },
      });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      const [w, u] = [await json<{ error: Record<string, string> }>(wrong), await json<{ error: Record<string, string> }>(unknown)];
      expect(u.error.code).toBe('InvalidCredentials');
      expect(u.error.message).toBe(w.error.message);
      for (let i = 0; i < 4; i++) {
        await t.request(a.host, '/api/auth/login', { method: 'POST', peer: `10.9.1.${i}`, json: { login: 'nobody', password: 'x' } });
      }
      const blocked = await t.request(a.host, '/api/auth/login', {
        method: 'POST',
        peer: '10.9.1.200',
        json: { login: 'nobody', password: 'x' },
      });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('throttles per tenant: failures on one tenant do not block the same name on another', async () => {
      const user = 'throttled';
      for (let i = 0; i < 5; i++) {
        await t.request(a.host, '/api/auth/login', { method: 'POST', peer: `10.9.2.${i}`, json: { login: user, password: 'x' } });
      }
      expect(
        (await t.request(a.host, '/api/auth/login', { method: 'POST', peer: '10.9.2.50', json: { login: user, password: 'x' } })).status,
      ).toBe(429);
      expect(
        (await t.request(b.host, '/api/auth/login', { method: 'POST', peer: '10.9.2.50', json: { login: user, password: 'x' } })).status,
      ).toBe(401);
    });

    it('me answers the user, their permissions and groups; 401 without a session', async () => {
      const res = await t.request(a.host, '/api/auth/me', { token: adminA });
      expect(res.status).toBe(200);
      const body = await json<{ user: { username: string }; permissions: string[]; groups: string[] }>(res);
      expect(body.user.username).toBe('admin');
      expect(body.permissions).toContain('sales.add_invoice');
      expect(body.permissions).toContain('auth.manage_users');
      expect(body.groups).toEqual(['Admin', 'Cashiers', 'Managers']);
      expect((await t.request(a.host, '/api/auth/me')).status).toBe(401);
    });

    it('cookie sessions: reads work, writes need a same-origin Origin', async () => {
      const cookie = `sf_session=${adminA}`;
      expect((await t.request(a.host, '/api/auth/me', { headers: { cookie } })).status).toBe(200);
      const noOrigin = await t.request(a.host, '/api/locations', { method: 'POST', headers: { cookie }, json: { code: 'X', name: 'X' } });
      expect(noOrigin.status).toBe(403);
      expect(await json(noOrigin)).toMatchObject({ error: { code: 'CsrfRejected' } });
      const otherTenant = await t.request(a.host, '/api/locations', {
        method: 'POST',
        headers: { cookie, origin: `http://${b.host}` },
        json: { code: 'X', name: 'X' },
      });
      expect(otherTenant.status).toBe(403);
      const same = await t.request(a.host, '/api/locations', {
        method: 'POST',
        headers: { cookie, origin: `http://${a.host}` },
        json: { code: 'X2', name: 'Second' },
      });
      expect(same.status).toBe(409); // past CSRF: single-location tenant
    });

    it('logout ends the session', async () => {
      const token = await t.tenantLogin(a.host);
      // Used just before: this process holds the session in its cache, and the sign-out drops it.
      expect((await t.request(a.host, '/api/auth/me', { token })).status).toBe(200);
      const out = await t.request(a.host, '/api/auth/logout', { method: 'POST', token });
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toMatch(/sf_session=;/);
      expect((await t.request(a.host, '/api/auth/me', { token })).status).toBe(401);
    });

    it('a one-time password must be changed first; every other route answers 403 until then', async () => {
      const created = await t.request(a.host, '/api/users', {
        method: 'POST',
        token: adminA,
        json: { username: 'newbie', email: 'newbie@example.com', groups: ['Cashiers'] },
      });
      expect(created.status).toBe(201);
      const { oneTimePassword } = await json<{ oneTimePassword: string }>(created);
      const login = await t.request(a.host, '/api/auth/login', { method: 'POST', json: { login: 'newbie', password: oneTimePassword } });
      expect(login.status).toBe(200);
      const { token, user } = await json<{ token: string; user: { mustChangePassword: boolean } }>(login);
      expect(user.mustChangePassword).toBe(true);
      expect((await t.request(a.host, '/api/auth/me', { token })).status).toBe(200);
      const blocked = await t.request(a.host, '/api/locations', { token });
      expect(blocked.status).toBe(403);
      expect(await json(blocked)).toMatchObject({ error: { code: 'PasswordChangeRequired' } });
      const weak = await t.request(a.host, '/api/auth/change-password', {
        method: 'POST',
        token,
        json: { currentPassword: oneTimePassword, newPassword: 'newbie12345678' },
      });
      expect(weak.status).toBe(400);
      const changed = await t.request(a.host, '/api/auth/change-password', {
        method: 'POST',
        token,
        json: { currentPassword: oneTimePassword, newPassword: 'my own long passphrase' },
      });
      expect(changed.status).toBe(200);
      expect(await json(changed)).toMatchObject({ user: { mustChangePassword: false } });
      expect((await t.request(a.host, '/api/locations', { token })).status).toBe(200);
      expect(
        (await t.request(a.host, '/api/auth/login', { method: 'POST', json: { login: 'newbie', password: oneTimePassword } })).status,
      ).toBe(401);
    });
  });

  describe('permissions', () => {
    let cashier: string;

    beforeAll(async () => {
      const res = await t.request(b.host, '/api/users', {
        method: 'POST',
        token: adminB,
        json: { username: 'cashier', email: 'cashier@example.com', password: 'till operator phrase 7', groups: ['Cashiers'] },
      });
      expect(res.status).toBe(201);
      cashier = await t.tenantLogin(b.host, 'cashier', 'till operator phrase 7');
    });

    it('403 without the permission, 200 with it, 401 without a session', async () => {
      expect((await t.request(b.host, '/api/locations', { token: cashier })).status).toBe(200); // sales.view_location
      const users = await t.request(b.host, '/api/users', { token: cashier });
      expect(users.status).toBe(403);
      expect(await json(users)).toMatchObject({ error: { code: 'PermissionDenied', details: { permission: 'auth.view_user' } } });
      expect((await t.request(b.host, '/api/locations', { method: 'POST', token: cashier, json: { code: 'C', name: 'C' } })).status).toBe(
        403,
      );
      expect((await t.request(b.host, '/api/users')).status).toBe(401);
    });

    it('a change of groups applies to the next request', async () => {
      const list = await json<{ users: { id: number; username: string }[] }>(
        await t.request(b.host, '/api/users?search=cashier', { token: adminB }),
      );
      const id = list.users.find((u) => u.username === 'cashier')!.id;
      const set = await t.request(b.host, `/api/users/${id}/groups`, { method: 'PUT', token: adminB, json: { groups: ['Managers'] } });
      expect(set.status).toBe(200);
      expect(await json(set)).toMatchObject({ user: { groups: ['Managers'] } });
      expect((await t.request(b.host, '/api/users', { token: cashier })).status).toBe(200); // auth.view_user via Managers
      await t.request(b.host, `/api/users/${id}/groups`, { method: 'PUT', token: adminB, json: { groups: ['Cashiers'] } });
      expect((await t.request(b.host, '/api/users', { token: cashier })).status).toBe(403);
    });
  });

  describe('users and groups', () => {
    it('lists users with groups, searches and pages', async () => {
      const res = await t.request(a.host, '/api/users?limit=1', { token: adminA });
      expect(res.status).toBe(200);
      const body = await json<{ users: { groups: string[] }[]; total: number; limit: number; offset: number }>(res);
      expect(body.users).toHaveLength(1);
      expect(body.total).toBeGreaterThanOrEqual(2);
      // The page fields every list answers (PageFields): the workspace's pager reads them.
      expect(body).toMatchObject({ limit: 1, offset: 0 });
      const all = await json<{ users: unknown[]; total: number; limit: number; offset: number }>(
        await t.request(a.host, '/api/users', { token: adminA }),
      );
      expect(all).toMatchObject({ total: body.total, limit: 50, offset: 0 });
      expect(all.users).toHaveLength(body.total);
      const second = await json<{ users: unknown[]; offset: number; limit: number }>(
        await t.request(a.host, '/api/users?limit=1&offset=1', { token: adminA }),
      );
      expect(second).toMatchObject({ limit: 1, offset: 1 });
      expect(second.users).toHaveLength(1);
      const search = await json<{ users: { username: string }[] }>(await t.request(a.host, '/api/users?search=NEWB', { token: adminA }));
      expect(search.users.map((u) => u.username)).toEqual(['newbie']);
      expect((await t.request(a.host, '/api/users?limit=0', { token: adminA })).status).toBe(400);
    });

    it('enforces the max users with a 409 that names the limit', async () => {
      // a has maxUsers 3: admin + newbie + this one.
      const third = await t.request(a.host, '/api/users', {
        method: 'POST',
        token: adminA,
        json: { username: 'third', email: 'third@example.com' },
      });
      expect(third.status).toBe(201);
      const fourth = await t.request(a.host, '/api/users', {
        method: 'POST',
        token: adminA,
        json: { username: 'fourth', email: 'fourth@example.com' },
      });
      expect(fourth.status).toBe(409);
      const body = await json<{ error: { code: string; message: string; details: { limit: string; maxUsers: number } } }>(fourth);
      expect(body.error.code).toBe('LimitReached');
      expect(body.error.message).toContain('3');
      expect(body.error.details).toMatchObject({ limit: 'maxUsers', maxUsers: 3 });
    });

    it('updates, deactivates (ending sessions), resets passwords', async () => {
      const list = await json<{ users: { id: number; username: string }[] }>(await t.request(a.host, '/api/users', { token: adminA }));
      const third = list.users.find((u) => u.username === 'third')!;
      const upd = await t.request(a.host, `/api/users/${third.id}`, {
        method: 'PATCH',
        token: adminA,
        json: { firstName: 'Tina', email: 'tina@example.com' },
      });
      expect(upd.status).toBe(200);
      expect(await json(upd)).toMatchObject({ user: { firstName: 'Tina', email: 'tina@example.com' } });
      const taken = await t.request(a.host, `/api/users/${third.id}`, {
        method: 'PATCH',
        token: adminA,
        json: { email: 'NEWBIE@example.com' },
      });
      expect(taken.status).toBe(409);

      const reset = await t.request(a.host, `/api/users/${third.id}/reset-password`, { method: 'POST', token: adminA });
      expect(reset.status).toBe(200);
      const { oneTimePassword } = await json<{ oneTimePassword: string }>(reset);
      const session = await t.tenantLogin(a.host, 'third', oneTimePassword);
      expect((await t.request(a.host, '/api/auth/me', { token: session })).status).toBe(200);

      const off = await t.request(a.host, `/api/users/${third.id}/deactivate`, { method: 'POST', token: adminA });
      expect(off.status).toBe(200);
      expect(await json(off)).toMatchObject({ user: { isActive: false } });
      expect((await t.request(a.host, '/api/auth/me', { token: session })).status).toBe(401);
      expect(
        (await t.request(a.host, '/api/auth/login', { method: 'POST', json: { login: 'third', password: oneTimePassword } })).status,
      ).toBe(401);
      // A seat is free again.
      const fourth = await t.request(a.host, '/api/users', {
        method: 'POST',
        token: adminA,
        json: { username: 'fourth', email: 'fourth@example.com' },
      });
      expect(fourth.status).toBe(201);
      // Re-activating would exceed the limit.
      const again = await t.request(a.host, `/api/users/${third.id}`, { method: 'PATCH', token: adminA, json: { isActive: true } });
      expect(again.status).toBe(409);
    });

    it('refuses to deactivate yourself and answers 404 for missing users', async () => {
      const me = await json<{ user: { id: number } }>(await t.request(a.host, '/api/auth/me', { token: adminA }));
      expect((await t.request(a.host, `/api/users/${me.user.id}/deactivate`, { method: 'POST', token: adminA })).status).toBe(409);
      for (const id of ['99999', 'abc', '0', '-1']) {
        expect((await t.request(a.host, `/api/users/${id}`, { token: adminA })).status, id).toBe(404);
        expect(
          (await t.request(a.host, `/api/users/${id}/groups`, { method: 'PUT', token: adminA, json: { groups: [] } })).status,
          id,
        ).toBe(404);
      }
    });

    it('validates new users and refuses unknown groups', async () => {
      const bad = await t.request(b.host, '/api/users', {
        method: 'POST',
        token: adminB,
        json: { username: 'has space', email: 'x', password: 'short' },
      });
      expect(bad.status).toBe(400);
      const paths = (await json<{ error: { details: { path: string }[] } }>(bad)).error.details.map((d) => d.path);
      expect(paths).toEqual(expect.arrayContaining(['username', 'email', 'password']));
      const group = await t.request(b.host, '/api/users', {
        method: 'POST',
        token: adminB,
        json: { username: 'g1', email: 'g1@example.com', groups: ['Wizards'] },
      });
      expect(group.status).toBe(400);
      const dup = await t.request(b.host, '/api/users', {
        method: 'POST',
        token: adminB,
        json: { username: 'cashier', email: 'other@example.com' },
      });
      expect(dup.status).toBe(409);
    });

    it('lists groups with permissions and every permission', async () => {
      const groups = await json<{ groups: { name: string; permissions: string[] }[] }>(
        await t.request(a.host, '/api/groups', { token: adminA }),
      );
      expect(groups.groups.map((g) => g.name)).toEqual(['Admin', 'Cashiers', 'Managers']);
      expect(groups.groups.find((g) => g.name === 'Cashiers')!.permissions).toContain('sales.add_invoice');
      const perms = await json<{ permissions: { codename: string }[] }>(await t.request(a.host, '/api/permissions', { token: adminA }));
      expect(perms.permissions.map((p) => p.codename)).toContain('auth.manage_users');
    });
  });

  describe('locations', () => {
    it('a single-location tenant keeps exactly one', async () => {
      const list = await json<{ locations: { id: number; code: string }[] }>(await t.request(a.host, '/api/locations', { token: adminA }));
      expect(list.locations).toHaveLength(1);
      const second = await t.request(a.host, '/api/locations', { method: 'POST', token: adminA, json: { code: 'SECOND', name: 'Second' } });
      expect(second.status).toBe(409);
      expect(await json(second)).toMatchObject({ error: { code: 'LimitReached', details: { limit: 'multiLocation' } } });
      const only = list.locations[0]!;
      expect(
        (await t.request(a.host, `/api/locations/${only.id}`, { method: 'PATCH', token: adminA, json: { isActive: false } })).status,
      ).toBe(409);
      expect((await t.request(a.host, `/api/locations/${only.id}`, { method: 'DELETE', token: adminA })).status).toBe(409);
      const renamed = await t.request(a.host, `/api/locations/${only.id}`, { method: 'PATCH', token: adminA, json: { name: 'Flagship' } });
      expect(await json(renamed)).toMatchObject({ location: { name: 'Flagship', code: only.code } });
    });

    it('a multi-location tenant creates, reads, updates and deletes locations', async () => {
      const created = await t.request(b.host, '/api/locations', {
        method: 'POST',
        token: adminB,
        json: { code: 'WH1', name: 'Warehouse', address: '1 Dock Rd' },
      });
      expect(created.status).toBe(201);
      const { location } = await json<{ location: { id: number; code: string; isActive: boolean } }>(created);
      expect(location).toMatchObject({ code: 'WH1', isActive: true });
      expect(
        (await t.request(b.host, '/api/locations', { method: 'POST', token: adminB, json: { code: 'WH1', name: 'Again' } })).status,
      ).toBe(409);
      expect(
        (await t.request(b.host, '/api/locations', { method: 'POST', token: adminB, json: { code: 'bad code!', name: '' } })).status,
      ).toBe(400);
      expect((await t.request(b.host, `/api/locations/${location.id}`, { token: adminB })).status).toBe(200);
      const off = await t.request(b.host, `/api/locations/${location.id}`, { method: 'PATCH', token: adminB, json: { isActive: false } });
      expect(await json(off)).toMatchObject({ location: { isActive: false } });
      expect((await t.request(b.host, `/api/locations/${location.id}`, { method: 'DELETE', token: adminB })).status).toBe(204);
      expect((await t.request(b.host, `/api/locations/${location.id}`, { token: adminB })).status).toBe(404);
      expect((await t.request(b.host, '/api/locations/424242', { method: 'PATCH', token: adminB, json: { name: 'x' } })).status).toBe(404);
    });
  });

  describe('a newly opened tenant handle', () => {
    // Its own app with no spare instances: a PostgreSQL handle reopened on `t` may take a spare
    // instance whose models earlier handles already defined (tenant-instances.ts).
    let cold: TestApp;
    let c: { slug: string; host: string };
    let adminC: string;
    beforeAll(async () => {
      cold = await createTestApp({ engine: dialect, config: { spareTenantInstances: 0 } });
      c = await cold.createTenant();
      adminC = await cold.tenantLogin(c.host);
    });
    afterAll(async () => {
      await cold?.cleanup();
    });

    it('answers the product list and its session, defining only the models they read', async () => {
      const created = await cold.request(c.host, '/api/products', {
        method: 'POST',
        token: adminC,
        json: { sku: 'COLD-1', name: 'Cold start widget', unitPrice: 250 },
      });
      expect(created.status).toBe(201);
      await cold.tenancy.connections.evict(c.slug);
      const res = await cold.request(c.host, '/api/products?limit=20', { token: adminC });
      expect(res.status).toBe(200);
      expect(await json(res)).toMatchObject({ products: expect.arrayContaining([expect.objectContaining({ sku: 'COLD-1', stock: [] })]) });
      const tenant = await cold.tenancy.registry.getTenant(c.slug);
      const defined = await cold.tenancy.connections.withTenant(tenant, ({ sequelize }) => Object.keys(sequelize.models).sort());
      // Session + its user, the products and their stock; the permission models when this process
      // had no cached permissions for the user. Never the rest (groups' associations, tax rates,
      // locations, sales, accounting).
      const permissionModels = ['Group', 'GroupPermission', 'Permission', 'UserGroup'];
      expect(defined.filter((name) => !permissionModels.includes(name))).toEqual(['Product', 'Session', 'StockLevel', 'User']);
      // The user's own associations were not needed, so not wired.
      const userAssociations = await cold.tenancy.connections.withTenant(tenant, ({ sequelize }) =>
        Object.keys(sequelize.models.User!.associations),
      );
      expect(userAssociations).toEqual([]);
    });
  });

  describe('isolation between tenants', () => {
    it("A's session token is worthless on B", async () => {
      const res = await t.request(b.host, '/api/auth/me', { token: adminA });
      expect(res.status).toBe(401);
      expect((await t.request(b.host, '/api/auth/me', { headers: { cookie: `sf_session=${adminA}` } })).status).toBe(401);
    });

    it("A's record ids answer 404 on B", async () => {
      const created = await t.request(b.host, '/api/locations', {
        method: 'POST',
        token: adminB,
        json: { code: 'ONLYB', name: 'Only on B' },
      });
      const onB = (await json<{ location: { id: number } }>(created)).location;
      const aLocations = await json<{ locations: { id: number }[] }>(await t.request(a.host, '/api/locations', { token: adminA }));
      expect(aLocations.locations.some((l) => l.id === onB.id)).toBe(false);
      expect((await t.request(a.host, `/api/locations/${onB.id}`, { token: adminA })).status).toBe(404);
      const bUsers = await json<{ users: { id: number; username: string }[] }>(await t.request(b.host, '/api/users', { token: adminB }));
      const cashierId = bUsers.users.find((u) => u.username === 'cashier')!.id;
      const aUserIds = (
        await json<{ users: { id: number }[] }>(await t.request(a.host, '/api/users?limit=200', { token: adminA }))
      ).users.map((u) => u.id);
      if (!aUserIds.includes(cashierId)) expect((await t.request(a.host, `/api/users/${cashierId}`, { token: adminA })).status).toBe(404);
      expect((await t.request(a.host, '/api/users/4242', { token: adminA })).status).toBe(404);
    });

    it('a write on A is never visible on B', async () => {
      const res = await t.request(a.host, '/api/users', {
        method: 'POST',
        token: adminA,
        json: { username: 'onlyona', email: 'onlyona@example.com' },
      });
      // a may be at its limit; free a seat first when it is.
      if (res.status === 409) {
        const users = await json<{ users: { id: number; username: string; isActive: boolean }[] }>(
          await t.request(a.host, '/api/users', { token: adminA }),
        );
        const victim = users.users.find((u) => u.username === 'fourth')!;
        await t.request(a.host, `/api/users/${victim.id}/deactivate`, { method: 'POST', token: adminA });
        expect(
          (
            await t.request(a.host, '/api/users', {
              method: 'POST',
              token: adminA,
              json: { username: 'onlyona', email: 'onlyona@example.com' },
            })
          ).status,
        ).toBe(201);
      } else {
        expect(res.status).toBe(201);
      }
      const onB = await json<{ users: { username: string }[] }>(await t.request(b.host, '/api/users?search=onlyona', { token: adminB }));
      expect(onB.users).toEqual([]);
      const onA = await json<{ users: { username: string }[] }>(await t.request(a.host, '/api/users?search=onlyona', { token: adminA }));
      expect(onA.users.map((u) => u.username)).toEqual(['onlyona']);
    });
  });
});
