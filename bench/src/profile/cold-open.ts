/**
 * `pnpm --filter @salesfleet/bench profile:cold [sqlite|postgres] [n]` — where a cold tenant's first
 * `GET /api/products?limit=20` goes, through the code the API runs, not a copy of it: a real Tenancy
 * (openTenancy on a bench registry) and the real app (createApp). Per tenant, each timed:
 *
 * - `resolve host`: `tenancy.router.resolveHost` (a registry lookup: the tenant was never seen);
 * - `open handle`: `tenancy.connections.acquire` — the connection cache's own `open` (openSequelize,
 *   the first connection, the session models defined while it connects), split by Sequelize hooks
 *   into instance creation and the connection;
 * - `GET /api/products?limit=20`: `app.request` with the template's bearer session on the now open
 *   handle — session + user, permission load (a permission-cache miss: first request of the process
 *   for this tenant), the product page, the stock of the page — with every SQL statement logged with
 *   its own duration (Sequelize `benchmark`) and grouped into those steps by the tables it reads;
 * - the same request again (warm handle, permission cache hit).
 *
 * SQL statements are counted through Sequelize's `logging` (set by an `afterInit` hook on every tenant
 * instance, before its first connection); what a driver sends by itself on connect (PostgreSQL's
 * session SETs, SQLite's pragmas) is not logged by Sequelize and not counted. Models defined are
 * counted through `afterDefine`. Each sample uses a tenant database no process has opened yet. Long
 * statements are shortened in the listing; PROFILE_FULL_SQL=1 prints them whole.
 */
import { pino } from 'pino';
import { Sequelize } from 'sequelize';
import { createApp } from '@salesfleet/api';
import { openTenancy, type TenantRecord } from '@salesfleet/tenancy';
import { Fixtures } from '../lib/fixtures';
import { RunContext, runScale } from '../lib/run-context';
import { median, round } from '../lib/stats';
import { COLD_PRODUCT_LIST, definedByReplay } from './cold-path';

const engine = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
if (engine !== 'sqlite' && engine !== 'postgres') throw new Error(`engine must be sqlite or postgres, not ${String(engine)}`);
const n = Number(process.argv[3] ?? 15);
const ctx = new RunContext(runScale(true));
ctx.cleanup.installSignalHandlers();
const fixtures = new Fixtures(ctx);

