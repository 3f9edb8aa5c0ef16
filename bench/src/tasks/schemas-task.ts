/**
 * Schema-tenant task (child process, issue 17): a `postgres-schema` fleet in one shared database,
 * made through the real Provisioner (@salesfleet/tenancy/testing: temporary data dir and registry;
 * `cleanup()` drops the shared database), then measured in this process:
 *
 * - creation: `timed` schema tenants created one at a time after a warm-up tenant (which records the
 *   schema template), each timed; the rest of the fleet is created 4 at a time, not timed;
 * - check: `provisioner.migrateTenants({ check: true })` — what `migrate-tenants --check` runs — over
 *   every schema, nothing pending;
 * - routing: units of work (one product-list query in the tenant's scope, as an API request runs it)
 *   spread round-robin over `routing` schema tenants vs the same units on one tenant, interleaved
 *   rounds, all on the one shared pool; PostgreSQL backends of the shared database sampled;
 * - memory: `registered` more registry rows of schema tenants (schemas that need not exist: never
 *   opened), then `warm` real schema tenants opened and held warm; RSS after a GC.
 */
import { randomBytes } from 'node:crypto';
import pMap from 'p-map';
import type { TenantRecord } from '@salesfleet/tenancy';
import { createTestTenancy, postgresBackends, type TestTenancy } from '@salesfleet/tenancy/testing';
import { serveRequests, type ChildRequest } from '../lib/child';

const open = new Set<TestTenancy>();

async function createOne(t: TestTenancy, shared: string, slug: string): Promise<TenantRecord> {
  const { tenant } = await t.provisioner.createTenant(
    {
      name: `Bench ${slug}`,
      subdomain: slug,
      adminEmail: `admin@${slug}.example.com`,
      database: { engine: 'postgres-schema', name: shared },
    },
    { actor: 'bench' },
  );
  return tenant;
}

