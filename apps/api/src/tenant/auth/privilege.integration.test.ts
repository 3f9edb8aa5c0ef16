import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonApi, TEST_PASSWORD, type TestApp } from '../../testing';

// Issue 10 item 4: an Admin-group user who is not a superuser reset the superuser's password (200
// with a one-time password), changed their email and deactivated them. Nobody may act on an account
// with more privileges than their own, nor grant what they do not hold.
describe('acting on accounts with more privileges', () => {
  let t: TestApp;
  let host: string;
  let root: string;
  let deputy: string;
  let userManager: string;
  const ids: Record<string, number> = {};
  const api = jsonApi(() => ({ t, host, token: root }));

  beforeAll(async () => {
    t = await createTestApp();
    ({ host } = await t.createTenant());
    root = await t.tenantLogin(host);
    ids.root = (await api.get('/auth/me')).body.user.id;
    // A group that may manage users but holds nothing else, and one with reports only.
    const tenant = await t.tenancy.registry.getTenant(host.split('.')[0]!);
    await t.tenancy.connections.withTenant(tenant, async ({ models }) => {
      const perms = await models.Permission.findAll({
        where: { codename: ['auth.manage_users', 'auth.view_user', 'accounting.view_reports'] },
      });
      const id = (codename: string) => perms.find((p) => p.codename === codename)!.id;
      const managers = await models.Group.create({ name: 'User managers' });
      await models.GroupPermission.bulkCreate(
        [id('auth.manage_users'), id('auth.view_user')].map((permissionId) => ({ groupId: managers.id, permissionId })),
      );
      const auditors = await models.Group.create({ name: 'Auditors' });
      await models.GroupPermission.create({ groupId: auditors.id, permissionId: id('accounting.view_reports') });
    });
    for (const [username, groups] of [
      ['deputy', ['Admin']],
      ['usermanager', ['User managers']],
      ['cashier', ['Cashiers']],
      ['viewer', []],
    ] as const) {
      const res = await api.post('/users', { username, email: `${username}@example.com`, password: TEST_PASSWORD, groups });
      expect(res.status, username).toBe(201);
      ids[username] = res.body.user.id;
    }
    deputy = await t.tenantLogin(host, 'deputy');
    userManager = await t.tenantLogin(host, 'usermanager');
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('refuses an Admin-group user every action on the superuser', async () => {
    const as = { token: deputy };
    const attempts = [
      await api.call('POST', `/users/${ids.root}/reset-password`, as),
      await api.call('PATCH', `/users/${ids.root}`, { ...as, json: { email: 'taken-over@evil.example' } }),
      await api.call('PATCH', `/users/${ids.root}`, { ...as, json: { isActive: false } }),
      await api.call('POST', `/users/${ids.root}/deactivate`, as),
      await api.call('PUT', `/users/${ids.root}/groups`, { ...as, json: { groups: [] } }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('PermissionDenied');
      expect(res.body).not.toHaveProperty('oneTimePassword');
    }
    // The superuser is untouched and can still sign in.
    const me = await api.get('/auth/me');
    expect(me.body.user).toMatchObject({ email: expect.stringMatching(/^admin@/), isActive: true, isSuperuser: true });
    expect(await t.tenantLogin(host)).toBeTruthy();
  });

  it('lets the Admin-group user act on accounts with fewer privileges', async () => {
    const reset = await api.call('POST', `/users/${ids.cashier}/reset-password`, { token: deputy });
    expect(reset.status).toBe(200);
    expect(reset.body.oneTimePassword).toEqual(expect.any(String));
  });

  it('refuses a user manager acting on an account holding permissions they lack', async () => {
    const as = { token: userManager };
    for (const target of [ids.deputy, ids.cashier]) {
      expect((await api.call('POST', `/users/${target}/reset-password`, as)).status).toBe(403);
      expect((await api.call('POST', `/users/${target}/deactivate`, as)).status).toBe(403);
    }
    // A user with no permissions at all is within reach.
    expect((await api.call('PATCH', `/users/${ids.viewer}`, { ...as, json: { firstName: 'Vera' } })).status).toBe(200);
  });

  it('refuses granting groups whose permissions the granter lacks, on create and on update', async () => {
    const as = { token: userManager };
    for (const groups of [['Auditors'], ['Admin'], ['Cashiers']]) {
      const set = await api.call('PUT', `/users/${ids.viewer}/groups`, { ...as, json: { groups } });
      expect(set.status, groups.join()).toBe(403);
      const created = await api.call('POST', '/users', {
        ...as,
        json: {
          username: `new${groups[0]!.toLowerCase()}`,
          email: `new-${groups[0]!.toLowerCase()}@example.com`,
          password: TEST_PASSWORD,
          groups,
        },
      });
      expect(created.status, groups.join()).toBe(403);
    }
    const viewer = await api.get(`/users/${ids.viewer}`);
    expect(viewer.body.user.groups).toEqual([]);
    // Their own group is theirs to give.
    expect((await api.call('PUT', `/users/${ids.viewer}/groups`, { ...as, json: { groups: ['User managers'] } })).status).toBe(200);
  });
});
