import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, makeConfig, openTenancy } from '@salesfleet/tenancy';
import { callWithHost as call, startApiProcess, TEST_PASSWORD, untilStatus, type ApiProcess } from '../testing';
import { workerConfig, workerCount } from './workers';

// Issue 15.5: `pnpm start` with SALESFLEET_WORKERS=2 runs two full API processes on one port; what
// one worker changes in the registry (here: a user's groups) reaches the other at once although the
// registry is SQLite (no LISTEN/NOTIFY): the primary relays it. The sign-in throttle counts in the
// registry, so attempts spread over both workers count together.

describe('worker count and budget', () => {
  it('SALESFLEET_WORKERS: a number, or auto (one per core), the default', () => {
    expect(workerCount(undefined, 8)).toBe(8);
    expect(workerCount(1, 8)).toBe(1);
    expect(workerCount('auto', 2)).toBe(2);
    expect(workerCount(3, 2)).toBe(3);
  });

  it('divides the open tenant handles between the workers (the connection budget is the whole server’s)', () => {
    const config = makeConfig({ dataDir: '/tmp/x', secretKey: 'k'.repeat(32), maxOpenTenants: 100 });
    expect(workerConfig(config, 1).maxOpenTenants).toBe(100);
    expect(workerConfig(config, 2).maxOpenTenants).toBe(50);
    expect(workerConfig(config, 2).secretKey).toBe(config.secretKey);
    expect(workerConfig(config, 3).maxOpenTenants).toBe(33);
    expect(workerConfig({ ...config, maxOpenTenants: 1 }, 4).maxOpenTenants).toBe(1);
  });
});

describe('pnpm start with two workers on a SQLite registry', () => {
  let dir: string;
  let api: ApiProcess;
  const host = 'pair.localhost';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'salesfleet-workers-'));
    const env = { SALESFLEET_SECRET_KEY: randomBytes(32).toString('base64url') };
    const tenancy = await openTenancy(loadConfig({ SALESFLEET_DATA_DIR: dir, ...env }), { migrateRegistry: true });
    try {
      await tenancy.provisioner.createTenant(
        { name: 'Pair', subdomain: 'pair', adminEmail: 'admin@pair.example.com', adminUsername: 'admin', adminPassword: TEST_PASSWORD },
        { actor: 'test' },
      );
    } finally {
      await tenancy.close();
    }
    api = await startApiProcess({ dataDir: dir, env: { ...env, SALESFLEET_WORKERS: '2' } });
  }, 180_000);
  afterAll(() => {
    api?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signIn(login: string, password: string): Promise<string> {
    const res = await call(api.port, host, '/api/auth/login', { method: 'POST', json: { login, password } });
    expect(res.status).toBe(200);
    return (JSON.parse(res.body) as { token: string }).token;
  }

  it('serves from both workers; a group change and a sign-out in one worker hold in the other at once; the throttle counts over both', async () => {
    expect(api.output()).toMatch(/running on port \d+ \(2 workers\)/);
    const admin = await signIn('admin', TEST_PASSWORD);
    const created = await call(api.port, host, '/api/users', {
      method: 'POST',
      token: admin,
      json: { username: 'clerk', email: 'clerk@pair.example.com', groups: ['Cashiers'] },
    });
    expect(created.status).toBe(201);
    const { user: clerk, oneTimePassword } = JSON.parse(created.body) as { user: { id: number }; oneTimePassword: string };
    const once = await signIn('clerk', oneTimePassword);
    const password = 'another horse battery staple 43';
    const changed = await call(api.port, host, '/api/auth/change-password', {
      method: 'POST',
      token: once,
      json: { currentPassword: oneTimePassword, newPassword: password },
    });
    expect(changed.status).toBe(200);
    const token = await signIn('clerk', password);
    // Connections are handed to the workers in turn: both now hold the clerk's permissions (30 s).
    for (let i = 0; i < 6; i++) expect((await call(api.port, host, '/api/products?limit=20', { token })).status).toBe(200);

    expect(
      (await call(api.port, host, `/api/users/${clerk.id}/groups`, { method: 'PUT', token: admin, json: { groups: [] } })).status,
    ).toBe(200);
    await untilStatus(() => call(api.port, host, '/api/products?limit=20', { token }), 403);
    // Every later request, whichever worker answers it, is refused.
    for (let i = 0; i < 6; i++) expect((await call(api.port, host, '/api/products?limit=20', { token })).status).toBe(403);

    // Six wrong passwords, alternating between the workers: the sixth is throttled.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (await call(api.port, host, '/api/auth/login', { method: 'POST', json: { login: 'admin', password: 'wrong password, again' } }))
          .status,
      );
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);

    // A sign-out answered by one worker ends the session in the other (which read it a moment ago).
    for (let i = 0; i < 4; i++) expect((await call(api.port, host, '/api/users', { token: admin })).status).toBe(200);
    expect((await call(api.port, host, '/api/auth/logout', { method: 'POST', token: admin })).status).toBe(204);
    await untilStatus(() => call(api.port, host, '/api/users', { token: admin }), 401);
    for (let i = 0; i < 6; i++) expect((await call(api.port, host, '/api/users', { token: admin })).status).toBe(401);

    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
  }, 120_000);
});