async function run(req: ChildRequest) {
  const fleet = req.fleet as number;
  const timed = req.timed as number;
  const routing = Math.min(req.routing as number, fleet);
  const roundMs = req.roundMs as number;
  const rounds = req.rounds as number;
  const registered = req.registered as number;
  const warm = Math.min(req.warm as number, fleet);
  const poolMax = 4;
  const prefix = req.slugPrefix as string;
  const shared = `sales_${prefix}${randomBytes(3).toString('hex')}`;
  const t = await createTestTenancy({
    engine: 'postgres',
    config: { schemaPoolMax: poolMax, maxOpenTenants: Math.max(warm, routing) + 16, tenantIdleMs: 600_000 },
  });
  open.add(t);
  const tenants: TenantRecord[] = [];
  let n = 0;
  const next = () => `${prefix}${n++}`;

  // ── creation ──
  const warmupMs = performance.now();
  tenants.push(await createOne(t, shared, next()));
  const warmup = performance.now() - warmupMs;
  // The same creations with spare schemas off (the template script runs in each), alternated.
  const plain = await createTestTenancy({ engine: 'postgres', config: { spareSchemas: 0 } });
  open.add(plain);
  await createOne(plain, shared, next());
  const creationMs: number[] = [];
  const scriptedMs: number[] = [];
  for (let i = 0; i < timed; i++) {
    // As between two sign-ups: the spare made after the last creation is ready, nothing runs meanwhile.
    await t.provisioner.spareSchemasSettled();
    const t0 = performance.now();
    tenants.push(await createOne(t, shared, next()));
    creationMs.push(performance.now() - t0);
    await t.provisioner.spareSchemasSettled();
    const t1 = performance.now();
    await createOne(plain, shared, next());
    scriptedMs.push(performance.now() - t1);
  }
  await plain.close();
  const bulk0 = performance.now();
  const rest = Math.max(0, fleet - tenants.length);
  tenants.push(
    ...(await pMap(
      Array.from({ length: rest }, () => next()),
      (slug) => createOne(t, shared, slug),
      { concurrency: 4 },
    )),
  );
  const bulkSeconds = (performance.now() - bulk0) / 1000;

  // ── check ──
  const c0 = performance.now();
  const check = await t.provisioner.migrateTenants({ actor: 'bench', check: true, skipRegistry: true });
  const checkSeconds = (performance.now() - c0) / 1000;
  const pending = check.results.reduce((k, r) => k + r.pending.length, 0);
  const failed = check.results.filter((r) => !r.ok).length;

  // ── routing ──
  const spread = tenants.slice(0, routing);
  const unit = (tenant: TenantRecord) =>
    t.connections.withTenant(tenant, ({ models }) => models.Product.findAll({ limit: 20, order: [['id', 'ASC']], raw: true }));
  for (const tenant of spread) await unit(tenant); // warm every handle (one shared pool)
  let maxBackends = 0;
  const sampler = setInterval(() => {
    postgresBackends(shared).then(
      (b) => (maxBackends = Math.max(maxBackends, b)),
      () => undefined,
    );
  }, 100);
  const measure = async (pick: (i: number) => TenantRecord): Promise<number> => {
    let done = 0;
    let i = 0;
    const until = performance.now() + roundMs;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (performance.now() < until) {
          await unit(pick(i++));
          done++;
        }
      }),
    );
    return done / (roundMs / 1000);
  };
  const one: number[] = [];
  const many: number[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      // Alternating which goes first, so neither always sees the other's aftermath.
      if (r % 2 === 0) {
        one.push(await measure(() => spread[0]!));
        many.push(await measure((i) => spread[i % spread.length]!));
      } else {
        many.push(await measure((i) => spread[i % spread.length]!));
        one.push(await measure(() => spread[0]!));
      }
    }
  } finally {
    clearInterval(sampler);
  }

  // ── memory ──
  const server = t.registry.databaseSpecOf(tenants[0]!);
  const r0 = performance.now();
  for (let i = 0; i < registered; i++) {
    const slug = `${prefix}r${i}`;
    await t.registry.insertTenant({
      slug,
      name: `Registered ${slug}`,
      adminEmail: `admin@${slug}.example.com`,
      status: 'active',
      maxUsers: 50,
      multiLocation: false,
      trialEndsAt: null,
      paidUntil: null,
      db: {
        engine: 'postgres',
        host: server.host,
        port: server.port,
        name: shared,
        schema: `t_${prefix}r${i}`,
        user: server.user,
        passwordEncrypted: null,
        managed: true,
      },
    });
  }
  const registerSeconds = (performance.now() - r0) / 1000;
  for (const tenant of tenants.slice(0, warm)) await unit(tenant);
  const stats = t.connections.stats();
  (globalThis as { gc?: () => void }).gc?.();
  const rssMB = process.memoryUsage().rss / 1024 / 1024;
  const heapMB = process.memoryUsage().heapUsed / 1024 / 1024;

  const c1 = performance.now();
  await t.cleanup();
  open.delete(t);
  // After t's: its cleanup drops the shared database with plain's schemas in it.
  await plain.cleanup();
  open.delete(plain);
  return {
    shared,
    poolMax,
    warmupMs: warmup,
    creationMs,
    scriptedMs,
    bulk: { tenants: rest, seconds: bulkSeconds },
    check: { seconds: checkSeconds, tenants: check.results.length, pending, failed },
    routing: { tenants: spread.length, one, many, maxBackends },
    memory: {
      registered: registered + tenants.length,
      warm,
      open: stats.open,
      rssMB,
      heapMB,
      registerSeconds,
      gc: Boolean((globalThis as { gc?: unknown }).gc),
    },
    cleanupSeconds: (performance.now() - c1) / 1000,
  };
}

const child = serveRequests({ run }, async () => {
  for (const t of open) await t.cleanup().catch(() => undefined);
});
child.ready();
