import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialectAvailable, type TestDatabase } from '@salesfleet/models/testing';
import { loadConfig, openTenancy, resetTenantUserPassword, type Tenancy } from '@salesfleet/tenancy';
import { tenantRecord } from '@salesfleet/tenancy/testing';
import { callWithHost as call, startApiProcess, TEST_PASSWORD, untilStatus as until, type ApiProcess } from '../../testing';
import { CACHE_MAX_AGE_MS, PermissionCache, SESSION_CACHE_TTL_MS, type TenantUserSnapshot } from './tenant-sessions';

// Issue 15: a warm signed-in request reads no session from the database while this process read it
// less than a second ago; every sign-out, password change, deactivation and group change drops it
// at once, here and (through the registry's change notification) in every other API process.

const user: TenantUserSnapshot = {
  id: 7,
  username: 'cashier',
  email: 'cashier@example.com',
  firstName: '',
  lastName: '',
  isActive: true,
  isSuperuser: false,
  mustChangePassword: false,
  lastLoginAt: null,
};
const tenant = tenantRecord('cached', { id: 42, createdAt: new Date(5000) });
const entry = { sessionId: 1, userId: user.id, user, expiresAt: Date.now() + 3_600_000, lastSeenAt: Date.now(), createdAt: Date.now() };

describe('the session cache of one process', () => {
  it('reuses a session for at most SESSION_CACHE_TTL_MS (1 s)', () => {
    expect(SESSION_CACHE_TTL_MS).toBeLessThanOrEqual(1000);
    const cache = new PermissionCache();
    const t0 = 1_000_000;
    cache.rememberSession(tenant, 'h1', entry, { now: t0, generation: cache.generation });
    expect(cache.session(tenant, 'h1', t0 + SESSION_CACHE_TTL_MS - 1)).toMatchObject({ sessionId: 1 });
    expect(cache.session(tenant, 'h1', t0 + SESSION_CACHE_TTL_MS)).toBeNull();
  });

  it('keys sessions by tenant: the same token hash of another (or a re-created) tenant is not found', () => {
    const cache = new PermissionCache();
    cache.rememberSession(tenant, 'h1', entry, { now: 0, generation: cache.generation });
    expect(cache.session(tenantRecord('other', { id: 43 }), 'h1', 1)).toBeNull();
    expect(cache.session(tenantRecord('cached', { id: 42, createdAt: new Date(0) }), 'h1', 1)).toBeNull();
    expect(cache.session(tenant, 'h1', 1)).not.toBeNull();
  });

  it('forget drops the user’s sessions (and only theirs), and a read that a forget overtook is not kept', () => {
    const cache = new PermissionCache();
    cache.rememberSession(tenant, 'h1', entry, { now: 0, generation: cache.generation });
    cache.rememberSession(
      tenant,
      'h2',
      { ...entry, sessionId: 2, userId: 8, user: { ...user, id: 8 } },
      { now: 0, generation: cache.generation },
    );
    cache.forget(tenant, user.id);
    expect(cache.session(tenant, 'h1', 1)).toBeNull();
    expect(cache.session(tenant, 'h2', 1)).not.toBeNull();
    const before = cache.generation;
    cache.forget(tenant);
    cache.rememberSession(tenant, 'h3', entry, { now: 0, generation: before });
    expect(cache.session(tenant, 'h3', 1)).toBeNull();
    expect(cache.session(tenant, 'h2', 1)).toBeNull();
  });
});

/** A channel and a change feed whose confirmation the test sets. */
function fakeFeed() {
  const listeners: ((change: { kind: string; tenantId: number; userId?: number; remote?: boolean }) => void)[] = [];
  const resyncs: (() => void)[] = [];
  const feed = {
    confirmed: 0,
    channel: {
      emit: (change: { kind: 'tenant-users-changed'; tenantId: number; slug: string; userId?: number }) => {
        for (const l of listeners) l(change);
      },
      onChange: (l: (typeof listeners)[number]) => {
        listeners.push(l);
        return () => undefined;
      },
    },
    changes: {
      confirmedAt: () => feed.confirmed,
      onResync: (l: () => void) => {
        resyncs.push(l);
        return () => undefined;
      },
    },
    remote: (change: { kind: string; tenantId: number; userId?: number }) => {
      for (const l of listeners) l({ ...change, remote: true });
    },
    resync: () => {
      for (const l of resyncs) l();
    },
  };
  return feed;
}

