import { fileURLToPath } from 'node:url';
import { DataTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import { MigrateWorkers, type MigrationResult } from './provisioning/index';
import { createTestTenancy, testSlug, until, type TestTenancy } from './testing/index';

// Issue 15.4: a fleet migration whose per-tenant work runs in worker threads (every core) applies a
// new migration to every tenant exactly once — also with two fleet migrations at once — and reports
// a tenant whose migration fails as that tenant's failure, the others going on.

const MODULE = fileURLToPath(new URL('./testing/worker-migrations.ts', import.meta.url));

describe.each(await testDialects())('fleet migration in worker threads on %s', (engine) => {
  let t: TestTenancy;

  beforeAll(async () => {
    t = await createTestTenancy({ engine });
  }, 60_000);

  afterAll(async () => {
    await t?.cleanup();
  }, 60_000);

  it('applies a new migration to every tenant once, reports a failing tenant, and says what it did per tenant', async () => {
    const slugs = [testSlug(), testSlug(), testSlug(), testSlug()];
    for (const slug of slugs)
      await t.provisioner.createTenant({ name: slug, subdomain: slug, adminEmail: `admin@${slug}.example.com` }, { actor: 'test' });
    const column = `worker_note_${Date.now().toString(36)}`;
    const name = `20991231-0002-test-${column}`;
    // One tenant already has the column: its migration fails (duplicate column), the others' do not.
    const broken = slugs[2]!;
    await t.connections.withTenant(await t.registry.getTenant(broken), (handle) =>
      handle.sequelize.getQueryInterface().addColumn('products', column, { type: DataTypes.STRING(50), allowNull: true }),
    );
    await t.connections.evict(broken);

    const tenants = await Promise.all(slugs.map((slug) => t.registry.getTenant(slug)));
    const progress: string[] = [];
    // The two simultaneous runs share a pool kept open across runs; the third starts its own two workers.
    const pool = await MigrateWorkers.start(2);
    onTestFinished(() => pool.close());
    const run = (onProgress?: (done: number, total: number, r: MigrationResult) => void, workers: number | MigrateWorkers = pool) =>
      t.provisioner.migrateTenants({
        actor: 'test',
        tenants,
        skipRegistry: true,
        concurrency: 3,
        workers,
        migrations: { module: MODULE, exportName: 'withProductColumn', args: [column] },
        onProgress,
      });
    // Two fleet migrations at once: the per-tenant lock lets one apply, the other finds nothing pending.
    const [a, b] = await Promise.all([run((_done, _total, r) => progress.push(r.slug)), run()]);

    expect([...progress].sort()).toEqual([...slugs].sort());
    for (const result of [a, b]) {
      expect(result.results.map((r) => r.slug).sort()).toEqual([...slugs].sort());
      expect(result.ok).toBe(false);
    }
    for (const slug of slugs) {
      const mine = [a, b].map((x) => x.results.find((r) => r.slug === slug)!);
      if (slug === broken) {
        for (const r of mine) {
          expect(r.ok).toBe(false);
          expect(r.error).toMatch(new RegExp(column));
          expect(r.applied).toEqual([]);
        }
        expect((await t.registry.getTenant(slug)).schemaVersion).not.toBe(name);
        continue;
      }
      expect(mine.every((r) => r.ok)).toBe(true);
      // Applied by exactly one of the two runs; both end with it as the schema version.
      expect(mine.flatMap((r) => r.applied)).toEqual([name]);
      expect(mine.map((r) => r.schemaVersion)).toEqual([name, name]);
      expect(mine.map((r) => r.pending)).toEqual([[], []]);
      expect((await t.registry.getTenant(slug)).schemaVersion).toBe(name);
      const columns = await t.connections.withTenant(await t.registry.getTenant(slug), (handle) =>
        handle.sequelize.getQueryInterface().describeTable('products'),
      );
      expect(columns).toHaveProperty(column);
    }

    // Nothing left for the healthy tenants on a third run.
    const again = await run(undefined, 2);
    expect(again.results.filter((r) => r.slug !== broken).flatMap((r) => r.applied)).toEqual([]);
  }, 300_000);

  it('resumes after a crash before its chunk of registry writes: the next run applies the rest and records every version and note', async () => {
    const slugs = [testSlug(), testSlug(), testSlug(), testSlug()];
    for (const slug of slugs)
      await t.provisioner.createTenant({ name: slug, subdomain: slug, adminEmail: `admin@${slug}.example.com` }, { actor: 'test' });
    const column = `crash_note_${Date.now().toString(36)}`;
    const name = `20991231-0002-test-${column}`;
    const tenants = await Promise.all(slugs.map((slug) => t.registry.getTenant(slug)));
    const before = tenants[0]!.schemaVersion;
    const migrations = { module: MODULE, exportName: 'withProductColumn', args: [column] };
    const crash = new Error('simulated crash');
    // Sequentially, in this thread: the run dies once two tenants are migrated, before its chunk (the
    // versions and notes of up to 100 tenants) reaches the registry.
    await expect(
      t.provisioner.migrateTenants({
        actor: 'test',
        tenants,
        skipRegistry: true,
        concurrency: 1,
        migrations,
        onProgress: (done) => {
          if (done === 2) throw crash;
        },
      }),
    ).rejects.toBe(crash);
    for (const tenant of tenants) expect((await t.registry.getTenant(tenant.slug)).schemaVersion).toBe(before);

    // The next run, on worker threads: the first two have nothing to apply, the other two get it.
    const again = await t.provisioner.migrateTenants({
      actor: 'test',
      tenants,
      skipRegistry: true,
      concurrency: 4,
      workers: 2,
      migrations,
    });
    expect(again.ok).toBe(true);
    expect(again.results.map((r) => [r.slug, r.applied, r.schemaVersion])).toEqual([
      [slugs[0], [], name],
      [slugs[1], [], name],
      [slugs[2], [name], name],
      [slugs[3], [name], name],
    ]);
    for (const slug of slugs) expect((await t.registry.getTenant(slug)).schemaVersion).toBe(name);
    // Its operations log says what it did per tenant, written with its chunk, before its end row.
    const [end] = await t.operations.list({ action: 'migrate-tenants', limit: 1 });
    const rows = (await t.operations.list({ runId: end!.runId })).reverse();
    expect([rows[0]?.step, rows[0]?.outcome, rows.at(-1)?.step, rows.at(-1)?.outcome]).toEqual([null, 'started', null, 'succeeded']);
    const notes = rows.slice(1, -1).sort((a, b) => (a.step ?? '').localeCompare(b.step ?? ''));
    expect(notes.map((r) => [r.step, r.outcome, r.details])).toEqual(
      [slugs[2]!, slugs[3]!].sort().map((slug) => [`tenant:${slug}`, 'succeeded', { applied: [name] }]),
    );
  }, 300_000);

  it("takes a tenant's lock in the worker: a single-tenant migrate elsewhere waits for it, and a worker's crash releases it", async () => {
    // The registry on the same engine, so the lock is the one each engine's registry takes (a lock file,
    // a PostgreSQL advisory lock, a MariaDB GET_LOCK), here on the worker's own connection.
    const own = await createTestTenancy({ engine, registryEngine: engine });
    const pool = await MigrateWorkers.start(1);
    onTestFinished(async () => {
      await pool.close();
      await own.cleanup();
    });
    const slug = testSlug();
    const { tenant } = await own.provisioner.createTenant(
      { name: slug, subdomain: slug, adminEmail: `admin@${slug}.example.com` },
      { actor: 'test' },
    );
    const lock = `tenant-migrations:${tenant.id}`;
    const heldElsewhere = async () => {
      try {
        await (await own.registry.locks.acquire(lock, { waitMs: 0 }))();
        return false;
      } catch (err) {
        if ((err as { code?: string }).code === 'Conflict') return true;
        throw err;
      }
    };
    const column = `slow_note_${Date.now().toString(36)}`;
    const slow = { module: MODULE, exportName: 'withSlowColumn', args: [column, 1500] };
    const name = `20991231-0004-test-${column}`;
    const fleet = own.provisioner.migrateTenants({
      actor: 'test',
      tenants: [tenant],
      skipRegistry: true,
      concurrency: 2,
      workers: pool,
      migrations: slow,
    });
    await until(heldElsewhere, "the worker holding the tenant's lock");
    // A single-tenant migrate in this thread (no worker, this thread's lock holder) while the worker
    // applies: it waits for the lock, then finds nothing left — applied exactly once, no duplicate-column error.
    const single = await own.provisioner.migrateTenants({ actor: 'test', slug, skipRegistry: true, concurrency: 1, migrations: slow });
    const parallel = await fleet;
    expect(parallel.results.map((r) => [r.ok, r.applied, r.schemaVersion])).toEqual([[true, [name], name]]);
    expect(single.results.map((r) => [r.ok, r.applied, r.schemaVersion])).toEqual([[true, [], name]]);

    // A worker that dies holding the lock (in the middle of the tenant's migration) fails that tenant
    // and leaves no lock behind: the next migrate takes it at once and applies the migration once.
    const crashColumn = `crash_note_${Date.now().toString(36)}`;
    const crashing = { module: MODULE, exportName: 'withWorkerCrash', args: [crashColumn] };
    const crashName = `20991231-0005-test-${crashColumn}`;
    const crashed = await own.provisioner.migrateTenants({
      actor: 'test',
      tenants: [tenant],
      skipRegistry: true,
      concurrency: 2,
      workers: pool,
      migrations: crashing,
    });
    expect(crashed.results.map((r) => [r.ok, r.applied])).toEqual([[false, []]]);
    expect(crashed.results[0]?.error).toMatch(/exited/);
    await (await own.registry.locks.acquire(lock, { waitMs: 5_000 }))();
    const after = await own.provisioner.migrateTenants({ actor: 'test', slug, skipRegistry: true, concurrency: 1, migrations: crashing });
    expect(after.results.map((r) => [r.ok, r.applied, r.schemaVersion])).toEqual([[true, [crashName], crashName]]);
  }, 120_000);

  it('refuses workers together with a tenantMigrations hook (a function cannot cross into a worker)', async () => {
    const hooked = await createTestTenancy({ engine: 'sqlite', tenantMigrations: () => [] });
    try {
      const slug = testSlug();
      await hooked.provisioner.createTenant({ name: slug, subdomain: slug, adminEmail: `admin@${slug}.example.com` }, { actor: 'test' });
      await expect(hooked.provisioner.migrateTenants({ actor: 'test', workers: 2, skipRegistry: true })).rejects.toThrow(/hook/);
      // Below workersFromTenants no worker is started, so the same run stays in this thread (the hook
      // is no obstacle there) and migrates the one tenant.
      const small = await hooked.provisioner.migrateTenants({ actor: 'test', workers: 2, workersFromTenants: 2, skipRegistry: true });
      expect(small.results.map((r) => [r.slug, r.ok])).toEqual([[slug, true]]);
      await expect(
        hooked.provisioner.migrateTenants({ actor: 'test', workers: 2, workersFromTenants: 1, skipRegistry: true }),
      ).rejects.toThrow(/hook/);
    } finally {
      await hooked.cleanup();
    }
  }, 60_000);
});
