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