describe('the session cache with a change feed', () => {
  const t0 = 1_000_000;

  it('reuses a session past SESSION_CACHE_TTL_MS only while the feed has delivered every change older than that, and never past CACHE_MAX_AGE_MS', () => {
    const feed = fakeFeed();
    const cache = new PermissionCache();
    cache.connect(feed.channel, feed.changes);
    cache.rememberSession(tenant, 'h1', entry, { now: t0, generation: cache.generation });
    const later = t0 + 10 * SESSION_CACHE_TTL_MS;
    // Confirmed up to just after (later - 1 s): every revocation older than a second has arrived.
    feed.confirmed = later - SESSION_CACHE_TTL_MS + 1;
    expect(cache.session(tenant, 'h1', later)).toMatchObject({ sessionId: 1 });
    feed.confirmed = t0 + CACHE_MAX_AGE_MS;
    expect(cache.session(tenant, 'h1', t0 + CACHE_MAX_AGE_MS)).toBeNull();
  });

  it('reads the session again once the feed is more than SESSION_CACHE_TTL_MS behind (a lost listener, a failing poll)', () => {
    const feed = fakeFeed();
    const cache = new PermissionCache();
    cache.connect(feed.channel, feed.changes);
    cache.rememberSession(tenant, 'h1', entry, { now: t0, generation: cache.generation });
    const later = t0 + 3 * SESSION_CACHE_TTL_MS;
    feed.confirmed = later - SESSION_CACHE_TTL_MS;
    expect(cache.session(tenant, 'h1', later)).toBeNull();
    // Dropped, not just hidden: a feed that catches up does not bring it back.
    feed.confirmed = later;
    expect(cache.session(tenant, 'h1', later)).toBeNull();
  });

  it('drops everything at a resync, and a tenant’s sessions when another process announces the tenant changed', () => {
    const feed = fakeFeed();
    const cache = new PermissionCache();
    cache.connect(feed.channel, feed.changes);
    const other = tenantRecord('other', { id: 43, createdAt: new Date(5000) });
    cache.rememberSession(tenant, 'h1', entry, { now: t0, generation: cache.generation });
    cache.rememberSession(other, 'h2', entry, { now: t0, generation: cache.generation });
    feed.remote({ kind: 'tenant-changed', tenantId: tenant.id });
    expect(cache.session(tenant, 'h1', t0)).toBeNull();
    expect(cache.session(other, 'h2', t0)).not.toBeNull();
    feed.resync();
    expect(cache.session(other, 'h2', t0)).toBeNull();
  });
});

describe('the session cache and its channel', () => {
  it('drops a user’s sessions announced in this process without it (a console password reset)', () => {
    const { channel } = fakeFeed();
    const cache = new PermissionCache();
    cache.connect(channel);
    cache.rememberSession(tenant, 'h1', entry, { now: 0, generation: cache.generation });
    channel.emit({ kind: 'tenant-users-changed', tenantId: tenant.id, slug: tenant.slug, userId: user.id });
    expect(cache.session(tenant, 'h1', 1)).toBeNull();
  });
});

