import { errorText, silentLogger, type Logger } from './logger';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { migrateUp, migrationNames } from '@salesfleet/migrations';
import { isSalesfleetError } from '@salesfleet/contracts';
import {
  assertSafeIdentifier,
  driverFor,
  MIGRATIONS_TABLE,
  mysqlConnectionConfig,
  openSequelize,
  pgClientConfig,
  resolveSqlitePath,
  type DatabaseSpec,
  type DriverContext,
} from './drivers/index';
import { mysqlConnection } from './drivers/modules';

interface PgError extends Error {
  code?: string;
}

/** Statements a recorded migration leaves out: the replay runs in one transaction of its own. */
const TRANSACTION_CONTROL = /^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|SHOW)\b/i;

/** A bound statement with its parameters as SQL literals (standard_conforming_strings is on since PostgreSQL 9.1). */
function inlineParameters(text: string, values: unknown): string {
  if (!Array.isArray(values) || values.length === 0) return text;
  return text.replace(/\$(\d+)\b/g, (whole, n: string) => {
    const i = Number(n) - 1;
    return i < values.length ? sqlLiteral(values[i]) : whole;
  });
}

function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return `'${value.toISOString()}'`;
  if (Buffer.isBuffer(value)) return `'\\x${value.toString('hex')}'`;
  return `'${String(value).replace(/'/g, "''")}'`;
}

/**
 * Migrated template databases that new tenant databases are cloned from: a SQLite file copy, or
 * PostgreSQL `CREATE DATABASE … TEMPLATE`. A clone is byte-for-byte (SQLite) or catalog-for-catalog
 * (PostgreSQL) the database that running every tenant migration produces, including the migrations
 * table, so the provisioner's migrate step finds nothing pending. Templates are named after a hash of
 * the migration list: adding a migration makes a new template and removes the old ones.
 * MySQL has no cloning: a migrated template database is kept on the server the same way, and a new
 * tenant database is created by replaying its DDL (`SHOW CREATE TABLE`) and rows as one script
 * (`scriptFor`).
 */
export class TemplateCache {
  readonly #dataDir: string;
  readonly #connectTimeoutMs: number;
  readonly #building = new Map<string, Promise<string | null>>();
  readonly #scripts = new Map<string, Promise<{ script: string; placeholder: string } | null>>();
  readonly #mysqlScripts = new Map<string, Promise<string | null>>();
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

