/**
 * `tsx src/profile/schema-create.ts [n]` — what creating a `postgres-schema` tenant costs, step by
 * step: the provisioner's step timings, this process's CPU, and the PostgreSQL round trips (pg `query`
 * calls, by database) and new connections of each creation, after a warm-up tenant that records the
 * schema template. Two tenancies on one shared database, alternated: one claiming a spare schema
 * (made ahead in the background, waited for before each creation), one with spares off (the template
 * script runs in the creation). SHOW_SQL=1 prints every statement.
 */
import { randomBytes } from 'node:crypto';
import { createTestTenancy, type TestTenancy } from '@salesfleet/tenancy/testing';
import { countPgCalls } from '../lib/pg-calls';
import { median, round } from '../lib/stats';

const n = Number(process.argv[2] ?? 10);
const pgCalls = countPgCalls((database, query) => {
  if (!process.env.SHOW_SQL) return;
  const text = typeof query === 'string' ? query : (query as { text?: string })?.text;
  process.stdout.write(`    [${database}] ${String(text).slice(0, 110).replace(/\s+/g, ' ')}\n`);
});

const variants: Record<string, TestTenancy> = {
  'spare schema': await createTestTenancy({ engine: 'postgres', config: { spareSchemas: 2 } }),
  'template script': await createTestTenancy({ engine: 'postgres', config: { spareSchemas: 0 } }),
};
const shared = `sales_prof${randomBytes(3).toString('hex')}`;
const create = (t: TestTenancy, slug: string) =>
  t.provisioner.createTenant(
    { name: `P ${slug}`, subdomain: slug, adminEmail: `admin@${slug}.example.com`, database: { engine: 'postgres-schema', name: shared } },
    { actor: 'profile' },
  );
try {
  const prefix = `p${randomBytes(2).toString('hex')}`;
  const stats = Object.fromEntries(
    Object.keys(variants).map((k) => [
      k,
      { steps: {} as Record<string, number[]>, total: [] as number[], trips: {} as Record<string, number[]>, conns: [] as number[] },
    ]),
  );
  for (const [k, t] of Object.entries(variants)) {
    await create(t, `${prefix}w${k[0]}`);
    await t.provisioner.spareSchemasSettled();
  }
  for (let i = 0; i < n; i++) {
    for (const [k, t] of Object.entries(variants)) {
      const s = stats[k]!;
      // The spares made after the last creation are ready, and nothing runs in the background.
      for (const v of Object.values(variants)) await v.provisioner.spareSchemasSettled();
      pgCalls.reset();
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const r = await create(t, `${prefix}${k[0]}${i}`);
      s.total.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      (s.steps['(node CPU)'] ??= []).push((c.user + c.system) / 1000);
      for (const step of r.steps) (s.steps[step.step] ??= []).push(step.durationMs);
      for (const [db, v] of pgCalls.byDatabase) (s.trips[db === shared ? 'shared database' : db] ??= []).push(v);
      s.conns.push(pgCalls.connects);
    }
  }
  for (const [k, s] of Object.entries(stats)) {
    process.stdout.write(`${k}: create a schema tenant (median of ${n}): ${round(median(s.total), 1)} ms\n`);
    for (const [step, xs] of Object.entries(s.steps)) process.stdout.write(`  step ${step.padEnd(20)} ${round(median(xs), 1)} ms\n`);
    for (const [db, xs] of Object.entries(s.trips)) process.stdout.write(`  round trips ${db.padEnd(30)} ${median(xs)}\n`);
    process.stdout.write(`  new connections ${median(s.conns)}\n`);
  }
} finally {
  for (const t of Object.values(variants)) await t.cleanup();
}
