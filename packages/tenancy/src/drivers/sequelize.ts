import { Sequelize, type Options } from 'sequelize';
import { tenantSequelizeOptions } from '@salesfleet/models';
import sqlite3 from 'sqlite3';
import { resolveSqlitePath, type DatabaseSpec } from './spec';

export interface OpenSequelizeOptions {
  /** Absolute data dir (SQLite paths are resolved inside it). */
  dataDir: string;
  /** Connect timeout (ms) for new server connections. */
  connectTimeoutMs?: number;
  /** How long a query waits for a pooled connection before failing (ms). */
  acquireTimeoutMs?: number;
  /** Pool size for server engines (tenant handles: 3; the registry: 5). */
  poolMax?: number;
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
 * SQLite connections get WAL, `busy_timeout` and `synchronous=NORMAL` (plus Sequelize's
 * `foreign_keys=ON`) — on every connection Sequelize opens, including per-transaction ones.
 * Nothing connects until the first query (or `authenticate()`).
 */
export function openSequelize(spec: DatabaseSpec, options: OpenSequelizeOptions): Sequelize {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  const common: Options = {
    logging: false,
    benchmark: false,
    pool: {
      max: options.poolMax ?? 3,
      min: 0,
      idle: options.poolIdleMs ?? 10_000,
      acquire: options.acquireTimeoutMs ?? connectTimeoutMs,
      evict: 1_000,
    },
  };
  if (spec.engine === 'sqlite') {
    const sequelize = new Sequelize(withTenantOptions(options, {
      ...common,
      dialect: 'sqlite',
      storage: resolveSqlitePath(options.dataDir, spec.database),
      dialectOptions: { mode: options.create ? sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE : sqlite3.OPEN_READWRITE },
    }));
    applySqlitePragmas(sequelize, options.busyTimeoutMs ?? 5000);
    return sequelize;
  }
  return new Sequelize(withTenantOptions(options, {
    ...common,
    dialect: spec.engine,
    host: spec.host ?? '127.0.0.1',
    port: spec.port ?? undefined,
    database: spec.database,
    username: spec.user ?? undefined,
    password: spec.password ?? undefined,
    dialectOptions:
      spec.engine === 'postgres'
        ? { connectionTimeoutMillis: connectTimeoutMs, application_name: 'salesfleet' }
        : { connectTimeout: connectTimeoutMs },
  }));
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
      ready = new Promise<void>((resolve, reject) => {
        // journal_mode=WAL is persistent in the file; synchronous=NORMAL is safe (and fast) under WAL.
        connection.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;', (err) => (err ? reject(err) : resolve()));
      });
      pending.set(connection, ready);
    }
    await ready;
    prepared.add(connection);
    return connection;
  };
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
