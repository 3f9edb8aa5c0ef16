import { dirname } from 'node:path';
import { DataTypes, Sequelize, type Options } from 'sequelize';
import { tenantSequelizeOptions } from '@salesfleet/models';
import sqlite3 from 'sqlite3';
import { makePrivateDir, createPrivateFile } from '../private-files';
import { assertSafeIdentifier, resolveSqlitePath, type DatabaseSpec } from './spec';
import { mysql2Module, pgModule } from './modules';

export interface OpenSequelizeOptions {
  /** Absolute data dir (SQLite paths are resolved inside it). */
  dataDir: string;
  /** Connect timeout (ms) for new server connections. */
  connectTimeoutMs?: number;
  /** How long a query waits for a pooled connection before failing (ms). */
  acquireTimeoutMs?: number;
  /** Pool size for server engines (tenant handles: 3; the registry: 5). */
  poolMax?: number;
  /**
   * Connections the pool keeps open however long they idle (default 0). Tenant handles keep 1, so a
   * cached handle stays connected; connections above it still close after `poolIdleMs`.
   */
  poolMin?: number;
  /** Close idle pooled connections after this many ms. */
  poolIdleMs?: number;
  /** SQLite busy timeout (ms): how long a writer waits for another writer's lock. */
  busyTimeoutMs?: number;
  /**
   * SQLite only: create the file when missing (default false — a tenant whose file vanished must
   * fail, not silently start over with an empty database).
   */
  create?: boolean;
  /**
   * A tenant database: adds the tenant options of @salesfleet/models (PostgreSQL BIGINT/NUMERIC and
   * MySQL DECIMAL parsed as numbers).
   */
  tenant?: boolean;
}

/**
 * A Sequelize instance on `spec` with a small pool, connect and acquire timeouts and logging off.
 * SQLite connections get `foreign_keys=ON`, WAL, `busy_timeout` and `synchronous=NORMAL` — on every
 * connection Sequelize opens, including per-transaction ones.
 * Nothing connects until the first query (or `authenticate()`).
 */
export function openSequelize(spec: DatabaseSpec, options: OpenSequelizeOptions): Sequelize {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  const common: Options = {
    logging: false,
    benchmark: false,
    pool: {
      max: options.poolMax ?? 3,
      min: options.poolMin ?? 0,
      idle: options.poolIdleMs ?? 10_000,
      acquire: options.acquireTimeoutMs ?? connectTimeoutMs,
      evict: 1_000,
    },
  };
  if (spec.engine === 'sqlite') {
    if (options.create) {
      // The registry: created 0600 in a 0700 folder before SQLite would create it with the umask's mode.
      const path = resolveSqlitePath(options.dataDir, spec.database);
      makePrivateDir(dirname(path));
      createPrivateFile(path);
    }
    const sequelize = new Sequelize(
      withTenantOptions(options, {
        ...common,
        dialect: 'sqlite',
        // The driver module given, not looked up: Sequelize would require() it for every new instance,
        // and each require() resolves the module path again (through tsx's resolver in production).
        dialectModule: sqlite3,
        storage: resolveSqlitePath(options.dataDir, spec.database),
        dialectOptions: { mode: options.create ? sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE : sqlite3.OPEN_READWRITE },
        // foreign_keys=ON is set with the other pragmas in one batch (applySqlitePragmas) instead of
        // Sequelize's own separate statement: one trip to the SQLite thread pool less per connection.
        ...({ foreignKeys: false } as Options),
      }),
    );
    applySqlitePragmas(sequelize, options.busyTimeoutMs ?? 5000);
    return sequelize;
  }
  const server = `${spec.engine}://${spec.host ?? '127.0.0.1'}:${spec.port ?? ''}`;
  const knownVersion = serverVersions.get(server);
  if (knownVersion) (common as { databaseVersion?: string }).databaseVersion = knownVersion;
  if (spec.engine === 'mysql') {
    const sequelize = new Sequelize(
      withTenantOptions(options, {
        ...common,
        dialect: 'mysql',
        dialectModule: mysql2Module(),
        host: spec.host ?? '127.0.0.1',
        port: spec.port ?? undefined,
        database: spec.database,
        username: spec.user ?? undefined,
        password: spec.password ?? undefined,
        dialectOptions: { connectTimeout: connectTimeoutMs },
      }),
    );
    rememberServerVersion(sequelize, server);
    return sequelize;
  }
  const sequelize = new Sequelize(
    withTenantOptions(options, {
      ...common,
      dialect: 'postgres',
      dialectModule: pgModule(),
      host: spec.host ?? '127.0.0.1',
      port: spec.port ?? undefined,
      database: spec.database,
      username: spec.user ?? undefined,
      password: spec.password ?? undefined,
      // No session settings at all — neither SET after connecting nor `options` in the startup packet,
      // which PgBouncer refuses — so a connection is the same whoever used it last, and a pooler in
      // transaction mode can share server connections. Timestamps are timestamptz written with an
      // explicit offset and read as instants, and no SQL does date arithmetic in the session's zone.
      ...({ keepDefaultTimezone: true } as Options),
      dialectOptions: {
        connectionTimeoutMillis: connectTimeoutMs,
        application_name: 'salesfleet',
        clientMinMessages: 'ignore',
      },
      // A schema tenant's own short-lived instance (provisioning, migrations, backups — never the
      // serving pool, see schema-pools.ts): every statement runs in a transaction whose search path
      // is the schema alone (bindSchemaPerTransaction). Sequelize's own DDL helpers (removeColumn,
      // changeColumn, describeTable) default to `schema`, not to `public`.
      ...(spec.schema ? ({ schema: spec.schema } as Options) : {}),
    }),
  );
  if (spec.schema) {
    const setPath = `SET LOCAL search_path TO "${assertSafeIdentifier(spec.schema, 'schema')}"`;
    sequelize.addHook('afterConnect', (connection) => bindSchemaPerTransaction(connection as PgClient, setPath));
  }
  shareBuiltinTypeOids(sequelize, `${spec.host ?? '127.0.0.1'}:${spec.port ?? 5432}`);
  rememberServerVersion(sequelize, server);
  return sequelize;
}

