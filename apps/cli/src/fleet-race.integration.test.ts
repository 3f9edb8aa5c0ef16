import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrationNames, migrationStatus } from '@salesfleet/migrations';
import { createTestDatabase, type TestDatabase, testDialects, testServerUrls } from '@salesfleet/models/testing';
import { makeConfig, openSequelize, openTenancy, type Tenancy } from '@salesfleet/tenancy';
import { cleanEnv, runCli } from './testing/cli-workspace';

const postgres = (await testDialects()).includes('postgres');
const TENANTS = 6;

interface MigrateJson {
  ok: boolean;
  results: { slug: string; ok: boolean; applied: string[]; error?: string }[];
}

// Issue 16: two fleet migrations at once reported hundreds of spurious failures (both applied the same
// migration to the same tenant). Now each tenant's migration takes a registry lock: the second process
// waits for it and then finds nothing to apply.
describe.runIf(postgres)('two migrate-tenants processes at once on a PostgreSQL registry', () => {
  let registry: TestDatabase;
  let dataDir: string;
  let tenancy: Tenancy;
  let env: NodeJS.ProcessEnv;
  const slugs = Array.from({ length: TENANTS }, () => `race${randomBytes(4).toString('hex')}`);

  beforeAll(async () => {
    registry = await createTestDatabase('postgres');
    dataDir = mkdtempSync(join(tmpdir(), 'salesfleet-fleet-race-'));
    const secretKey = randomBytes(32).toString('base64url');
    // PostgreSQL tenants too: two processes applying the same DDL there failed loudly.
    const tenantServerUrl = testServerUrls.postgres;
    env = cleanEnv({
      SALESFLEET_DATA_DIR: dataDir,
      SALESFLEET_SECRET_KEY: secretKey,
      SALESFLEET_REGISTRY_URL: registry.url,
      SALESFLEET_TENANT_SERVER_URL: tenantServerUrl,
    });
    tenancy = await openTenancy(makeConfig({ dataDir, secretKey, registryUrl: registry.url, tenantServerUrl }), {
      migrateRegistry: true,
      templates: false,
    });
    for (const slug of slugs) {
      const created = await tenancy.provisioner.createTenant(
        { name: `Race ${slug}`, subdomain: slug, adminEmail: `owner@${slug}.test` },
        { actor: 'test' },
      );
      // Every migration pending (reverted to an empty schema): each tenant takes long enough to migrate
      // that both processes, walking the fleet in the same order, reach the same tenants at once.
      const sequelize = openSequelize(tenancy.registry.databaseSpecOf(created.tenant), { dataDir, connectTimeoutMs: 5000 });
      try {
        while ((await migrationStatus(sequelize, 'tenant')).applied.length > 0) await migrateDown(sequelize, 'tenant');
      } finally {
        await sequelize.close();
      }
    }
  });
  afterAll(async () => {
    for (const slug of slugs) {
      await tenancy?.provisioner.deleteTenant(slug, { actor: 'test', keepDatabase: false }).catch(() => undefined);
    }
    await tenancy?.close();
    await registry?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('give one result: every pending migration applied once, no failures, nothing pending after', async () => {
    const all = migrationNames('tenant').length;
    const runs = await Promise.all([0, 1].map(() => runCli(['migrate-tenants', '--json', '--concurrency', '3'], env, dataDir)));
    const outputs = runs.map((r) => JSON.parse(r.stdout) as MigrateJson);
    for (const [i, run] of runs.entries()) {
      // (stderr is not checked: a tenant migration prints a node-postgres deprecation warning there.)
      expect(run.code, `run ${i}`).toBe(0);
      expect(outputs[i]!.ok).toBe(true);
      expect(outputs[i]!.results.filter((r) => !r.ok)).toEqual([]);
    }
    for (const slug of slugs) {
      const applied = outputs.flatMap((o) => o.results.filter((r) => r.slug === slug).flatMap((r) => r.applied));
      expect(applied, slug).toHaveLength(all);
      const tenant = await tenancy.registry.getTenant(slug);
      const sequelize = openSequelize(tenancy.registry.databaseSpecOf(tenant), { dataDir, connectTimeoutMs: 5000 });
      try {
        expect((await migrationStatus(sequelize, 'tenant')).pending, slug).toEqual([]);
      } finally {
        await sequelize.close();
      }
    }
  });
});
