import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, type TestDatabase } from '@salesfleet/models/testing';
import { importDjangoUsers } from '@salesfleet/tenancy';
import { djangoHash, makeDjangoDatabase, type DjangoTestUser } from '@salesfleet/tenancy/testing';
import { callWithHost, createTestApp, type TestApp } from '../../testing/index';

const dialects = await testDialects();

// Django's own test vector for make_password('lètmein', 'seasalt') at 10000 iterations.
const ALICE_HASH = 'pbkdf2_sha256$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=';
const BOB_PASSWORD = 'kassa-2019 Ω';
const CAROL_PASSWORD = 'managed well 77';

// 'managers' as an old system may have spelled it: mapped onto the tenant's Managers, case ignored.
const GROUPS = ['Admin', 'managers', 'Cashiers', 'Warehouse'];
const USERS: DjangoTestUser[] = [
  { username: 'alice', email: 'Alice@Shop.example', password: ALICE_HASH, superuser: true, groups: ['Admin'] },
  {
    username: 'bob',
    email: 'bob@shop.example',
    password: djangoHash(BOB_PASSWORD, 'Qz8sPq1RtY0u', 20000),
    groups: ['Cashiers', 'Warehouse'],
  },
  {
    username: 'carol',
    email: 'carol@shop.example',
    password: djangoHash(CAROL_PASSWORD, 'k2J9mN4bV7cX', 20000),
    active: false,
    groups: ['managers'],
  },
  {
    username: 'dave',
    email: 'dave@shop.example',
    password: 'argon2$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHQ$aGFzaGhhc2hoYXNo',
    groups: ['Cashiers'],
  },
  { username: 'erin', email: 'erin@shop.example', password: '!q8Yk3nR2vB5xM7cZ1aS4dF6gH9jK0lP2oI3uY5tR' },
  { username: 'frank', email: '', password: djangoHash('whatever', 'abc', 1000) },
  {
    username: 'admin',
    email: 'old-admin@shop.example',
    password: djangoHash('old admin', 'def', 1000),
    superuser: true,
    groups: ['Admin'],
  },
];

describe.each(dialects)('import-users --from-django (Django database and tenant on %s)', (dialect) => {
  let t: TestApp;
  let django: TestDatabase;
  let slug: string;
  let host: string;
  let server: ServerType;
  let port: number;

  async function user(username: string) {
    const tenant = await t.tenancy.registry.getTenant(slug);
    return t.tenancy.connections.withTenant(tenant, async ({ models }) => {
      const row = await models.User.findOne({ where: { username }, include: [{ association: 'groups' }] });
      return row
        ? {
            passwordHash: row.passwordHash,
            isActive: row.isActive,
            isSuperuser: row.isSuperuser,
            mustChangePassword: row.mustChangePassword,
            email: row.email,
            groups: (row.groups ?? []).map((g) => g.name).sort(),
          }
        : null;
    });
  }
  const signIn = (login: string, password: string) =>
    callWithHost(port, host, '/api/auth/login', { method: 'POST', json: { login, password } }).then((r) => r.status);

  beforeAll(async () => {
    t = await createTestApp({ engine: dialect });
    ({ slug, host } = await t.createTenant({ maxUsers: 10 }));
    django = await makeDjangoDatabase(dialect, GROUPS, USERS);
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await django?.drop();
    await t?.cleanup();
  });

  it('a dry run reports what would happen and writes nothing', async () => {
    const result = await importDjangoUsers(t.tenancy, slug, django.url, { actor: 'test', dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.created.map((u) => u.username)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
    expect(await user('alice')).toBeNull();
    const ops = await t.tenancy.registry.listOperations({ tenant: slug, action: 'import-django-users' });
    expect(ops.some((o) => o.action === 'import-django-users' && o.outcome === 'succeeded')).toBe(true);
  });

  it('imports users and groups, keeps pbkdf2 hashes, marks other algorithms must-reset, and is idempotent', async () => {
    const progress: number[] = [];
    const result = await importDjangoUsers(t.tenancy, slug, django.url, { actor: 'test', onProgress: (p) => progress.push(p.done) });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(result.created).toEqual([
      { username: 'alice', email: 'alice@shop.example', isActive: true, isSuperuser: true, groups: ['Admin'], password: 'kept' },
      { username: 'bob', email: 'bob@shop.example', isActive: true, isSuperuser: false, groups: ['Cashiers'], password: 'kept' },
      { username: 'carol', email: 'carol@shop.example', isActive: false, isSuperuser: false, groups: ['Managers'], password: 'kept' },
      {
        username: 'dave',
        email: 'dave@shop.example',
        isActive: true,
        isSuperuser: false,
        groups: ['Cashiers'],
        password: 'must-reset',
        mustResetReason: 'argon2',
      },
      {
        username: 'erin',
        email: 'erin@shop.example',
        isActive: true,
        isSuperuser: false,
        groups: [],
        password: 'must-reset',
        mustResetReason: 'unusable',
      },
    ]);
    expect(result.existing).toEqual([{ username: 'admin', matchedBy: 'username' }]);
    expect(result.skippedUsers).toEqual([{ username: 'frank', reason: 'no email (tenant users need one)' }]);
    expect(result.skippedGroups).toEqual([{ name: 'Warehouse', members: 1 }]);
    expect(result.mappedGroups.map((g) => g.tenant).sort()).toEqual(['Admin', 'Cashiers', 'Managers']);

    expect(await user('alice')).toMatchObject({
      passwordHash: ALICE_HASH,
      isSuperuser: true,
      groups: ['Admin'],
      mustChangePassword: false,
    });
    expect(await user('carol')).toMatchObject({ isActive: false, groups: ['Managers'] });
    const dave = await user('dave');
    expect(dave!.passwordHash.startsWith('!')).toBe(true);
    expect(dave!.passwordHash).not.toContain('argon2');

    const again = await importDjangoUsers(t.tenancy, slug, django.url, { actor: 'test' });
    expect(again.created).toEqual([]);
    expect(again.existing.map((e) => e.username)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin', 'admin']);
  });

  it('over HTTP: the old password signs in and its hash is replaced; wrong, inactive and must-reset users are refused', async () => {
    expect(await signIn('alice', 'lètmein-wrong')).toBe(401);
    expect((await user('alice'))!.passwordHash).toBe(ALICE_HASH);
    expect(await signIn('alice', 'lètmein')).toBe(200);
    const rehashed = (await user('alice'))!.passwordHash;
    expect(rehashed.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(await signIn('alice', 'lètmein')).toBe(200);
    expect((await user('alice'))!.passwordHash).toBe(rehashed);
    expect(await signIn('alice', 'lètmein-wrong')).toBe(401);

    expect(await signIn('bob@shop.example', BOB_PASSWORD)).toBe(200);
    expect((await user('bob'))!.passwordHash.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    // Inactive stays inactive: the right password does not get in, and the Django hash stays.
    expect(await signIn('carol', CAROL_PASSWORD)).toBe(401);
    expect((await user('carol'))!.passwordHash.startsWith('pbkdf2_sha256$')).toBe(true);
    expect(await signIn('dave', 'anything at all')).toBe(401);
    // The tenant's own admin was not overwritten by the Django "admin".
    expect(await signIn('admin', 'old admin')).toBe(401);
  });
});