type PgCallback = (err: Error | null, result?: unknown) => void;
interface PgClient {
  query(...args: unknown[]): unknown;
  /** 'I' idle, 'T' in a transaction, 'E' in a failed transaction (pg ≥ 8.12). */
  getTransactionStatus(): string | null;
}

const BEGINS_TRANSACTION = /^\s*(START\s+TRANSACTION|BEGIN)\b/i;

/**
 * A schema tenant's search path without session state (issue 17): no `options` in the start-up
 * packet (PgBouncer in transaction mode refuses it) and no plain `SET` (it would stay on a server
 * connection a pooler hands to someone else). Instead, on this connection, a transaction Sequelize
 * begins is followed by `SET LOCAL search_path` in it (in the same round trip), and a statement
 * outside any transaction runs in one of its own — `BEGIN; SET LOCAL search_path …; <statement>;
 * COMMIT`, one round trip when the statement has no bound parameters (three when it has) — so every
 * statement sees the schema and the setting ends with its transaction. Statements that
 * cannot run in a transaction block (CREATE INDEX CONCURRENTLY, VACUUM) are not used on tenants.
 */
function bindSchemaPerTransaction(connection: PgClient, setPath: string): void {
  const raw = connection.query.bind(connection) as (...args: unknown[]) => unknown;
  const original = raw as (text: unknown, values?: unknown) => Promise<unknown>;
  const simple = (text: unknown, values: unknown): text is string =>
    typeof text === 'string' && (values === undefined || (Array.isArray(values) && values.length === 0));
  const run = async (text: unknown, values: unknown): Promise<unknown> => {
    if (typeof text === 'string' && BEGINS_TRANSACTION.test(text)) {
      // The transaction's start and its search path in one round trip (a simple query), the path set
      // right after the start: a deferred START TRANSACTION (writeTransaction) brings the
      // transaction's first statements with it, and they must see the schema.
      if (simple(text, values)) {
        const end = text.indexOf(';');
        const start = end < 0 ? text : text.slice(0, end);
        const rest =
          end < 0
            ? ''
            : text
                .slice(end + 1)
                .replace(/;\s*$/, '')
                .trim();
        return withoutResult(await original(`${start}; ${setPath}${rest ? `;\n${rest}` : ''}`), 1);
      }
      const result = await original(text, values);
      await original(setPath);
      return result;
    }
    try {
      // A statement without parameters rides in one round trip with its transaction (the statements of
      // a simple query run one after another, so the search path is set when the statement is analysed).
      if (simple(text, values)) return ownResults(await original(`BEGIN; ${setPath}; ${text.replace(/;\s*$/, '')}\n; COMMIT`), 2, 1);
      await original(`BEGIN; ${setPath}`);
      const result = await original(text, values);
      await original('COMMIT');
      return result;
    } catch (err) {
      // Also when the statement failed inside the one-round-trip form (the rest of it was skipped; the
      // transaction status may not say so yet when the error arrives).
      await original('ROLLBACK').catch(() => undefined);
      throw err;
    }
  };
  connection.query = (...args: unknown[]) => {
    let [text, values, callback] = args as [unknown, unknown, PgCallback | undefined];
    // Inside a transaction, and for submittables (a COPY stream, which the caller needs back as it
    // is, not in a promise; used in transactions only), the query runs as it was given.
    const begins = typeof text === 'string' && BEGINS_TRANSACTION.test(text);
    if (!begins && (typeof text !== 'string' || connection.getTransactionStatus() !== 'I')) return raw(...args);
    if (typeof values === 'function') {
      callback = values as PgCallback;
      values = undefined;
    }
    const result = run(text, values);
    if (!callback) return result;
    result.then(
      (r) => callback(null, r),
      (err: Error) => callback(err),
    );
    return undefined;
  };
}