  /**
   * The SQL that makes a new, empty database or schema of `spec` a migrated one (see `CreateDatabaseOptions.script`):
   * `postgres-schema` (schemaScriptFor) and MySQL (the template database's DDL and rows); null for
   * the other engines, or when it could not be recorded (then create + migrate).
   */
  async scriptFor(spec: DatabaseSpec, ctx: DriverContext): Promise<string | null> {
    if (spec.engine === 'postgres') return spec.schema ? this.schemaScriptFor(spec, ctx) : null;
    if (spec.engine !== 'mysql') return null;
    // Keyed by the migration list too: a new migration records a new script (and a new template).
    const key = `mysql:${spec.host}:${spec.port}:${spec.user}:${TemplateCache.fingerprint()}`;
    let pending = this.#mysqlScripts.get(key);
    if (!pending) {
      pending = this.#recordMysqlScript(spec, ctx).catch((err: unknown) => {
        this.#logger.warn({ err: errorText(err, [spec.password]), engine: 'mysql' }, 'MySQL tenant template could not be recorded');
        return null;
      });
      this.#mysqlScripts.set(key, pending);
      void pending.then((script) => {
        if (script === null) this.#mysqlScripts.delete(key);
      });
    }
    return pending;
  }

  /**
   * The template database `salestpl_<fingerprint>` on the server (built once: migrated in a scratch
   * database, then materialised from the script, so it never exists half-built under its own name),
   * and its script. A template whose migrations table is not complete is not used.
   */
  async #recordMysqlScript(server: DatabaseSpec, ctx: DriverContext): Promise<string> {
    const name = `${this.#prefix}${TemplateCache.fingerprint()}`;
    const driver = driverFor('mysql');
    const templateSpec: DatabaseSpec = { ...server, database: name };
    if (await driver.exists(templateSpec, ctx)) {
      const captured = await captureMysqlDatabase(templateSpec, this.#connectTimeoutMs);
      if (captured.complete) return captured.script;
      this.#logger.warn({ template: name }, 'MySQL tenant template is incomplete; recording from a scratch build');
    }
    const building = `${this.#prefix}b${randomBytes(6).toString('hex')}`;
    const buildSpec: DatabaseSpec = { ...server, database: building };
    await driver.create(buildSpec, ctx);
    let script: string;
    try {
      const sequelize = openSequelize(buildSpec, { dataDir: this.#dataDir, poolMax: 1 });
      try {
        await migrateUp(sequelize, 'tenant');
      } finally {
        await sequelize.close();
      }
      const captured = await captureMysqlDatabase(buildSpec, this.#connectTimeoutMs);
      if (!captured.complete) throw new Error('the migrated template database has not every migration recorded');
      script = captured.script;
    } finally {
      await driver.drop(buildSpec, ctx);
    }
    try {
      await driver.create(templateSpec, ctx, { script });
    } catch (err) {
      // Another process made it first: theirs is the same.
      if (!isSalesfleetError(err) || err.code !== 'DatabaseExists') throw err;
    }
    return script;
  }

  /** Drops this cache's MySQL templates on a server (tests; or to reclaim space). */
  async dropMysqlTemplates(server: DatabaseSpec, ctx: DriverContext): Promise<void> {
    const driver = driverFor('mysql');
    for (const database of await driver.list(server, this.#prefix, ctx)) {
      if (/^[a-z0-9_]+$/.test(database)) await driver.drop({ ...server, database }, ctx);
    }
    this.#mysqlScripts.clear();
  }

  /**
   * `postgres-schema`: the SQL that turns an empty schema into a migrated one, recorded once per
   * process and shared database from a real migration of a scratch schema (then dropped), and
   * returned for `schema` — run with the new schema as search path, in the transaction that creates
   * it (one round trip instead of Umzug's). Null when it could not be recorded (then create + migrate).
   */
  async schemaScriptFor(spec: DatabaseSpec, ctx: DriverContext): Promise<string | null> {
    if (spec.engine !== 'postgres' || !spec.schema) return null;
    const key = `schema:${spec.host}:${spec.port}:${spec.user}:${spec.database}`;
    let pending = this.#scripts.get(key);
    if (!pending) {
      pending = this.#recordSchemaScript(spec, ctx).catch((err: unknown) => {
        this.#logger.warn(
          { err: errorText(err, [spec.password]), engine: 'postgres-schema' },
          'tenant schema template could not be recorded',
        );
        return null;
      });
      this.#scripts.set(key, pending);
      void pending.then((recorded) => {
        if (recorded === null) this.#scripts.delete(key);
      });
    }
    const recorded = await pending;
    return recorded ? recorded.script.replaceAll(recorded.placeholder, assertSafeIdentifier(spec.schema, 'schema')) : null;
  }

  async #recordSchemaScript(spec: DatabaseSpec, ctx: DriverContext): Promise<{ script: string; placeholder: string }> {
    // A name no tenant schema (t_…) can have, random so the text replacement can only hit it.
    const placeholder = `${this.#prefix}s${randomBytes(8).toString('hex')}`;
    const scratch: DatabaseSpec = { ...spec, schema: placeholder };
    const driver = driverFor('postgres');
    await driver.create(scratch, ctx);
    const statements: string[] = [];
    try {
      const sequelize = openSequelize(scratch, { dataDir: this.#dataDir, poolMax: 1, tenant: true });
      sequelize.addHook('afterConnect', (connection) => {
        const client = connection as { query: (...args: unknown[]) => unknown };
        const query = client.query.bind(client);
        client.query = (...args: unknown[]) => {
          const [text, values] = args;
          const callback = args.at(-1);
          // Only statements that succeeded (a probe of a missing table fails and is not part of the result).
          if (typeof text === 'string' && !TRANSACTION_CONTROL.test(text) && typeof callback === 'function') {
            args[args.length - 1] = (err: unknown, result: unknown) => {
              if (!err) statements.push(inlineParameters(text, values));
              (callback as (e: unknown, r: unknown) => void)(err, result);
            };
          }
          return query(...args);
        };
      });
      try {
        await migrateUp(sequelize, 'tenant');
      } finally {
        await sequelize.close();
      }
    } finally {
      await driver.drop(scratch, ctx);
    }
    return { script: statements.map((sql) => sql.trim().replace(/;+$/, '')).join(';\n'), placeholder };
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

/**
 * A MySQL database as one script: `SHOW CREATE TABLE` of every table in dependency order (a table
 * after those its foreign keys name), then its rows as INSERTs, the migrations table's last — its rows
 * are what `complete` checks, so a script (or a template) cut short never passes for a migrated one.
 * Values are read as the server's text (no Date, big number or JSON conversion on the way through),
 * so what is inserted is what was there. Foreign key checks are off for the script's
 * connection only (it is ours and closed after): the rows need no order among themselves.
 */
async function captureMysqlDatabase(spec: DatabaseSpec, connectTimeoutMs: number): Promise<{ script: string; complete: boolean }> {
  const conn = await mysqlConnection({
    ...mysqlConnectionConfig(spec, spec.database, connectTimeoutMs),
    // Values as the server's text (binary columns as bytes): nothing converted on the way through.
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    jsonStrings: true,
  });
  try {
    const [tableRows] = await conn.query(
      "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
    );
    const tables = (tableRows as { name: string }[]).map((r) => r.name);
    const [refRows] = await conn.query(
      'SELECT TABLE_NAME AS name, REFERENCED_TABLE_NAME AS ref FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()',
    );
    const ordered = dependencyOrder(tables, refRows as { name: string; ref: string }[]);
    const q = (name: string) => conn.escapeId(name);
    const statements = ['SET FOREIGN_KEY_CHECKS = 0'];
    const inserts: string[] = [];
    let migrationInserts: string[] = [];
    for (const table of ordered) {
      const [created] = await conn.query(`SHOW CREATE TABLE ${q(table)}`);
      statements.push(String((created as Record<string, unknown>[])[0]?.['Create Table']));
      const [rows] = await conn.query(`SELECT * FROM ${q(table)}`);
      const list = rows as Record<string, unknown>[];
      if (list.length === 0) continue;
      const columns = Object.keys(list[0]!);
      const values = list.map((row) => `(${columns.map((c) => conn.escape(row[c])).join(', ')})`);
      const insert = `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES\n${values.join(',\n')}`;
      if (table === MIGRATIONS_TABLE) migrationInserts = [insert];
      else inserts.push(insert);
    }
    let complete = false;
    if (tables.includes(MIGRATIONS_TABLE)) {
      const [applied] = await conn.query(`SELECT name FROM ${q(MIGRATIONS_TABLE)}`);
      const names = new Set((applied as { name: string }[]).map((r) => r.name));
      complete = migrationNames('tenant').every((n) => names.has(n));
    }
    statements.push(...inserts, ...migrationInserts, 'SET FOREIGN_KEY_CHECKS = 1');
    return { script: statements.join(';\n'), complete };
  } finally {
    await conn.end().catch(() => undefined);
  }
}

/** `tables` with every table after the tables it references (self-references and cycles tolerated: checks are off). */
function dependencyOrder(tables: string[], references: { name: string; ref: string }[]): string[] {
  const refs = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]));
  for (const { name, ref } of references) if (name !== ref && refs.has(ref)) refs.get(name)?.add(ref);
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (table: string) => {
    if (placed.has(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const ref of refs.get(table) ?? []) place(ref);
    visiting.delete(table);
    placed.add(table);
    ordered.push(table);
  };
  for (const table of tables) place(table);
  return ordered;
}
