import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import { DataTypes } from 'sequelize';
import { tenantMigrations, type MigrationDefinition } from '@salesfleet/migrations';
import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import type { TenantRecord } from '../registry/records';
import { createTestTenancy, testSlug, type TestTenancy, until } from '../testing/index';
import { FleetJobs, type FleetJobRecord } from './fleet-jobs';

/** A migration the compiled list does not have, as a new release would bring. */
const addNote: MigrationDefinition = {
  name: '20991231-0002-test-customer-note',
  async up({ queryInterface, transaction }) {
    await queryInterface.addColumn('customers', 'test_note', { type: DataTypes.STRING(50), allowNull: true }, { transaction });
  },
  async down({ queryInterface, transaction }) {
    await queryInterface.removeColumn('customers', 'test_note', { transaction });
  },
};

/** Tenant migrations named by module, as worker threads load them (testing/worker-migrations.ts). */
const WORKER_MIGRATIONS = fileURLToPath(new URL('../testing/worker-migrations.ts', import.meta.url));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until job `id` is as `ok` says (the shared `until`: fails after 60 s instead of hanging). */
async function jobWhen(t: TestTenancy, id: number, ok: (job: FleetJobRecord) => boolean): Promise<FleetJobRecord> {
  let job: FleetJobRecord | undefined;
  await until(async () => ok((job = (await t.jobs.get(id))!)), `job ${id}`, 60_000);
  return job!;
}

describe.each(await testDialects())('fleet jobs, registry on %s', (registryEngine) => {
  let t: TestTenancy | null = null;
  let withNew = false;

  async function fleet(n: number): Promise<TenantRecord[]> {
    withNew = false;
    t = await createTestTenancy({ registryEngine, tenantMigrations: () => (withNew ? [...tenantMigrations, addNote] : tenantMigrations) });
    for (let i = 0; i < n; i++) {
      const slug = testSlug();
      await t.provisioner.createTenant({ name: slug, subdomain: slug, adminEmail: `admin@${slug}.example.com` }, { actor: 'test' });
    }
    withNew = true;
    return t.registry.listTenants();
  }

  afterEach(async () => {
    await t?.cleanup();
    t = null;
  }, 60_000);

  it('runs one migrate job at a time, records every tenant, and skips up-to-date tenants the next time', async () => {
    const tenants = await fleet(3);
    const tt = t!;
    // The second tenant (in the job's order) waits for its migration lock: the job stays running.
    const release = await tt.registry.locks.acquire(`tenant-migrations:${tenants[1]!.id}`);
    const first = await tt.jobs.start('migrate', { concurrency: 4 }, { actor: 'test' });
    expect(first.started).toBe(true);
    expect(first.job).toMatchObject({ kind: 'migrate', state: 'running', total: 3, actor: 'test' });
    await jobWhen(tt, first.job.id, (j) => j.counts.pending === 1);
    const second = await tt.jobs.start('migrate', {}, { actor: 'other' });
    expect(second).toMatchObject({ started: false, job: { id: first.job.id, state: 'running' } });
    await release();
    await tt.jobs.settled(first.job.id);

    const done = (await tt.jobs.get(first.job.id))!;
    expect(done).toMatchObject({ state: 'succeeded', owner: null, counts: { pending: 0, done: 3, skipped: 0, failed: 0 } });
    const rows = await tt.jobs.tenants(first.job.id);
    expect(rows.map((r) => r.slug)).toEqual(tenants.map((x) => x.slug));
    for (const row of rows) expect(row.detail).toMatchObject({ applied: [addNote.name], schemaVersion: addNote.name });
    for (const x of await tt.registry.listTenants()) expect(x.schemaVersion).toBe(addNote.name);

    // Nothing left to apply: no tenant database is opened, each one is recorded as up to date.
    const again = await tt.jobs.start('migrate', {}, { actor: 'test' });
    expect(again.started).toBe(true);
    await tt.jobs.settled(again.job.id);
    expect((await tt.jobs.get(again.job.id))!).toMatchObject({ state: 'succeeded', counts: { skipped: 3, done: 0 } });
    expect((await tt.jobs.tenants(again.job.id)).every((r) => r.detail?.skipped === 'up to date')).toBe(true);
    expect((await tt.jobs.list({ kind: 'migrate' })).map((j) => j.id)).toEqual([again.job.id, first.job.id]);
  }, 120_000);

  it('resumes a job its process stopped in the middle, with the tenants not done yet, each recorded once', async () => {
    const tenants = await fleet(3);
    const tt = t!;
    const release = await tt.registry.locks.acquire(`tenant-migrations:${tenants[1]!.id}`);
    const { job } = await tt.jobs.start('migrate', { concurrency: 1 }, { actor: 'test' });
    await jobWhen(tt, job.id, (j) => j.counts.done === 1);
    // The process stops: the tenant in progress ends, the third is never started.
    const stopping = tt.jobs.close();
    await sleep(50);
    await release();
    await stopping;
    const left = (await tt.jobs.get(job.id))!;
    expect(left).toMatchObject({ state: 'running', counts: { done: 2, pending: 1 } });
    expect(left.leaseUntil!.getTime()).toBeLessThan(Date.now());

    // Another process's sweep takes it over and finishes it.
    const other = new FleetJobs({ config: tt.config, registry: tt.registry, operations: tt.operations, provisioner: tt.provisioner });
    try {
      expect(await other.resumeAbandoned()).toEqual([job.id]);
      await other.settled(job.id);
    } finally {
      await other.close();
    }
    const finished = (await tt.jobs.get(job.id))!;
    expect(finished).toMatchObject({ state: 'succeeded', attempts: 2, counts: { done: 3, pending: 0, failed: 0 } });
    expect(finished.owner).not.toBe(left.owner);
    for (const x of await tt.registry.listTenants()) expect(x.schemaVersion).toBe(addNote.name);
  }, 120_000);

  it('a migrate job whose worker threads cannot run fails with that error instead of migrating in this thread', async () => {
    const tenants = await fleet(1);
    const tt = t!;
    // The tenantMigrations hook cannot cross into a worker thread: starting workers for this job fails.
    const jobs = new FleetJobs(
      { config: tt.config, registry: tt.registry, operations: tt.operations, provisioner: tt.provisioner },
      { migrationWorkersFromTenants: 1 },
    );
    try {
      const { job } = await jobs.start('migrate', { concurrency: 2 }, { actor: 'test' });
      await jobs.settled(job.id);
      const failed = (await jobs.get(job.id))!;
      expect(failed).toMatchObject({ state: 'failed', owner: null, counts: { pending: 1, done: 0 } });
      expect(failed.error).toMatch(/tenantMigrations hook cannot run in workers/);
    } finally {
      await jobs.close();
    }
    expect((await tt.registry.getTenant(tenants[0]!.slug)).schemaVersion).not.toBe(addNote.name);
  }, 120_000);

  it('a health job samples every tenant into the history and prunes samples older than 30 days', async () => {
    const tenants = await fleet(2);
    const tt = t!;
    const id = tenants[0]!.id;
    await tt.registry.models.TenantHealthSample.create({
      tenantId: id,
      checkedAt: new Date(Date.now() - 31 * 86_400_000),
      reachable: true,
      latencyMs: 1,
      sizeBytes: 1,
      schemaVersion: null,
      userCount: 1,
      error: null,
    });
    const { job, started } = await tt.jobs.start('health', {}, { actor: 'test' });
    expect(started).toBe(true);
    await tt.jobs.settled(job.id);
    expect((await tt.jobs.get(job.id))!).toMatchObject({ state: 'succeeded', counts: { done: 2 } });
    const history = await tt.registry.healthHistory(id, { since: new Date(Date.now() - 40 * 86_400_000) });
    // The sample taken at creation and the job's; the 31-day-old one is gone.
    expect(history.length).toBe(2);
    expect(history.every((s) => Date.now() - s.checkedAt.getTime() < 86_400_000)).toBe(true);
    const last = history.at(-1)!;
    expect(last).toMatchObject({ reachable: true, error: null, userCount: 1, schemaVersion: tenantMigrations.at(-1)!.name });
    expect(last.sizeBytes).toBeGreaterThan(0);
    const [row] = await tt.jobs.tenants(job.id, { state: 'done' });
    expect(row!.detail).toMatchObject({ userCount: 1 });
  }, 120_000);
});

