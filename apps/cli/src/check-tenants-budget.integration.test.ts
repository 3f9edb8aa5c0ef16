import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import { createCliWorkspace, type CliResult, type CliWorkspace } from './testing/cli-workspace';

const serverDialects = (await testDialects()).filter((d): d is 'postgres' | 'mysql' => d !== 'sqlite');

interface DoctorReport {
  checks: { name: string; ok: boolean; message: string }[];
}

function budgetChecks(run: CliResult) {
  return (JSON.parse(run.stdout) as DoctorReport).checks.filter((c) => c.name === 'connection budget');
}

/**
 * `check-tenants` compares SALESFLEET_MAX_OPEN_TENANTS × SALESFLEET_TENANT_POOL_MAX with the tenant
 * server's connection limit (the limit itself is checked against the server in tenancy's
 * connection-budget test).
 */
describe.each(serverDialects)('check-tenants and the connection budget on %s', (dialect) => {
  let ws: CliWorkspace;
  let limit: number;

  beforeAll(async () => {
    ws = await createCliWorkspace(dialect);
    expect((await ws.run(['init'])).code).toBe(0);
    expect((await ws.run(['create-tenant', 'Budget 0', ws.slug('bud0'), 'a@bud0.test'])).code).toBe(0);
    const first = budgetChecks(await ws.run(['check-tenants', '--json'], { env: { SALESFLEET_TENANT_POOL_MAX: '1' } }));
    limit = Number(/the server's (\d+) available connections/.exec(first[0]?.message ?? '')?.[1]);
    expect(limit).toBeGreaterThan(0);
    // enough tenants that 50 connections each (the largest pool allowed) can exceed the server
    for (let i = 1; i < Math.floor(limit / 50) + 1; i++) {
      expect((await ws.run(['create-tenant', `Budget ${i}`, ws.slug(`bud${i}`), `a@bud${i}.test`])).code).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    await ws?.cleanup();
  }, 120_000);

  it('fails when open tenants × pool max can exceed the server, naming both settings and the limit', async () => {
    const doctor = await ws.run(['check-tenants'], { env: { SALESFLEET_TENANT_POOL_MAX: '50' } });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(new RegExp(`^FAIL {2}connection budget .*can exceed the server's ${limit} available connections`, 'm'));
    expect(doctor.stdout).toMatch(/lower SALESFLEET_MAX_OPEN_TENANTS or SALESFLEET_TENANT_POOL_MAX/);
  }, 60_000);

  it('passes the budget check when it fits', async () => {
    const doctor = await ws.run(['check-tenants', '--json'], { env: { SALESFLEET_TENANT_POOL_MAX: '1' } });
    const budget = budgetChecks(doctor);
    expect(budget).toHaveLength(1);
    expect(budget[0]).toMatchObject({ ok: true, message: expect.stringContaining(`fits the server's ${limit} available connections`) });
  }, 60_000);
});
