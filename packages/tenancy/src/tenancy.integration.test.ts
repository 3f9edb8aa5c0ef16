import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '@salesfleet/models';
import { dialectAvailable } from '@salesfleet/models/testing';
import { loadDotEnv, makeConfig } from './config';
import type { RegistryChange } from './registry/registry';
import { initRegistry, openTenancy, platformUrl, tenantUrl } from './tenancy';
import { createTestTenancy, testSlug } from './testing/index';
import { DatabaseUnreachable, RegistryNotReady } from '@salesfleet/contracts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'salesfleet-tenancy-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('openTenancy and initRegistry', () => {
  it('refuses an unmigrated registry, then init migrates it and creates the first admin once', async () => {
    const config = makeConfig({ dataDir: tempDir() });
    await expect(openTenancy(config)).rejects.toBeInstanceOf(RegistryNotReady);

    const tenancy = await openTenancy(config, { migrateRegistry: true });
    try {
      const first = await initRegistry(tenancy, { actor: 'cli:test' });
      expect(first.migrated.length).toBeGreaterThan(0);
      expect(first.admin).toMatchObject({ username: 'admin', mustChangePassword: true });
      expect(first.admin!.oneTimePassword).toBeTruthy();
      expect(await tenancy.registry.authenticatePlatformAdmin('admin', first.admin!.oneTimePassword!)).toMatchObject({ username: 'admin' });
      const second = await initRegistry(tenancy, { actor: 'cli:test', admin: { password: 'whatever it is long enough' } });
      expect(second).toMatchObject({ migrated: first.migrated, admin: null, platformAdmins: 1 });
      const ops = await tenancy.operations.list({ action: 'init-registry' });
      expect(ops.length).toBeGreaterThan(0);
    } finally {
      await tenancy.close();
    }
    // Other commands now open it without migrating.
    const again = await openTenancy(config);
    await again.close();
  });

  it('creates the first admin with a given password after checking its strength', async () => {
    const tenancy = await openTenancy(makeConfig({ dataDir: tempDir() }), { migrateRegistry: true });
    try {
      await expect(initRegistry(tenancy, { actor: 't', admin: { username: 'root', password: 'short' } })).rejects.toMatchObject({
        code: 'ValidationFailed',
      });
      const result = await initRegistry(tenancy, {
        actor: 't',
        admin: { username: 'Root', email: 'ops@example.com', password: 'a sufficiently long passphrase' },
      });
      expect(result.admin).toMatchObject({ username: 'root', email: 'ops@example.com', mustChangePassword: false });
      expect(result.admin).not.toHaveProperty('oneTimePassword');
      const row = await tenancy.registry.models.PlatformAdmin.findOne({ where: { username: 'root' } });
      expect(await verifyPassword('a sufficiently long passphrase', row!.passwordHash)).toBe(true);
    } finally {
      await tenancy.close();
    }
  });

  it('reports an unreachable registry without its password', async () => {
    const config = makeConfig({ dataDir: tempDir(), registryUrl: 'postgres://u:Registry-Pw-123@127.0.0.1:1/reg', dbConnectTimeoutMs: 500 });
    const err = await openTenancy(config).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(DatabaseUnreachable);
    expect((err as Error).message).not.toContain('Registry-Pw-123');
  });

  it('builds tenant and platform URLs for development and production', () => {
    const dev = makeConfig({ dataDir: tempDir(), baseDomains: ['localhost'], port: 8000 });
    expect(tenantUrl(dev, 'acme')).toBe('http://acme.localhost:8000/');
    expect(platformUrl(dev)).toBe('http://localhost:8000/');
    const prod = makeConfig({ dataDir: tempDir(), baseDomains: ['example.com'], nodeEnv: 'production', secretKey: 'k'.repeat(40) });
    expect(tenantUrl(prod, 'acme')).toBe('https://acme.example.com/');
  });

  it('loads .env without overriding variables that are set', () => {
    const dir = tempDir();
    const file = join(dir, '.env');
    writeFileSync(file, 'SALESFLEET_TEST_DOTENV_A=from-file\nSALESFLEET_TEST_DOTENV_B=from-file\n');
    process.env.SALESFLEET_TEST_DOTENV_B = 'from-env';
    try {
      expect(loadDotEnv(file)).toBe(true);
      expect(process.env.SALESFLEET_TEST_DOTENV_A).toBe('from-file');
      expect(process.env.SALESFLEET_TEST_DOTENV_B).toBe('from-env');
      expect(loadDotEnv(join(dir, 'missing.env'))).toBe(false);
    } finally {
      delete process.env.SALESFLEET_TEST_DOTENV_A;
      delete process.env.SALESFLEET_TEST_DOTENV_B;
    }
  });
});

describe.runIf(await dialectAvailable('postgres'))('a registry on PostgreSQL', () => {
  it('tells other processes about changes (LISTEN/NOTIFY) so their routers forget at once', async () => {
    const a = await createTestTenancy({ registryEngine: 'postgres', listen: true, routerTtlMs: 600_000 });
    const b = await createTestTenancy({
      dataDir: a.dataDir,
      listen: true,
      routerTtlMs: 600_000,
      config: { registryUrl: a.config.registryUrl },
    });
    try {
      const { tenant } = await a.provisioner.createTenant(
        { name: 'Shared', subdomain: testSlug(), adminEmail: 's@s.test' },
        { actor: 't' },
      );
      const host = `${tenant.slug}.localhost`;
      expect(await b.router.resolveHost(host)).toMatchObject({ kind: 'tenant' });
      const heard = new Promise<RegistryChange>((resolve) => {
        const off = b.registry.onChange((c) => {
          if (c.remote && c.slug === tenant.slug) {
            off();
            resolve(c);
          }
        });
      });
      await a.provisioner.suspendTenant(tenant.slug, { actor: 't' });
      expect(await heard).toMatchObject({ kind: 'tenant-changed', remote: true });
      expect(await b.router.resolveHost(host)).toMatchObject({ kind: 'unavailable', reason: 'suspended' });

      // The listening connections are killed (a server restart, a proxy timeout): they come back.
      const database = new URL(a.config.registryUrl!).pathname.slice(1);
      const listeners = async () => {
        const [rows] = await a.registry.sequelize.query(
          `SELECT pid FROM pg_stat_activity WHERE application_name = 'salesfleet-listen' AND datname = '${database}'`,
        );
        return rows as { pid: number }[];
      };
      const killed = await listeners();
      expect(killed.length).toBe(2);
      await a.registry.sequelize.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN (${killed.map((r) => r.pid).join(',')})`,
      );
      for (let i = 0; i < 100; i++) {
        const now = await listeners();
        if (now.length === 2 && now.every((r) => !killed.some((k) => k.pid === r.pid))) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const heardAgain = new Promise<RegistryChange>((resolve) => {
        const off = b.registry.onChange((c) => {
          if (c.remote && c.slug === tenant.slug) {
            off();
            resolve(c);
          }
        });
      });
      await a.provisioner.resumeTenant(tenant.slug, { actor: 't' });
      expect(await heardAgain).toMatchObject({ kind: 'tenant-changed', remote: true });
      expect(await b.router.resolveHost(host)).toMatchObject({ kind: 'tenant' });
    } finally {
      await b.close();
      await a.cleanup();
    }
  });
});
