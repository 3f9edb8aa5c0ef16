/**
 * Test helpers of @salesfleet/tenancy: a complete Tenancy on a temporary data dir, optionally with
 * its managed tenant databases on the test PostgreSQL or MariaDB server and/or its registry there.
 * `cleanup()` drops every database it made and removes the directory.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, testServerUrls, type TestDatabase, type TestDialect } from '@salesfleet/models/testing';
import { makeConfig, type Config } from '../config';
import { driverFor, parseDatabaseUrl } from '../drivers/index';
import type { LogFn, Logger } from '../logger';
import type { ProvisionStep, ProvisionerTestHooks } from '../provisioning/index';
import type { TenantRecord } from '../registry/records';
import { openTenancyWith, type OpenTenancyOptions, type Tenancy } from '../tenancy';
import { TemplateCache } from '../templates';

/** For tools that open a real tenancy with provisioner hooks (the benchmarks' fleet migrations). */
export { openTenancyWith, type OpenTenancyInternals } from '../tenancy';
export { TcpProxy } from './tcp-proxy';
export { DJANGO_TABLES, djangoHash, makeDjangoDatabase, type DjangoTestUser } from './django';
export { PGBOUNCER_PATH, type PgBouncer, pgbouncerSkipReason, startPgBouncer } from './pgbouncer';

/**
 * A registry record built in memory (no registry behind it): an active SQLite tenant unless
 * `overrides` say otherwise. For tests of the router, the connection cache and the budget check.
 */
export function tenantRecord(slug: string, overrides: Partial<TenantRecord> = {}): TenantRecord {
  return {
    id: slug.length,
    slug,
    name: slug,
    adminEmail: `admin@${slug}.test`,
    status: 'active',
    suspendedReason: null,
    maxUsers: 50,
    multiLocation: false,
    trialEndsAt: null,
    paidUntil: null,
    db: {
      engine: 'sqlite',
      host: null,
      port: null,
      name: `tenants/${slug}.sqlite`,
      user: null,
      passwordEncrypted: null,
      managed: true,
      key: `sqlite:tenants/${slug}.sqlite`,
    },
    serverId: null,
    provisioning: null,
    schemaVersion: null,
    userCount: null,
    health: null,
    version: 1,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...overrides,
  };
}

