import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialectAvailable, testServerUrls, type TestDatabase } from '@salesfleet/models/testing';
import { driverFor, loadConfig, openTenancy, parseDatabaseUrl } from '@salesfleet/tenancy';
import { postgresBackends, testSlug } from '@salesfleet/tenancy/testing';
import { callWithHost as call, startApiProcess, TEST_PASSWORD, type ApiProcess } from './testing';

// Issue 16.4: SALESFLEET_SERVER_CONNECTIONS is one tenant server's budget for every API process
// together. Each process counts the live ones by their registry heartbeat and keeps its share of
// handles (budget ÷ pool max ÷ processes): two processes under load never hold more backends on the
// server than the budget, and a request that finds no free handle in time is shed with 503 + Retry-After.

const postgres = await dialectAvailable('postgres');
const BUDGET = 4;
const TENANTS = 4;

describe.runIf(postgres)('a tenant server connection budget shared by two API processes (PostgreSQL registry)', () => {
  let dir: string;
  let registry: TestDatabase;
  const apis: ApiProcess[] = [];
  const slugs: string[] = [];
  const databases: string[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'salesfleet-shared-budget-'));
    registry = await createTestDatabase('postgres');
    env = {
      SALESFLEET_SECRET_KEY: randomBytes(32).toString('base64url'),
      SALESFLEET_REGISTRY_URL: registry.url,
      SALESFLEET_TENANT_SERVER_URL: testServerUrls.postgres,
    };
    const tenancy = await openTenancy(loadConfig({ SALESFLEET_DATA_DIR: dir, ...env }), { migrateRegistry: true });
    try {
      for (let i = 0; i < TENANTS; i++) {
        const slug = testSlug('budget');
        const { tenant } = await tenancy.provisioner.createTenant(
          { name: `Budget ${i}`, subdomain: slug, adminEmail: `a${i}@budget.test`, adminUsername: 'admin', adminPassword: TEST_PASSWORD },
          { actor: 'test' },
        );
        slugs.push(slug);
        databases.push(tenant.db.name);
      }
    } finally {
      await tenancy.close();
    }
    const budgetEnv = {
      ...env,
      SALESFLEET_SERVER_CONNECTIONS: String(BUDGET),
      SALESFLEET_TENANT_POOL_MAX: '1',
      // A short wait for a free handle, so that load sheds instead of queueing.
      SALESFLEET_DB_CONNECT_TIMEOUT_MS: '300',
    };
    apis.push(await startApiProcess({ dataDir: dir, env: budgetEnv }));
    apis.push(await startApiProcess({ dataDir: dir, env: budgetEnv }));
  }, 300_000);

  afterAll(async () => {
    for (const api of apis) api.kill();
    const server = parseDatabaseUrl(testServerUrls.postgres);
    for (const name of databases) await driverFor('postgres').drop({ ...server, database: name }, { dataDir: dir, connectTimeoutMs: 5000 });
    await registry?.drop();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('keeps the server’s backends for these tenants within the budget, and sheds with 503 + Retry-After, never 500', async () => {
    // Both processes have beaten at least once since the second started (heartbeat 5 s): each knows of the other.
    await new Promise((r) => setTimeout(r, 6000));
    const tokens = new Map<string, string>();
    for (const slug of slugs) {
      for (let attempt = 0; !tokens.has(slug); attempt++) {
        const res = await call(apis[0]!.port, `${slug}.localhost`, '/api/auth/login', {
          method: 'POST',
          json: { login: 'admin', password: TEST_PASSWORD },
        });
        if (res.status === 200) tokens.set(slug, (JSON.parse(res.body) as { token: string }).token);
        else if (res.status !== 503 || attempt > 50) throw new Error(`sign-in answered ${res.status}: ${res.body}`);
      }
    }

    const statuses: number[] = [];
    const missingRetryAfter: number[] = [];
    const backends: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        backends.push(await postgresBackends(...databases));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    // 16 concurrent clients, each going round the tenants on both processes.
    await Promise.all(
      Array.from({ length: 16 }, async (_, k) => {
        for (let i = 0; i < 12; i++) {
          const slug = slugs[(k + i) % slugs.length]!;
          const api = apis[(k + i) % apis.length]!;
          const res = await call(api.port, `${slug}.localhost`, '/api/products?limit=20', { token: tokens.get(slug)! });
          statuses.push(res.status);
          if (res.status === 503 && !res.retryAfter) missingRetryAfter.push(res.status);
        }
      }),
    );
    sampling = false;
    await sampler;

    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(missingRetryAfter).toEqual([]);
    expect(backends.length).toBeGreaterThan(0);
    expect(Math.max(...backends)).toBeLessThanOrEqual(BUDGET);
  }, 180_000);
});
