import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readManifest } from '@salesfleet/build';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrationNames, migrationStatus } from '@salesfleet/migrations';
import { makeConfig, openSequelize, openTenancy, type Tenancy } from '@salesfleet/tenancy';
import { BIN, createCliWorkspace, type CliWorkspace } from './testing/cli-workspace';

const APP_DIR = join(dirname(BIN), '..');

const TENANTS = 4;
const last = migrationNames('tenant').at(-1)!;

/** The text output without what differs between two runs (timings, and the column widths they set). */
function normalized(stdout: string): string {
  return stdout.replace(/\b\d+(\.\d+)?\s?(ms|s|m)\b/g, 'T').replace(/ +/g, ' ');
}

// The compiled CLI (as users run it) applies on worker threads, started from the build's own
// compiled worker entry: same output, same operations log, every tenant migrated.
describe('migrate-tenants on worker threads (compiled CLI, SQLite tenants)', () => {
  let ws: CliWorkspace;
  let tenancy: Tenancy;
  const slugs: string[] = [];

  /** Reverts every tenant's last migration: one pending each. */
  async function revertLast(): Promise<void> {
    for (const slug of slugs) {
      const sequelize = openSequelize(tenancy.registry.databaseSpecOf(await tenancy.registry.getTenant(slug)), {
        dataDir: ws.dataDir,
        connectTimeoutMs: 5000,
      });
      try {
        await migrateDown(sequelize, 'tenant');
        expect((await migrationStatus(sequelize, 'tenant')).pending).toEqual([last]);
      } finally {
        await sequelize.close();
      }
    }
  }

  async function pendingOf(slug: string): Promise<string[]> {
    const sequelize = openSequelize(tenancy.registry.databaseSpecOf(await tenancy.registry.getTenant(slug)), {
      dataDir: ws.dataDir,
      connectTimeoutMs: 5000,
    });
    try {
      return (await migrationStatus(sequelize, 'tenant')).pending;
    } finally {
      await sequelize.close();
    }
  }

  beforeAll(async () => {
    ws = await createCliWorkspace('sqlite');
    tenancy = await openTenancy(makeConfig({ dataDir: ws.dataDir, secretKey: ws.env.SALESFLEET_SECRET_KEY! }), {
      migrateRegistry: true,
      templates: false,
    });
    for (let i = 0; i < TENANTS; i++) {
      const slug = ws.slug('thr');
      slugs.push(slug);
      await tenancy.provisioner.createTenant(
        { name: `Threads ${i}`, subdomain: slug, adminEmail: `owner@${slug}.test` },
        { actor: 'test' },
      );
    }
  });
  afterAll(async () => {
    await tenancy?.close();
    await ws?.cleanup();
  });

  it('applies the pending migration to every tenant with the same output and operations log as in-process', async () => {
    await revertLast();
    const before = (await ws.operations()).length;
    const inProcess = await ws.run(['migrate-tenants', '--concurrency', '3', '--threads', '0']);
    expect(inProcess.code, inProcess.stderr).toBe(0);
    const logged = (await ws.operations()).length - before;
    for (const slug of slugs) expect(await pendingOf(slug), slug).toEqual([]);

    await revertLast();
    const threaded = await ws.run(['migrate-tenants', '--concurrency', '3', '--threads', '2']);
    expect(threaded.code, threaded.stderr).toBe(0);
    for (const slug of slugs) expect(await pendingOf(slug), slug).toEqual([]);
    expect(normalized(threaded.stdout)).toBe(normalized(inProcess.stdout));
    expect(threaded.stdout).toContain(`${TENANTS} tenants: ${TENANTS} migrated (${TENANTS} migrations applied)`);
    expect((await ws.operations()).length - before).toBe(2 * logged);

    // The build made the workers' compiled entry, next to the bundle (MigrateWorkers starts it there).
    const manifest = readManifest(APP_DIR)!;
    expect(existsSync(join(APP_DIR, 'dist', manifest.id, 'migrate-worker.js'))).toBe(true);
  });

  it('--json by default (a fleet below FLEET_WORKERS_FROM_TENANTS: in this process) reports what it applied per tenant', async () => {
    await revertLast();
    const run = await ws.run(['migrate-tenants', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { ok: boolean; results: { slug: string; ok: boolean; applied: string[] }[] };
    expect(out.ok).toBe(true);
    expect(out.results.map((r) => [r.slug, r.ok, r.applied]).sort()).toEqual(slugs.map((s) => [s, true, [last]]).sort());
  });
});
