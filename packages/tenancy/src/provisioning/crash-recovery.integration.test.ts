import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import { driverFor, managedDatabaseName, parseDatabaseUrl, sqliteTenantPath, type DatabaseSpec } from '../drivers/index';
import { createTestTenancy, testSlug, type TestTenancy } from '../testing/index';

const dialects = (await testDialects()).filter((d) => d === 'sqlite' || d === 'postgres');
const actor = 'test:crash-recovery';
const child = fileURLToPath(new URL('../testing/create-tenant-child.ts', import.meta.url));

/** Starts creating `slug` in a child process and kill -9s it once it reaches `stopAt`. */
async function createAndKill(t: TestTenancy, secretKey: string, slug: string, stopAt: string): Promise<void> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child], {
    env: {
      ...process.env,
      SALESFLEET_CHILD: JSON.stringify({ dataDir: t.dataDir, secretKey, tenantServerUrl: t.config.tenantServerUrl, slug, stopAt }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(`AT ${stopAt}`)) {
        proc.kill('SIGKILL');
        resolve();
      }
    });
    proc.on('exit', (code) => reject(new Error(`child exited (${code}) before ${stopAt}: ${out} ${err}`)));
  });
  await new Promise((resolve) => proc.once('exit', resolve));
}

function managedSpec(t: TestTenancy, engine: string, slug: string): DatabaseSpec {
  if (engine === 'sqlite')
    return { engine: 'sqlite', database: sqliteTenantPath(slug), host: null, port: null, user: null, password: null };
  return { ...parseDatabaseUrl(t.config.tenantServerUrl!), database: managedDatabaseName(slug) };
}

describe.each(dialects)('a creation killed with SIGKILL (%s)', (engine) => {
  it.each(['migrate', 'seed', 'activate'])('right before %s: reported, then a retry succeeds at once', async (stopAt) => {
    const secretKey = `crash-${randomBytes(16).toString('hex')}`;
    const t = await createTestTenancy({ engine: engine as 'sqlite' | 'postgres', secretKey, templates: false });
    try {
      const slug = testSlug('crash');
      await createAndKill(t, secretKey, slug, stopAt);

      // What it left: a row in provisioning whose creator is gone, and (for migrate: just after
      // CREATE DATABASE) its database.
      const spec = managedSpec(t, engine, slug);
      const ctx = { dataDir: t.dataDir, connectTimeoutMs: 5000 };
      expect(await driverFor(spec.engine).exists(spec, ctx)).toBe(true);
      expect((await t.registry.getTenant(slug)).status).toBe('provisioning');
      const orphans = await t.provisioner.findOrphans();
      expect(orphans.abandoned.map((a) => a.slug)).toContain(slug);

      // The retry does not wait out any stale window, and is not stopped by the leftover database.
      const created = await t.provisioner.createTenant({ name: 'Retried', subdomain: slug, adminEmail: 'a@crash.test' }, { actor });
      expect(created.tenant).toMatchObject({ status: 'active', provisioning: null });
      expect(await t.provisioner.tenantHealth(slug)).toMatchObject({ reachable: true, userCount: 1, pendingMigrations: 0 });
      expect((await t.provisioner.findOrphans()).abandoned.map((a) => a.slug)).not.toContain(slug);
      await t.provisioner.deleteTenant(slug, { actor });
      expect(await driverFor(spec.engine).exists(spec, ctx)).toBe(false);
    } finally {
      await t.cleanup();
    }
  });

  it('reports a database named like ours that no tenant owns, and removes it on request', async () => {
    const t = await createTestTenancy({ engine: engine as 'sqlite' | 'postgres', templates: false });
    try {
      const spec = managedSpec(t, engine, testSlug('orphan'));
      const ctx = { dataDir: t.dataDir, connectTimeoutMs: 5000 };
      await driverFor(spec.engine).create(spec, ctx);
      const orphan = (await t.provisioner.findOrphans()).databases.find((d) => d.name === spec.database);
      expect(orphan).toBeDefined();
      // `only`: the test server is shared with parallel tests, whose databases must stay.
      const removed = await t.provisioner.removeOrphans({ actor, only: [spec.database] });
      expect(removed.droppedDatabases).toEqual([orphan!.where]);
      expect(await driverFor(spec.engine).exists(spec, ctx)).toBe(false);
    } finally {
      await t.cleanup();
    }
  });
});
