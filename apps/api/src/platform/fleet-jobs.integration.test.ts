import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrationNames, migrationStatus } from '@salesfleet/migrations';
import { createTestDatabase, dialectAvailable, type TestDatabase } from '@salesfleet/models/testing';
import { loadConfig, openSequelize, openTenancy, type Tenancy, type TenantRecord } from '@salesfleet/tenancy';
import { callWithHost, startApiProcess, TEST_PASSWORD, type ApiProcess } from '../testing';

// Issue 16.2: fleet jobs run in API processes sharing one registry — one job per kind at a time across
// them, and a job whose process is killed (kill -9) mid-way is resumed by another process once its
// lease runs out, finishing with every tenant recorded done once.

const TENANTS = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const registries = [...((await dialectAvailable('postgres')) ? (['postgres'] as const) : []), 'sqlite'] as const;

describe.each(registries)('fleet jobs in two API processes, registry on %s', (registryEngine) => {
  let dir: string;
  let registryDb: TestDatabase | null = null;
  let tenancy: Tenancy;
  let token: string;
  let tenants: TenantRecord[];
  const servers: ApiProcess[] = [];
  const latest = migrationNames('tenant').at(-1)!;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'salesfleet-fleet-jobs-'));
    if (registryEngine === 'postgres') registryDb = await createTestDatabase('postgres');
    const env: Record<string, string> = {
      SALESFLEET_SECRET_KEY: randomBytes(32).toString('base64url'),
      SALESFLEET_JOB_LEASE_MS: '1500',
      SALESFLEET_HEALTH_INTERVAL: 'off',
      ...(registryDb ? { SALESFLEET_REGISTRY_URL: registryDb.url } : {}),
    };
    tenancy = await openTenancy(loadConfig({ SALESFLEET_DATA_DIR: dir, ...env }), { migrateRegistry: true });
    for (let i = 0; i < TENANTS; i++) {
      await tenancy.provisioner.createTenant(
        { name: `Fleet ${i}`, subdomain: `fleet${i}`, adminEmail: `admin@fleet${i}.example.com` },
        { actor: 'test' },
      );
    }
    // Every tenant one migration behind, as after a release that brings one.
    tenants = await tenancy.registry.listTenants();
    for (const t of tenants) {
      const db = openSequelize(tenancy.registry.databaseSpecOf(t), { dataDir: dir });
      try {
        await migrateDown(db, 'tenant');
      } finally {
        await db.close();
      }
    }
    await tenancy.registry.setSchemaVersions(
      tenants.map((t) => ({ tenantId: t.id, slug: t.slug, schemaVersion: migrationNames('tenant').at(-2)! })),
    );
    const admin = await tenancy.registry.createPlatformAdmin({ username: 'ops', email: 'ops@example.com', password: TEST_PASSWORD });
    token = (await tenancy.registry.createPlatformSession(admin.id)).token;
    servers.push(await startApiProcess({ dataDir: dir, env }), await startApiProcess({ dataDir: dir, env }));
  }, 240_000);

  afterAll(async () => {
    for (const s of servers) s.kill();
    await tenancy?.close();
    await registryDb?.drop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('starts one migrate job for two simultaneous starts; killed mid-job, it is resumed by the other process and every tenant is done once', async () => {
    // The third tenant (in the job's order) waits for its migration lock, held here: the job is caught mid-way.
    const blocked = tenants[2]!;
    const release = await tenancy.registry.locks.acquire(`tenant-migrations:${blocked.id}`);
    let released = false;
    try {
      const answers = await Promise.all(
        servers.map((s) =>
          callWithHost(s.port, 'localhost', '/api/platform/jobs', {
            method: 'POST',
            token,
            json: { kind: 'migrate', options: { concurrency: 1 } },
          }),
        ),
      );
      const bodies = answers.map((a) => JSON.parse(a.body) as { job: { id: number }; started: boolean });
      expect(answers.map((a) => a.status).sort()).toEqual([200, 202]);
      expect(bodies.filter((b) => b.started)).toHaveLength(1);
      expect(bodies[0]!.job.id).toBe(bodies[1]!.job.id);
      const id = bodies[0]!.job.id;
      const runner = servers[bodies.findIndex((b) => b.started)]!;
      const other = servers.find((s) => s !== runner)!;

      // Two tenants done, the third in progress (waiting for the lock): kill -9 the process running it.
      for (;;) {
        const job = (await tenancy.jobs.get(id))!;
        if (job.counts.done === 2) break;
        expect(job.state).toBe('running');
        await sleep(50);
      }
      runner.kill();
      await runner.exited;
      await release();
      released = true;

      // The other process's sweep takes it over once the lease has run out.
      let job = (await tenancy.jobs.get(id))!;
      for (let i = 0; i < 1200 && job.state === 'running'; i++) {
        await sleep(100);
        job = (await tenancy.jobs.get(id))!;
      }
      expect(job).toMatchObject({
        state: 'succeeded',
        attempts: 2,
        total: TENANTS,
        counts: { done: TENANTS, pending: 0, failed: 0, skipped: 0 },
      });
      const rows = await tenancy.jobs.tenants(id);
      expect(rows.map((r) => r.slug).sort()).toEqual(tenants.map((t) => t.slug).sort());
      expect(rows.every((r) => r.state === 'done')).toBe(true);
      for (const t of await tenancy.registry.listTenants()) {
        expect(t.schemaVersion).toBe(latest);
        const db = openSequelize(tenancy.registry.databaseSpecOf(t), { dataDir: dir });
        try {
          const status = await migrationStatus(db, 'tenant');
          expect(status.pending).toEqual([]);
          expect(status.applied.filter((name) => name === latest)).toHaveLength(1);
        } finally {
          await db.close();
        }
      }

      // Followed from the surviving process: its event stream ends with the finished job.
      const events = await callWithHost(other.port, 'localhost', `/api/platform/jobs/${id}/events`, { token });
      expect(events.status).toBe(200);
      expect(events.body).toMatch(/event: end\ndata: .*"state":"succeeded"/);
    } finally {
      if (!released) await release();
    }
  }, 240_000);
});