/** Which step of the request a tenant statement belongs to, by the model it reads (its alias) or writes. */
const STEPS: Record<string, string> = {
  Session: 'session + user',
  sessions: 'session + user',
  UserGroup: 'permission load',
  Group: 'permission load',
  GroupPermission: 'permission load',
  Permission: 'permission load',
  Product: 'product page',
  StockLevel: 'stock of the page',
};
function stepOf(sql: string): string {
  const name = /\bAS [`"](\w+)[`"](?: WHERE| ORDER| LIMIT|;|$| INNER| LEFT)/.exec(sql)?.[1] ?? /^UPDATE [`"](\w+)[`"]/.exec(sql)?.[1];
  return (name && STEPS[name]) ?? 'other';
}

interface Statement {
  sql: string;
  /** performance.now() when Sequelize handed it to the driver (its `logging` call). */
  at: number;
}

/** What the current tenant instance logs: its statements (with durations) and the models it defines. */
const capture = {
  statements: [] as Statement[],
  defined: [] as string[],
  defineMs: 0,
  defineStart: 0,
  instanceAt: 0,
  connectStart: 0,
  connectEnd: 0,
  active: false,
};
const log = (sql: string) => capture.statements.push({ sql: sql.replace(/^Executing \([^)]*\): /, ''), at: performance.now() });

Sequelize.addHook('afterInit', (sequelize: Sequelize) => {
  if (!capture.active) return; // the registry's instance and the fixtures' ones
  capture.instanceAt = performance.now();
  (sequelize as unknown as { options: { logging: (sql: string) => void } }).options.logging = log;
  sequelize.addHook('beforeConnect', () => {
    capture.connectStart ||= performance.now();
  });
  sequelize.addHook('afterConnect', () => {
    capture.connectEnd ||= performance.now();
  });
  sequelize.addHook('beforeDefine', () => {
    capture.defineStart = performance.now();
  });
  sequelize.addHook('afterDefine', (model) => {
    capture.defineMs += performance.now() - capture.defineStart;
    capture.defined.push(model.name);
  });
});

try {
  const fleet = await fixtures.fleet(engine === 'sqlite' ? { sqlite: n } : { postgres: n, pgDistinct: n });
  const slugs = engine === 'sqlite' ? fleet.sqlite : fleet.postgres;
  const { token } = engine === 'sqlite' ? await fixtures.sqliteTemplate() : await fixtures.pgTemplate();
  const tenancy = await openTenancy(fixtures.config(fleet.dataDir), { templates: false });
  ctx.cleanup.add('close the profiled tenancy', () => tenancy.close());
  // The registry's statements too (the host lookup), with their durations.
  (tenancy.registry.models.Tenant.sequelize as unknown as { options: { logging: (sql: string) => void } }).options.logging = log;
  const { app } = createApp(tenancy.config, { tenancy, logger: pino({ level: 'silent' }) });

  const phases: Record<string, number[]> = {};
  const queries: Record<string, string[]> = {};
  const definedIn: Record<string, string[]> = {};
  const sample = (phase: string, ms: number) => (phases[phase] ??= []).push(ms);
  const time = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
    const statements = capture.statements.length;
    const defined = capture.defined.length;
    const t0 = performance.now();
    const value = await fn();
    sample(phase, performance.now() - t0);
    queries[phase] = capture.statements.slice(statements).map((s) => s.sql);
    definedIn[phase] = capture.defined.slice(defined);
    return value;
  };
  const request = async (slug: string) => {
    const res = await app.request(`http://${slug}.localhost/api/products?limit=20`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { products?: unknown[]; total?: number };
    if (res.status !== 200 || body.products?.length !== 20)
      throw new Error(`GET /api/products for ${slug} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
  };

  for (const slug of slugs) {
    Object.assign(capture, { statements: [], defined: [], instanceAt: 0, connectStart: 0, connectEnd: 0 });
    const t0 = performance.now();
    const where = await time('resolve host (registry)', () => tenancy.router.resolveHost(`${slug}.localhost`));
    if (where.kind !== 'tenant') throw new Error(`${slug}.localhost resolved to ${where.kind}`);
    const tenant: TenantRecord = where.tenant;

    capture.active = true;
    const acquireStart = performance.now();
    const lease = await time('open handle (acquire)', () => tenancy.connections.acquire(tenant));
    lease.release();
    capture.active = false;
    if (capture.instanceAt) sample('  until the instance exists', capture.instanceAt - acquireStart);
    // PostgreSQL/MySQL only: Sequelize's SQLite connection manager runs no connect hooks.
    if (capture.connectStart && capture.connectEnd) sample('  first connection', capture.connectEnd - capture.connectStart);

    const statements = capture.statements.length;
    const requestStart = performance.now();
    const defineMs = capture.defineMs;
    await time('GET /api/products?limit=20', () => request(slug));
    const requestEnd = performance.now();
    // A step runs from its first statement to the next step's first statement (the last one to the
    // response): its queries, the CPU between them and the models it defines on the way.
    const steps: { step: string; at: number; sql: string[] }[] = [];
    for (const s of capture.statements.slice(statements)) {
      const step = stepOf(s.sql);
      const last = steps.at(-1);
      if (last?.step === step) last.sql.push(s.sql);
      else steps.push({ step, at: s.at, sql: [s.sql] });
    }
    sample('  until the first statement', (steps[0]?.at ?? requestEnd) - requestStart);
    steps.forEach(({ step, at, sql }, i) => {
      sample(`  ${step}`, (steps[i + 1]?.at ?? requestEnd) - at);
      queries[`  ${step}`] = sql;
    });
    sample('  of which model init (define hooks)', capture.defineMs - defineMs);
    sample('total (cold)', performance.now() - t0);

    await time('same request again (warm)', () => request(slug));
  }

  process.stdout.write(
    `cold ${engine} tenant, first GET /api/products?limit=20 through openTenancy + createApp, ${n} tenants (median ms; SQL statements of the step; ` +
      `a request step runs from its first statement to the next step's):\n`,
  );
  for (const [phase, xs] of Object.entries(phases)) {
    const count = String(queries[phase]?.length ?? '');
    process.stdout.write(`  ${phase.padEnd(36)} ${String(round(median(xs), 2)).padStart(8)} ms   ${count}\n`);
  }
  for (const [phase, names] of Object.entries(definedIn))
    if (names.length > 0) process.stdout.write(`  models defined in ${phase.trim()}: ${names.join(', ')}\n`);
  // define-cost.ts replays cold-path.ts's list; say so when the real request defines something else.
  const real = [...(definedIn['open handle (acquire)'] ?? []), ...(definedIn['GET /api/products?limit=20'] ?? [])].sort();
  const replayed = definedByReplay(COLD_PRODUCT_LIST.filter((s) => !s.nonSuperuserOnly));
  process.stdout.write(
    real.join() === replayed.join()
      ? `  define-cost.ts replays the same models (cold-path.ts, superuser steps)\n`
      : `  WARNING: cold-path.ts is out of date — the request defined ${real.join(', ')}; define-cost.ts replays ${replayed.join(', ')}\n`,
  );
  for (const [phase, qs] of Object.entries(queries))
    if (!phase.startsWith('  '))
      for (const q of qs)
        process.stdout.write(
          `    [${phase}] ${process.env.PROFILE_FULL_SQL || q.length <= 260 ? q : `${q.slice(0, 170)} … ${q.slice(-80)}`}\n`,
        );
} finally {
  await ctx.cleanup.run();
}