/** The results of a simple query less the one at `index` (a statement of ours), as if sent without it. */
function withoutResult(results: unknown, index: number): unknown {
  if (!Array.isArray(results)) return results;
  const own = results.filter((_, i) => i !== index);
  return own.length === 1 ? own[0] : own;
}

/** The results of the caller's statement(s) sent between `before` and `after` statements of ours, as if sent alone. */
function ownResults(results: unknown, before: number, after: number): unknown {
  if (!Array.isArray(results)) return results;
  const own = results.slice(before, results.length - after);
  return own.length === 1 ? own[0] : own;
}

/** Server versions per server, so later instances skip Sequelize's version probe. */
const serverVersions = new Map<string, string>();

/**
 * Without a known `databaseVersion`, every new Sequelize instance opens one extra connection just to
 * read the server version (and closes it) before its pool opens the real one: two connections per cold
 * tenant. The first instance per server learns the version; later instances are told it.
 */
function rememberServerVersion(sequelize: Sequelize, server: string): void {
  if (serverVersions.has(server)) return;
  sequelize.addHook('afterConnect', () => {
    const version = (sequelize as unknown as { options: { databaseVersion?: string | number } }).options.databaseVersion;
    if (typeof version === 'string' && version !== '' && !serverVersions.has(server)) serverVersions.set(server, version);
  });
}

interface PgConnectionManager {
  nameOidMap: Record<string, { oid: number; arrayOid?: number; rangeOid?: number; arrayRangeOid?: number }>;
  enumOids: { oids: number[]; arrayOids: number[] };
  refreshTypeParser(dataTypes: unknown): void;
}

/** Built-in type OIDs per server (identical in every database of a server; < 16384 by definition). */
const builtinTypeOids = new Map<string, PgConnectionManager['nameOidMap']>();
const FIRST_NORMAL_OID = 16384;

/**
 * Sequelize queries `pg_type` on the first connection of every instance to learn type OIDs — tens of
 * milliseconds on each cold tenant. Built-in types have the same OIDs in every database of a server
 * and tenant schemas define no types of their own (no ENUMs, no extensions), so the first instance
 * per server looks them up and later instances start with them (which skips the query).
 */
function shareBuiltinTypeOids(sequelize: Sequelize, server: string): void {
  const manager = sequelize.connectionManager as unknown as PgConnectionManager;
  const known = builtinTypeOids.get(server);
  if (known) {
    manager.nameOidMap = { ...known };
    manager.enumOids = { oids: [], arrayOids: [] };
    manager.refreshTypeParser((DataTypes as unknown as { postgres: unknown }).postgres);
    return;
  }
  sequelize.addHook('afterConnect', () => {
    if (builtinTypeOids.has(server)) return;
    const builtin: PgConnectionManager['nameOidMap'] = {};
    for (const [name, entry] of Object.entries(manager.nameOidMap)) if (entry.oid < FIRST_NORMAL_OID) builtin[name] = entry;
    if (Object.keys(builtin).length > 0) builtinTypeOids.set(server, builtin);
  });
}

function withTenantOptions(options: OpenSequelizeOptions, sequelizeOptions: Options): Options {
  if (!options.tenant) return sequelizeOptions;
  return tenantSequelizeOptions(sequelizeOptions.dialect as 'sqlite' | 'postgres' | 'mysql', sequelizeOptions);
}

interface SqliteConnectionManager {
  getConnection(options?: unknown): Promise<sqlite3.Database>;
}

/**
 * Sequelize's SQLite connection manager bypasses the `afterConnect` hook, so the pragmas are applied
 * by wrapping this instance's `getConnection` (instance-local, nothing global is patched).
 */
function applySqlitePragmas(sequelize: Sequelize, busyTimeoutMs: number): void {
  const manager = sequelize.connectionManager as unknown as SqliteConnectionManager;
  const original = manager.getConnection.bind(manager);
  const prepared = new WeakSet<sqlite3.Database>();
  const pending = new WeakMap<sqlite3.Database, Promise<void>>();
  manager.getConnection = async (opts?: unknown) => {
    const connection = await original(opts);
    if (prepared.has(connection)) return connection;
    let ready = pending.get(connection);
    if (!ready) {
      connection.configure('busyTimeout', busyTimeoutMs);
      cacheSqliteStatements(connection);
      ready = new Promise<void>((resolve, reject) => {
        // journal_mode=WAL is persistent in the file; synchronous=NORMAL is safe (and fast) under WAL.
        connection.exec('PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;', (err) =>
          err ? reject(err) : resolve(),
        );
      });
      pending.set(connection, ready);
    }
    await ready;
    prepared.add(connection);
    return connection;
  };
}