export interface LogEntry {
  level: 'error' | 'warn' | 'info' | 'debug';
  msg: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps its entries (children share them), for tests that a failure was reported. */
export function memoryLogger(entries: LogEntry[] = [], bindings: Record<string, unknown> = {}): Logger & { entries: LogEntry[] } {
  const at =
    (level: LogEntry['level']): LogFn =>
    (first: Record<string, unknown> | string, msg?: string) => {
      if (typeof first === 'string') entries.push({ level, msg: first, fields: { ...bindings } });
      else entries.push({ level, msg: msg ?? '', fields: { ...bindings, ...first } });
    };
  return {
    entries,
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: (more) => memoryLogger(entries, { ...bindings, ...more }),
  };
}

/** Runs `fn` on a client of its own connected to `database` on the test PostgreSQL server. */
export async function inPostgresDatabase<T>(database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const s = parseDatabaseUrl(testServerUrls.postgres);
  const client = new pg.Client({
    host: s.host ?? undefined,
    port: s.port ?? undefined,
    user: s.user ?? undefined,
    password: s.password ?? undefined,
    database,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A schema's structure from the catalog with its own name replaced by `S` (columns, constraints,
 * indexes, sequences, recorded migrations), so two schemas made different ways compare equal.
 */
export function schemaStructure(database: string, schema: string) {
  return inPostgresDatabase(database, async (c) => {
    const q = async (sql: string) => (await c.query(sql, [schema])).rows.map((r) => JSON.stringify(r).replaceAll(schema, 'S'));
    return {
      columns: await q(
        `SELECT table_name, column_name, data_type, is_nullable, column_default, character_maximum_length, numeric_precision, numeric_scale
           FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, column_name`,
      ),
      constraints: await q(
        `SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
          WHERE connamespace = $1::regnamespace ORDER BY 1, 2`,
      ),
      indexes: await q('SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY 1, 2'),
      sequences: await q(
        'SELECT sequence_name, start_value, increment FROM information_schema.sequences WHERE sequence_schema = $1 ORDER BY 1',
      ),
      migrations: await q(`SELECT name FROM "${schema}"."SequelizeMeta" WHERE $1::text IS NOT NULL ORDER BY name`),
    };
  });
}

/** How many PostgreSQL backends (pg_stat_activity) are connected to these databases on the test server. */
export async function postgresBackends(...databases: string[]): Promise<number> {
  const client = new pg.Client({ connectionString: testServerUrls.postgres });
  await client.connect();
  try {
    const r = await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = ANY($1)', [databases]);
    return Number(r.rows[0]!.n);
  } finally {
    await client.end();
  }
}

export interface TestTenancyOptions extends OpenTenancyOptions {
  /** Where managed tenant databases go: SQLite files (default) or the test server of that engine. */
  engine?: TestDialect;
  /** Where the registry lives (default SQLite in the data dir). */
  registryEngine?: TestDialect;
  /** Share this data dir (and its SQLite registry) instead of making one; not removed by cleanup. */
  dataDir?: string;
  /** Make this provisioning step fail after its work (compensation tests). */
  failAt?: ProvisionStep;
  /** Runs when a creation has failed, before its compensation (see ProvisionerTestHooks). */
  beforeCompensation?: ProvisionerTestHooks['beforeCompensation'];
  /** Tenant migrations for fleet migrations instead of the compiled list (see ProvisionerTestHooks). */
  tenantMigrations?: ProvisionerTestHooks['tenantMigrations'];
  /** Config overrides. */
  config?: Partial<Omit<Config, 'secretKey' | 'dataDir'>>;
  secretKey?: string;
}

export interface TestTenancy extends Tenancy {
  dataDir: string;
  /** Closes the tenancy, drops databases of tenants still registered, templates and the registry. */
  cleanup(): Promise<void>;
}

/** Waits for `check` to hold (asynchronous effects: a change feed, a scheduler); fails after `ms` naming `what`. */
export async function until(check: () => Promise<boolean> | boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached in time: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A random valid slug (`t` + 10 hex), unique enough for parallel tests on shared servers. */
export function testSlug(prefix = 't'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

/** Creates `count` postgres-schema tenants, one after another, in the shared database `shared`. */
export async function createSchemaTenants(t: Tenancy, shared: string, count: number, prefix: string): Promise<TenantRecord[]> {
  const tenants: TenantRecord[] = [];
  for (let i = 0; i < count; i++) {
    const { tenant } = await t.provisioner.createTenant(
      {
        name: `${prefix} ${i}`,
        subdomain: testSlug(prefix),
        adminEmail: `a${i}@${prefix}.test`,
        database: { engine: 'postgres-schema', name: shared },
      },
      { actor: 'test' },
    );
    tenants.push(tenant);
  }
  return tenants;
}

export async function createTestTenancy(options: TestTenancyOptions = {}): Promise<TestTenancy> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'salesfleet-tenancy-'));
  let registryDb: TestDatabase | null = null;
  if (options.registryEngine && options.registryEngine !== 'sqlite') registryDb = await createTestDatabase(options.registryEngine);
  const engine = options.engine ?? 'sqlite';
  const namespace = randomBytes(4).toString('hex');
  const config = makeConfig({
    dataDir,
    secretKey: options.secretKey ?? `test-secret-${randomBytes(16).toString('hex')}`,
    registryUrl: registryDb?.url ?? null,
    tenantServerUrl: engine === 'sqlite' ? null : testServerUrls[engine],
    maxOpenTenants: 20,
    tenantIdleMs: 60_000,
    dbConnectTimeoutMs: 5_000,
    ...options.config,
  });
  let tenancy: Tenancy;
  try {
    tenancy = await openTenancyWith(
      config,
      { migrateRegistry: true, ...options },
      {
        provisionerHooks: {
          ...(options.failAt ? { failAt: options.failAt } : {}),
          ...(options.beforeCompensation ? { beforeCompensation: options.beforeCompensation } : {}),
          ...(options.tenantMigrations ? { tenantMigrations: options.tenantMigrations } : {}),
        },
        templateNamespace: namespace,
      },
    );
  } catch (err) {
    await registryDb?.drop();
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  let cleaned = false;
  return Object.assign(Object.create(null) as object, tenancy, {
    dataDir,
    async cleanup() {
      if (cleaned) return;
      cleaned = true;
      const ctx = { dataDir, connectTimeoutMs: 5000 };
      try {
        const tenants = await tenancy.registry.listTenants().catch(() => []);
        await tenancy.connections.closeAll({ graceMs: 1000 });
        const sharedDatabases = new Map<string, ReturnType<typeof tenancy.registry.databaseSpecOf>>();
        for (const t of tenants) {
          if (t.db.engine === 'sqlite') continue;
          const spec = tenancy.registry.databaseSpecOf(t);
          // A schema tenant's shared database is dropped whole (tests name theirs sales_…).
          if (spec.schema) sharedDatabases.set(spec.database, { ...spec, schema: null });
          else if (spec.database.startsWith('sales_'))
            await driverFor(spec.engine)
              .drop(spec, ctx)
              .catch(() => undefined);
        }
        await tenancy.close().catch(() => undefined);
        for (const [name, spec] of sharedDatabases) {
          if (name.startsWith('sales_'))
            await driverFor('postgres')
              .drop(spec, ctx)
              .catch(() => undefined);
        }
        if (engine === 'postgres') {
          await new TemplateCache({ dataDir, connectTimeoutMs: 5000, namespace })
            .dropPostgresTemplates(parseDatabaseUrl(testServerUrls.postgres), ctx)
            .catch(() => undefined);
        }
        if (engine === 'mysql') {
          await new TemplateCache({ dataDir, connectTimeoutMs: 5000, namespace })
            .dropMysqlTemplates(parseDatabaseUrl(testServerUrls.mysql), ctx)
            .catch(() => undefined);
        }
      } finally {
        await tenancy.close().catch(() => undefined);
        await registryDb?.drop().catch(() => undefined);
        if (ownDir) rmSync(dataDir, { recursive: true, force: true });
      }
    },
  }) as TestTenancy;
}
