/**
 * `tsx src/profile/schema-check.ts [n]` — `migrate-tenants --check` over `n` schema tenants of one
 * shared database: the fleet check (provisioner.migrateTenants, batched per shared database) against
 * the same tenants read one by one (provisioner.migrateTenant per tenant, 4 at a time: a connection
 * and a SELECT each, the pre-batch path); wall time, CPU of this process, PostgreSQL connections and
 * round trips (pg `connect` and `query` calls).
 */
import { randomBytes } from 'node:crypto';
import pMap from 'p-map';
import { createTestTenancy } from '@salesfleet/tenancy/testing';
import { countPgCalls } from '../lib/pg-calls';
import { round } from '../lib/stats';

const n = Number(process.argv[2] ?? 200);
const pgCalls = countPgCalls();

const t = await createTestTenancy({ engine: 'postgres' });
const shared = `sales_chk${randomBytes(3).toString('hex')}`;
const prefix = `c${randomBytes(2).toString('hex')}`;
try {
  const slugs = Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  await pMap(
    slugs,
    (slug) =>
      t.provisioner.createTenant(
        { name: slug, subdomain: slug, adminEmail: `admin@${slug}.example.com`, database: { engine: 'postgres-schema', name: shared } },
        { actor: 'profile' },
      ),
    { concurrency: 4 },
  );
  const measure = async (what: string, fn: () => Promise<number>) => {
    pgCalls.reset();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const pending = await fn();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    process.stdout.write(
      `${what.padEnd(36)} ${round(ms, 0)} ms wall, ${round((cpu.user + cpu.system) / 1000, 0)} ms CPU, ` +
        `${pgCalls.connects} connections, ${pgCalls.queries} round trips, ${pending} pending\n`,
    );
  };
  for (let pass = 0; pass < 2; pass++) {
    await measure(`fleet check over ${n} schemas`, async () => {
      const r = await t.provisioner.migrateTenants({ actor: 'profile', check: true, skipRegistry: true });
      return r.results.reduce((k, x) => k + x.pending.length, 0);
    });
    await measure(`one by one over ${n} schemas`, async () => {
      const r = await pMap(slugs, (slug) => t.provisioner.migrateTenant(slug, { actor: 'profile', check: true }), { concurrency: 4 });
      return r.reduce((k, x) => k + x.pending.length, 0);
    });
  }
} finally {
  await t.cleanup();
}
