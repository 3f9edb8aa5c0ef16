import { errorText, silentLogger, type Logger } from './logger';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { migrateUp, migrationNames } from '@salesfleet/migrations';
import { driverFor, openSequelize, pgClientConfig, resolveSqlitePath, type DatabaseSpec, type DriverContext } from './drivers/index';

interface PgError extends Error {
  code?: string;
}

/**
 * Migrated template databases that new tenant databases are cloned from: a SQLite file copy, or
 * PostgreSQL `CREATE DATABASE … TEMPLATE`. A clone is byte-for-byte (SQLite) or catalog-for-catalog
 * (PostgreSQL) the database that running every tenant migration produces, including the migrations
 * table, so the provisioner's migrate step finds nothing pending. Templates are named after a hash of
 * the migration list: adding a migration makes a new template and removes the old ones.
 * MySQL has no cloning; it always migrates.
 */
export class TemplateCache {
  readonly #dataDir: string;
  readonly #connectTimeoutMs: number;
  readonly #building = new Map<string, Promise<string | null>>();
  readonly #prefix: string;
  readonly #logger: Logger;

  /**
   * Template names start with `salestpl_`, which no managed tenant database (`sales_<slug>`) can.
   * `namespace` (tests) gives this cache its own PostgreSQL templates, so dropping them cannot pull
   * a template from under another process.
   */
  constructor(options: { dataDir: string; connectTimeoutMs: number; namespace?: string; logger?: Logger }) {
    this.#logger = options.logger ?? silentLogger;
    this.#dataDir = options.dataDir;
    this.#connectTimeoutMs = options.connectTimeoutMs;
    if (options.namespace !== undefined && !/^[a-z0-9]{1,16}$/.test(options.namespace))
      throw new Error('template namespace must be [a-z0-9]{1,16}');
    this.#prefix = options.namespace ? `salestpl_${options.namespace}_` : 'salestpl_';
  }

  /** Hash of the tenant migration list (changes with every new migration). */
  static fingerprint(): string {
    return createHash('sha256').update(migrationNames('tenant').join('\n')).digest('hex').slice(0, 12);
  }

  /**
   * The template to clone `spec` from (SQLite: path relative to the data dir; PostgreSQL: database
   * name on the same server), building it on first use; null when the engine cannot clone or the
   * template could not be built (the caller then creates and migrates as usual).
   */
  async templateFor(spec: DatabaseSpec, ctx: DriverContext): Promise<string | null> {
    // MySQL cannot clone; a schema tenant (postgres-schema) is created empty and migrated.
    if (spec.engine === 'mysql' || spec.schema) return null;
    const key = spec.engine === 'sqlite' ? 'sqlite' : `pg:${spec.host}:${spec.port}:${spec.user}`;
    let pending = this.#building.get(key);
    if (!pending) {
      pending = (spec.engine === 'sqlite' ? this.#sqlite() : this.#postgres(spec, ctx)).catch((err: unknown) => {
        // Creation goes on without a template (create + migrate): slower, same result.
        this.#logger.warn({ err: errorText(err, [spec.password]), engine: spec.engine }, 'tenant template could not be built');
        return null;
      });
      this.#building.set(key, pending);
      // A failed build is retried by a later call.
      void pending.then((name) => {
        if (name === null) this.#building.delete(key);
      });
    }
    return pending;
  }

  /** Drops this cache's PostgreSQL templates on a server (tests; or to reclaim space). */
  async dropPostgresTemplates(server: DatabaseSpec, ctx: DriverContext): Promise<void> {
    const pg = (await import('pg')).default;
    const client = new pg.Client(pgClientConfig(server, ctx.maintenanceDatabase || 'postgres', this.#connectTimeoutMs));
    await client.connect();
    try {
      const r = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [this.#prefix]);
      for (const row of r.rows) {
        if (/^[a-z0-9_]+$/.test(row.datname)) await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
      }
    } finally {
      await client.end();
    }
    this.#building.clear();
  }

  async #sqlite(): Promise<string> {
    const fingerprint = TemplateCache.fingerprint();
    const name = `templates/tenant-${fingerprint}.sqlite`;
    const path = resolveSqlitePath(this.#dataDir, name);
    if (existsSync(path)) return name;
    const building = `templates/.build-${randomBytes(6).toString('hex')}.sqlite`;
    const ctx: DriverContext = { dataDir: this.#dataDir, connectTimeoutMs: this.#connectTimeoutMs };
    const spec: DatabaseSpec = { engine: 'sqlite', database: building, host: null, port: null, user: null, password: null };
    try {
      await driverFor('sqlite').create(spec, ctx);
      const sequelize = openSequelize(spec, { dataDir: this.#dataDir });
      try {
        await migrateUp(sequelize, 'tenant');
        // Fold the WAL into the main file so the file alone is the whole database.
        await sequelize.query('PRAGMA wal_checkpoint(TRUNCATE)');
      } finally {
        await sequelize.close();
      }
      // rename() is atomic: a concurrent builder's identical file may win, which is fine.
      renameSync(resolveSqlitePath(this.#dataDir, building), path);
    } finally {
      await driverFor('sqlite').drop(spec, ctx);
    }
    // Old templates (earlier migration lists) are no longer needed.
    const dir = join(this.#dataDir, 'templates');
    for (const file of readdirSync(dir)) {
      if (file.startsWith('tenant-') && file !== `tenant-${fingerprint}.sqlite`) rmSync(join(dir, file), { force: true });
    }
    return name;
  }

  async #postgres(server: DatabaseSpec, ctx: DriverContext): Promise<string> {
    const fingerprint = TemplateCache.fingerprint();
    const name = `${this.#prefix}${fingerprint}`;
    const driver = driverFor('postgres');
    const templateSpec: DatabaseSpec = { ...server, database: name };
    if (await driver.exists(templateSpec, ctx)) return name;
    const building = `${this.#prefix}b${randomBytes(6).toString('hex')}`;
    const buildSpec: DatabaseSpec = { ...server, database: building };
    await driver.create(buildSpec, ctx);
    try {
      const sequelize = openSequelize(buildSpec, { dataDir: this.#dataDir, poolMax: 1 });
      try {
        await migrateUp(sequelize, 'tenant');
      } finally {
        await sequelize.close();
      }
      const pg = (await import('pg')).default;
      const client = new pg.Client(pgClientConfig(server, ctx.maintenanceDatabase || 'postgres', this.#connectTimeoutMs));
      await client.connect();
      try {
        await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      } catch (err) {
        // 42P04: another process built the same template first.
        if ((err as PgError).code !== '42P04') throw err;
      } finally {
        await client.end();
      }
    } finally {
      await driver.drop(buildSpec, ctx);
    }
    return name;
  }
}
