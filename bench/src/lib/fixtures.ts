import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { createApp } from '@salesfleet/api';
import { migrationNames } from '@salesfleet/migrations';
import { makeConfig, openTenancy, sqliteTenantPath, type Tenancy } from '@salesfleet/tenancy';
import { cloneDatabases, dropDatabasesWithPrefix, pgServer, pgUrlFor } from './pg';
import type { RunContext } from './run-context';

/** The template tenant's admin password (it exists only in this run's temporary databases). */
export const BENCH_PASSWORD = 'bench horse battery staple 42';
/** Products in every benchmark tenant; the route reads a page of 20. */
export const PRODUCTS_PER_TENANT = 200;

export interface TemplateTenant {
  engine: 'sqlite' | 'postgres';
  /** A live session of the template's admin: every clone holds the same session row. */
  token: string;
  /** SQLite: absolute path of the template file. PostgreSQL: the template database. */
  source: string;
}

export interface Fleet {
  dataDir: string;
  /** Slugs of SQLite tenants (`s00000` …) and PostgreSQL tenants (`p00000` …). */
  sqlite: string[];
  postgres: string[];
  /** Environment for a server or task on this fleet's registry. */
  env(extra?: Record<string, string>): Record<string, string>;
}

export interface FleetOptions {
  sqlite?: number;
  /** PostgreSQL tenants, spread round-robin over the first `pgDistinct` databases of the run's pool. */
  postgres?: number;
  pgDistinct?: number;
  /** Copy the SQLite template for every tenant (false: registry rows only, for the memory benchmark). */
  files?: boolean;
  /** Also copy the template as `baseline.sqlite` (the baseline server's one database). */
  baseline?: boolean;
}

const silent = pino({ level: 'silent' });

/**
 * The databases benchmarks run against, made once per run and reused: a migrated, seeded template
 * tenant per engine (made through the real Provisioner, with 200 products and a signed-in admin
 * session), copied (SQLite) or cloned with CREATE DATABASE … TEMPLATE (PostgreSQL), and registries
 * whose rows are inserted in bulk — the full provisioner is not run hundreds of times.
 */
export class Fixtures {
  readonly #ctx: RunContext;
  #sqlite: Promise<TemplateTenant> | null = null;
  #pg: Promise<TemplateTenant> | null = null;
  #pgDatabases: string[] = [];
  #pgBaseline: Promise<string> | null = null;
  #pgBusy: Promise<unknown> = Promise.resolve();
  #fleets = 0;

  constructor(ctx: RunContext) {
    this.#ctx = ctx;
  }

  /** PostgreSQL databases of this run are named `<run id>_…`. */
  get pgPrefix(): string {
    return `${this.#ctx.id}_`;
  }