describe.each(await testDialects())('fleet migrate jobs on worker threads, tenants on %s', (engine) => {
  let t: TestTenancy | null = null;

  afterEach(async () => {
    await t?.cleanup();
    t = null;
  }, 60_000);

  it('runs the tenants on worker threads from migrationWorkersFromTenants tenants on, in this thread below it', async () => {
    const tt = (t = await createTestTenancy({ engine }));
    for (let i = 0; i < 2; i++) {
      const slug = testSlug();
      await tt.provisioner.createTenant({ name: slug, subdomain: slug, adminEmail: `admin@${slug}.example.com` }, { actor: 'test' });
    }
    const deps = { config: tt.config, registry: tt.registry, operations: tt.operations, provisioner: tt.provisioner };
    /** Runs a migrate job whose new migration records the thread that ran it; answers each tenant's thread. */
    const migrateJob = async (table: string, migrationWorkersFromTenants: number | undefined): Promise<number[]> => {
      const migrations = { module: WORKER_MIGRATIONS, exportName: 'withThreadNote', args: [table] };
      const jobs = new FleetJobs(deps, {
        migrations,
        ...(migrationWorkersFromTenants === undefined ? {} : { migrationWorkersFromTenants }),
      });
      try {
        const { job } = await jobs.start('migrate', { concurrency: 2 }, { actor: 'test' });
        await jobs.settled(job.id);
        expect((await jobs.get(job.id))!).toMatchObject({ state: 'succeeded', error: null, counts: { done: 2, failed: 0 } });
      } finally {
        await jobs.close();
      }
      const threads: number[] = [];
      for (const tenant of await tt.registry.listTenants()) {
        const [rows] = await tt.connections.withTenant(tenant, (handle) => handle.sequelize.query(`SELECT thread_id FROM ${table}`));
        threads.push(...(rows as { thread_id: number }[]).map((r) => Number(r.thread_id)));
      }
      return threads;
    };
    // The default (FLEET_WORKERS_FROM_TENANTS): two tenants migrate in this thread.
    expect(await migrateJob(`thread_note_a${Date.now().toString(36)}`, undefined)).toEqual([threadId, threadId]);
    // From two tenants on: each tenant's migration ran on a worker thread.
    const onWorkers = await migrateJob(`thread_note_b${Date.now().toString(36)}`, 2);
    expect(onWorkers).toHaveLength(2);
    for (const id of onWorkers) expect(id).not.toBe(threadId);
  }, 180_000);
});