describe.runIf(await dialectAvailable('postgres'))('two caches on one PostgreSQL registry (its change notification)', () => {
  let registry: TestDatabase;
  let dir: string;
  let tenancies: Tenancy[];

  beforeAll(async () => {
    registry = await createTestDatabase('postgres');
    dir = mkdtempSync(join(tmpdir(), 'salesfleet-session-cache-'));
    const config = loadConfig({
      SALESFLEET_DATA_DIR: dir,
      SALESFLEET_SECRET_KEY: randomBytes(32).toString('base64url'),
      SALESFLEET_REGISTRY_URL: registry.url,
    });
    tenancies = [await openTenancy(config, { migrateRegistry: true, listen: true }), await openTenancy(config, { listen: true })];
  });
  afterAll(async () => {
    for (const t of tenancies ?? []) await t.close();
    await registry?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a forget in one drops the session in the other, however recently that one read it', async () => {
    const [a, b] = [new PermissionCache(), new PermissionCache()];
    a.connect(tenancies[0]!.registry);
    b.connect(tenancies[1]!.registry);
    // Remembered "now" and asked at that same instant: only a dropped entry can be missing.
    b.rememberSession(tenant, 'h1', entry, { now: 0, generation: b.generation });
    b.rememberSession(tenant, 'h2', { ...entry, userId: 8 }, { now: 0, generation: b.generation });
    a.forget(tenant, user.id);
    for (let i = 0; i < 200 && b.session(tenant, 'h1', 0); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(b.session(tenant, 'h1', 0)).toBeNull();
    expect(b.session(tenant, 'h2', 0)).not.toBeNull();
  });
});

describe.runIf(await dialectAvailable('postgres'))('two API processes on one PostgreSQL registry', () => {
  let registry: TestDatabase;
  let dir: string;
  let servers: ApiProcess[] = [];
  const host = 'revoke.localhost';

  beforeAll(async () => {
    registry = await createTestDatabase('postgres');
    dir = mkdtempSync(join(tmpdir(), 'salesfleet-session-revoke-'));
    const env = { SALESFLEET_SECRET_KEY: randomBytes(32).toString('base64url'), SALESFLEET_REGISTRY_URL: registry.url };
    const tenancy = await openTenancy(loadConfig({ SALESFLEET_DATA_DIR: dir, ...env }), { migrateRegistry: true });
    try {
      await tenancy.provisioner.createTenant(
        {
          name: 'Revoke',
          subdomain: 'revoke',
          adminEmail: 'admin@revoke.example.com',
          adminUsername: 'admin',
          adminPassword: TEST_PASSWORD,
        },
        { actor: 'test' },
      );
    } finally {
      await tenancy.close();
    }
    servers = await Promise.all([startApiProcess({ dataDir: dir, env }), startApiProcess({ dataDir: dir, env })]);
  }, 180_000);
  afterAll(async () => {
    for (const s of servers) s.kill();
    await registry?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signIn(port: number, login: string, password: string): Promise<string> {
    const res = await call(port, host, '/api/auth/login', { method: 'POST', json: { login, password } });
    expect(res.status).toBe(200);
    return (JSON.parse(res.body) as { token: string }).token;
  }

  it('sign-out, password change, group change and deactivation in one process end the session in the other', async () => {
    const [a, b] = [servers[0]!.port, servers[1]!.port];
    // Sign-out on A; B held the session (a request just now).
    const first = await signIn(a, 'admin', TEST_PASSWORD);
    expect((await call(b, host, '/api/products?limit=20', { token: first })).status).toBe(200);
    expect((await call(a, host, '/api/auth/logout', { method: 'POST', token: first })).status).toBe(204);
    await until(() => call(b, host, '/api/products?limit=20', { token: first }), 401);

    // A cashier, signed in on B; the admin works on A.
    const admin = await signIn(a, 'admin', TEST_PASSWORD);
    const created = await call(a, host, '/api/users', {
      method: 'POST',
      token: admin,
      json: { username: 'clerk', email: 'clerk@revoke.example.com', groups: ['Cashiers'] },
    });
    expect(created.status).toBe(201);
    const { user: clerk, oneTimePassword } = JSON.parse(created.body) as { user: { id: number }; oneTimePassword: string };
    const once = await signIn(b, 'clerk', oneTimePassword);
    const newPassword = 'another horse battery staple 43';
    expect(
      (
        await call(b, host, '/api/auth/change-password', {
          method: 'POST',
          token: once,
          json: { currentPassword: oneTimePassword, newPassword },
        })
      ).status,
    ).toBe(200);
    const onB = await signIn(b, 'clerk', newPassword);
    const onA = await signIn(a, 'clerk', newPassword);
    expect((await call(b, host, '/api/products?limit=20', { token: onB })).status).toBe(200);

    // A password change on A ends the clerk's other sessions, also the one B holds.
    expect(
      (
        await call(a, host, '/api/auth/change-password', {
          method: 'POST',
          token: onA,
          json: { currentPassword: newPassword, newPassword: TEST_PASSWORD },
        })
      ).status,
    ).toBe(200);
    await until(() => call(b, host, '/api/products?limit=20', { token: onB }), 401);

    // Groups changed on A: B stops granting what the group gave.
    const again = await signIn(b, 'clerk', TEST_PASSWORD);
    expect((await call(b, host, '/api/products?limit=20', { token: again })).status).toBe(200);
    expect((await call(a, host, `/api/users/${clerk.id}/groups`, { method: 'PUT', token: admin, json: { groups: [] } })).status).toBe(200);
    await until(() => call(b, host, '/api/products?limit=20', { token: again }), 403);

    // Deactivated on A: the session B holds ends.
    expect((await call(b, host, '/api/auth/me', { token: again })).status).toBe(200);
    expect((await call(a, host, `/api/users/${clerk.id}/deactivate`, { method: 'POST', token: admin })).status).toBe(200);
    await until(() => call(b, host, '/api/auth/me', { token: again }), 401);
  }, 120_000);
});

describe.runIf(await dialectAvailable('postgres'))('a password reset by the CLI, with an API process running (PostgreSQL registry)', () => {
  let registry: TestDatabase;
  let dir: string;
  let server: ApiProcess | undefined;
  let config: ReturnType<typeof loadConfig>;
  const host = 'cli-reset.localhost';

  beforeAll(async () => {
    registry = await createTestDatabase('postgres');
    dir = mkdtempSync(join(tmpdir(), 'salesfleet-cli-reset-'));
    const env = { SALESFLEET_SECRET_KEY: randomBytes(32).toString('base64url'), SALESFLEET_REGISTRY_URL: registry.url };
    config = loadConfig({ SALESFLEET_DATA_DIR: dir, ...env });
    const tenancy = await openTenancy(config, { migrateRegistry: true });
    try {
      await tenancy.provisioner.createTenant(
        {
          name: 'CLI reset',
          subdomain: 'cli-reset',
          adminEmail: 'admin@cli-reset.example.com',
          adminUsername: 'admin',
          adminPassword: TEST_PASSWORD,
        },
        { actor: 'test' },
      );
    } finally {
      await tenancy.close();
    }
    server = await startApiProcess({ dataDir: dir, env });
  }, 180_000);
  afterAll(async () => {
    server?.kill();
    await registry?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends the session in the API at once, not when the API’s cached copy runs out', async () => {
    const port = server!.port;
    // The CLI's own opening of the registry (no listening), as `pnpm cli tenant-users --reset-password` does;
    // the tenant's database is opened once first so the reset itself is quick.
    const cli = await openTenancy(config, {});
    try {
      await cli.provisioner.tenantUsers('cli-reset');
      const login = await call(port, host, '/api/auth/login', { method: 'POST', json: { login: 'admin', password: TEST_PASSWORD } });
      expect(login.status).toBe(200);
      const { token } = JSON.parse(login.body) as { token: string };
      // The API reads the new session now and may reuse it until SESSION_CACHE_TTL_MS after this.
      const cachedFrom = Date.now();
      expect((await call(port, host, '/api/auth/me', { token })).status).toBe(200);
      const reset = await resetTenantUserPassword(cli, 'cli-reset', 'admin', { actor: 'cli:test' });
      expect(reset.oneTimePassword).toBeTruthy();
      await cli.close(); // the CLI exits: what it announced must have left
      await until(() => call(port, host, '/api/auth/me', { token }), 401);
      // Only an announcement dropped it this early: unannounced, the API answered 200 until its copy ran out.
      expect(Date.now() - cachedFrom).toBeLessThan(SESSION_CACHE_TTL_MS);
    } finally {
      await cli.close();
    }
  }, 120_000);
});
