/**
 * `tsx src/profile/schema-routing.ts [n] [units]` — what a unit of work (one product-list query in a
 * schema tenant's scope, as in `pnpm bench schemas`) costs over `n` schema tenants vs always one: CPU
 * of this process per unit (process.cpuUsage: holds on a loaded machine, unlike units/s), wall time,
 * and PostgreSQL round trips per unit (pg `query` calls). 10 concurrent loops, one shared pool of 4.
 */
import { randomBytes } from 'node:crypto';
import pMap from 'p-map';
import type { TenantRecord } from '@salesfleet/tenancy';
import { createTestTenancy } from '@salesfleet/tenancy/testing';
import { countPgCalls } from '../lib/pg-calls';
import { round } from '../lib/stats';

const n = Number(process.argv[2] ?? 200);
const units = Number(process.argv[3] ?? 4000);
const pgCalls = countPgCalls();

const t = await createTestTenancy({ engine: 'postgres', config: { schemaPoolMax: 4, maxOpenTenants: n + 16, tenantIdleMs: 600_000 } });
const shared = `sales_rt${randomBytes(3).toString('hex')}`;
const prefix = `r${randomBytes(2).toString('hex')}`;
try {
  const tenants: TenantRecord[] = await pMap(
    Array.from({ length: n }, (_, i) => `${prefix}${i}`),
    async (slug) =>
      (
        await t.provisioner.createTenant(
          { name: slug, subdomain: slug, adminEmail: `admin@${slug}.example.com`, database: { engine: 'postgres-schema', name: shared } },
          { actor: 'profile' },
        )
      ).tenant,
    { concurrency: 4 },
  );
  const unit = (tenant: TenantRecord) =>
    t.connections.withTenant(tenant, ({ models }) => models.Product.findAll({ limit: 20, order: [['id', 'ASC']], raw: true }));
  for (const tenant of tenants) await unit(tenant);
  const measure = async (what: string, pick: (i: number) => TenantRecord) => {
    let i = 0;
    pgCalls.reset();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (i < units) await unit(pick(i++));
      }),
    );
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    process.stdout.write(
      `${what.padEnd(28)} ${round((cpu.user + cpu.system) / units / 1000, 3)} ms CPU/unit, ${round(ms / units, 3)} ms wall/unit, ` +
        `${round(pgCalls.queries / units, 2)} round trips/unit\n`,
    );
  };
  for (let r = 0; r < 3; r++) {
    await measure('one tenant', () => tenants[0]!);
    await measure(`${n} tenants round-robin`, (i) => tenants[i % n]!);
  }
} finally {
  await t.cleanup();
}