  /** The tenancy config of a registry in `dataDir` (what the servers load from `env`). */
  config(dataDir: string) {
    return makeConfig({ dataDir, secretKey: this.#ctx.secretKey, nodeEnv: 'production' });
  }

  /** Environment of a child process on `dataDir` (the tenancy config it loads with loadConfig). */
  env(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      SALESFLEET_DATA_DIR: dataDir,
      SALESFLEET_SECRET_KEY: this.#ctx.secretKey,
      SALESFLEET_BASE_DOMAINS: 'localhost',
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      PORT: '0',
      ...extra,
    };
  }

  sqliteTemplate(): Promise<TemplateTenant> {
    this.#sqlite ??= this.#buildTemplate('sqlite');
    return this.#sqlite;
  }

  pgTemplate(): Promise<TemplateTenant> {
    if (!this.#pg) {
      this.#ctx.cleanup.add('drop the run’s PostgreSQL databases', async () => {
        const n = await dropDatabasesWithPrefix([this.pgPrefix], (done, total) => {
          if (done === total || done % 25 === 0) process.stderr.write(`  dropped ${done}/${total} PostgreSQL databases\n`);
        });
        if (n > 0) process.stderr.write(`  dropped ${n} PostgreSQL databases (${this.pgPrefix}*)\n`);
      });
      this.#pg = this.#buildTemplate('postgres');
    }
    return this.#pg;
  }

  /** The first `n` databases of the run's PostgreSQL pool (`<run>_d0000` …), cloning the missing ones. */
  async pgDatabases(n: number): Promise<string[]> {
    const work = this.#pgBusy.then(async () => {
      const template = await this.pgTemplate();
      const missing: string[] = [];
      for (let i = this.#pgDatabases.length; i < n; i++) missing.push(`${this.pgPrefix}d${String(i).padStart(4, '0')}`);
      if (missing.length > 0) {
        const started = performance.now();
        await cloneDatabases(template.source, missing, 4);
        this.#pgDatabases.push(...missing);
        process.stderr.write(
          `  cloned ${missing.length} PostgreSQL tenant databases in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
        );
      }
      return this.#pgDatabases.slice(0, n);
    });
    this.#pgBusy = work.catch(() => undefined);
    return work;
  }

  /** One more clone of the PostgreSQL template: the baseline servers' one database. */
  pgBaseline(): Promise<string> {
    this.#pgBaseline ??= (async () => {
      const template = await this.pgTemplate();
      const name = `${this.pgPrefix}base`;
      await cloneDatabases(template.source, [name], 1);
      return name;
    })();
    return this.#pgBaseline;
  }

  /** A data dir with a registry holding the requested tenants, all `active` at the current schema. */
  async fleet(options: FleetOptions): Promise<Fleet> {
    const dataDir = this.#ctx.subdir(`fleet-${++this.#fleets}`);
    const sqlite = Array.from({ length: options.sqlite ?? 0 }, (_, i) => `s${String(i).padStart(5, '0')}`);
    const postgres = Array.from({ length: options.postgres ?? 0 }, (_, i) => `p${String(i).padStart(5, '0')}`);
    const schemaVersion = migrationNames('tenant').at(-1) ?? null;
    if (sqlite.length > 0 && options.files !== false) {
      const template = await this.sqliteTemplate();
      mkdirSync(join(dataDir, 'tenants'), { recursive: true });
      for (const slug of sqlite) copyFileSync(template.source, join(dataDir, sqliteTenantPath(slug)));
      if (options.baseline) copyFileSync(template.source, join(dataDir, 'baseline.sqlite'));
    }
    const databases = postgres.length > 0 ? await this.pgDatabases(Math.min(options.pgDistinct ?? postgres.length, postgres.length)) : [];
    const server = pgServer();
    const tenancy = await openTenancy(this.config(dataDir), { migrateRegistry: true, templates: false });
    try {
      const now = new Date();
      const row = (slug: string) => ({
        slug,
        name: `Tenant ${slug}`,
        adminEmail: `admin@${slug}.example.com`,
        status: 'active' as const,
        suspendedReason: null,
        maxUsers: 50,
        multiLocation: false,
        trialEndsAt: null,
        paidUntil: null,
        dbHost: null as string | null,
        dbPort: null as number | null,
        dbUser: null as string | null,
        dbPasswordEncrypted: null,
        dbManaged: true,
        schemaVersion,
        createdAt: now,
        updatedAt: now,
      });
      const rows = [
        ...sqlite.map((slug) => ({ ...row(slug), dbEngine: 'sqlite' as const, dbName: sqliteTenantPath(slug) })),
        ...postgres.map((slug, i) => ({
          ...row(slug),
          dbEngine: 'postgres' as const,
          dbHost: server.host,
          dbPort: server.port,
          dbUser: server.user,
          dbName: databases[i % databases.length]!,
        })),
      ];
      const Tenant = tenancy.registry.models.Tenant;
      for (let i = 0; i < rows.length; i += 500) await Tenant.bulkCreate(rows.slice(i, i + 500) as never[]);
    } finally {
      await tenancy.close();
    }
    return { dataDir, sqlite, postgres, env: (extra = {}) => this.env(dataDir, extra) };
  }

  async #buildTemplate(engine: 'sqlite' | 'postgres'): Promise<TemplateTenant> {
    const dataDir = this.#ctx.subdir(`template-${engine}`);
    const tenancy: Tenancy = await openTenancy(this.config(dataDir), { migrateRegistry: true, templates: false });
    try {
      const database = engine === 'postgres' ? { engine: 'postgres' as const, url: pgUrlFor(`${this.pgPrefix}tpl`) } : undefined;
      const created = await tenancy.provisioner.createTenant(
        {
          name: 'Bench template',
          subdomain: 'tpl',
          adminEmail: 'admin@tpl.example.com',
          adminUsername: 'admin',
          adminPassword: BENCH_PASSWORD,
          ...(database ? { database } : {}),
        },
        { actor: 'bench' },
      );
      await tenancy.connections.withTenant(created.tenant, async ({ models }) => {
        await models.Product.bulkCreate(
          Array.from({ length: PRODUCTS_PER_TENANT }, (_, i) => ({
            sku: `SKU-${String(i).padStart(4, '0')}`,
            name: `Product ${String((i * 37) % PRODUCTS_PER_TENANT).padStart(4, '0')}`,
            unitPrice: 100 + i,
          })),
        );
      });
      const { app } = createApp(tenancy.config, { tenancy, logger: silent });
      const res = await app.request('http://tpl.localhost/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'admin', password: BENCH_PASSWORD }),
      });
      if (res.status !== 200) throw new Error(`template sign-in answered ${res.status}: ${await res.text()}`);
      const { token } = (await res.json()) as { token: string };
      // Close the handle: a PostgreSQL template must have no connection; SQLite folds its WAL back.
      await tenancy.connections.evict(created.tenant.id);
      const source = engine === 'postgres' ? `${this.pgPrefix}tpl` : join(dataDir, sqliteTenantPath('tpl'));
      if (engine === 'sqlite' && existsSync(`${source}-wal`)) throw new Error('the SQLite template still has a WAL file after closing');
      return { engine, token, source };
    } finally {
      await tenancy.close();
    }
  }
}
