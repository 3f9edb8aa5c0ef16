/**
 * `tsx src/profile/schema-create.ts [n]` — what creating a `postgres-schema` tenant costs, step by
 * step: the provisioner's step timings, this process's CPU, and the PostgreSQL round trips (pg `query`
 * calls, by database) and new connections of each creation, after a warm-up tenant that records the
 * schema template. SHOW_SQL=1 prints every statement.
 */
import { randomBytes } from 'node:crypto';
import { createTestTenancy } from '@salesfleet/tenancy/testing';
import { countPgCalls } from '../lib/pg-calls';
import { median, round } from '../lib/stats';

const n = Number(process.argv[2] ?? 10);
const pgCalls = countPgCalls((database, query) => {
  if (!process.env.SHOW_SQL) return;
  const text = typeof query === 'string' ? query : (query as { text?: string })?.text;
  process.stdout.write(`    [${database}] ${String(text).slice(0, 110).replace(/\s+/g, ' ')}\n`);
});

const t = await createTestTenancy({ engine: 'postgres' });
const shared = `sales_prof${randomBytes(3).toString('hex')}`;
const create = (slug: string) =>
  t.provisioner.createTenant(
    { name: `P ${slug}`, subdomain: slug, adminEmail: `admin@${slug}.example.com`, database: { engine: 'postgres-schema', name: shared } },
    { actor: 'profile' },
  );
try {
  const prefix = `p${randomBytes(2).toString('hex')}`;
  await create(`${prefix}w`);
  const steps: Record<string, number[]> = {};
  const total: number[] = [];
  const trips: Record<string, number[]> = {};
  const conns: number[] = [];
  for (let i = 0; i < n; i++) {
    pgCalls.reset();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await create(`${prefix}${i}`);
    total.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    (steps['(node CPU)'] ??= []).push((c.user + c.system) / 1000);
    for (const s of r.steps) (steps[s.step] ??= []).push(s.durationMs);
    for (const [k, v] of pgCalls.byDatabase) (trips[k === shared ? 'shared database' : k] ??= []).push(v);
    conns.push(pgCalls.connects);
  }
  process.stdout.write(`create a schema tenant (median of ${n}): ${round(median(total), 1)} ms\n`);
  for (const [k, xs] of Object.entries(steps)) process.stdout.write(`  step ${k.padEnd(20)} ${round(median(xs), 1)} ms\n`);
  for (const [k, xs] of Object.entries(trips)) process.stdout.write(`  round trips ${k.padEnd(30)} ${median(xs)}\n`);
  process.stdout.write(`  new connections ${median(conns)}\n`);
} finally {
  await t.cleanup();
}