/** Prepared statements kept per SQLite connection (least recently used dropped first). */
export const SQLITE_STATEMENT_CACHE_SIZE = 32;

/** The statements worth keeping prepared: reads (Sequelize sends every SELECT through `all`) and its column-type lookups. */
const CACHEABLE_SQL = /^(?:SELECT|WITH|PRAGMA table_info\()/i;

/**
 * Keeps this connection's recently run reads prepared, so running one again is one trip to the SQLite
 * thread pool (step) instead of two (prepare, then step) plus a finalize: about half the driver's CPU
 * per statement (sqlite3's `Database#all` prepares and finalizes every time; Sequelize sends its reads
 * through it). Keyed by the SQL text: Sequelize writes values into its SELECTs, so a read with other
 * values is another statement, and the hot ones (a page of the product list, the permission reads)
 * stay at the fresh end of the LRU. Statements are prepared with `sqlite3_prepare_v2`, which prepares
 * again by itself after a schema change. A statement that has run to its end holds no lock (SQLite
 * ends an autocommit read when the statement completes, not when it is finalized). `close` finalizes
 * them first: SQLite refuses to close a connection with unfinalized statements.
 */
function cacheSqliteStatements(connection: sqlite3.Database): void {
  const statements = new Map<string, sqlite3.Statement>();
  let closing = false;
  const all = connection.all.bind(connection) as (sql: string, ...args: unknown[]) => sqlite3.Database;
  const close = connection.close.bind(connection);
  const keep = (sql: string, statement: sqlite3.Statement) => {
    statements.set(sql, statement);
    if (statements.size > SQLITE_STATEMENT_CACHE_SIZE) {
      const [oldest, dropped] = statements.entries().next().value!;
      statements.delete(oldest);
      // Runs after the calls already queued on it.
      dropped.finalize();
    }
  };
  // As Database#all: (sql, [values | one array | one object of named values], callback). Sequelize
  // passes its bound values and a callback, and its PRAGMA table_info lookups the callback alone.
  const cachedAll = (sql: string, ...args: unknown[]) => {
    const callback = args.at(-1);
    if (closing || typeof callback !== 'function' || !CACHEABLE_SQL.test(sql)) return all(sql, ...args);
    const hit = statements.get(sql);
    if (hit) {
      statements.delete(sql);
      statements.set(sql, hit);
      (hit.all as (...a: unknown[]) => void)(...args);
      return connection;
    }
    const statement: sqlite3.Statement = connection.prepare(sql, (err: Error | null) => {
      // A statement that does not prepare (a syntax error, a missing table) is answered like `all` would.
      if (err) return (callback as StatementCallback).call(statement, err);
      (statement.all as (...a: unknown[]) => void)(...args);
      if (closing || statements.has(sql)) statement.finalize();
      else keep(sql, statement);
    });
    return connection;
  };
  connection.all = cachedAll as unknown as typeof connection.all;
  connection.close = ((callback?: (err: Error | null) => void) => {
    closing = true;
    for (const statement of statements.values()) statement.finalize();
    statements.clear();
    return close(callback);
  }) as typeof connection.close;
}

type StatementCallback = (this: sqlite3.Statement, err: Error | null, rows?: unknown[]) => void;

interface PooledConnectionManager {
  getConnection(options?: unknown): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<void> | void;
}

/**
 * Opens the instance's first pooled connection and hands it back to the pool, without a query: a
 * connection that opened (SQLite file opened and its pragmas applied; PostgreSQL/MySQL handshake
 * done) is proven, so `authenticate()`'s extra `SELECT 1+1` round trip is not needed. Fails within
 * the connect timeout like `authenticate()` does. With the handle's `poolMin` ≥ 1 the connection
 * stays open for the first query.
 */
export async function connectSequelize(sequelize: Sequelize): Promise<void> {
  const manager = sequelize.connectionManager as unknown as PooledConnectionManager;
  const connection = await manager.getConnection({ type: 'SELECT' });
  await manager.releaseConnection(connection);
}

/**
 * Closes a Sequelize instance without ever hanging: a SQLite database that failed to open never
 * calls back from close(), so this gives up after `timeoutMs`. Errors are swallowed (cleanup path).
 */
export async function closeSequelize(sequelize: Sequelize | null | undefined, timeoutMs = 2000): Promise<void> {
  if (!sequelize) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    sequelize.close().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}
