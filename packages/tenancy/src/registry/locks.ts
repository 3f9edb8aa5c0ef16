import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type mysql from 'mysql2/promise';
import type pg from 'pg';
import sqlite3 from 'sqlite3';
import { mysqlConnectionConfig } from '../drivers/mysql';
import { pgClientConfig } from '../drivers/postgres';
import type { DatabaseSpec } from '../drivers/spec';
import { type Logger, silentLogger } from '../logger';
import { redact } from '../mask';
import { createPrivateFile, makePrivateDir } from '../private-files';
import { Conflict } from '@salesfleet/contracts';
import { mysqlConnection, newPgClient } from '../drivers/modules';

export interface RegistryLocksOptions {
  /** Where SQLite lock files go (`<dataDir>/locks/`). */
  dataDir: string;
  connectTimeoutMs: number;
  logger?: Logger;
}

export interface LockOptions {
  /** How long to wait for another holder (default 60 s); 0 tries once. */
  waitMs?: number;
  /** Words for the Conflict when the wait runs out: "another process is <busy>". */
  busy?: string;
}

/** Poll interval while another process holds a lock. */
const RETRY_MS = 100;

/** One backend's try-lock: `true` when this process now holds `name`. */
interface LockBackend {
  tryAcquire(name: string): Promise<boolean>;
  release(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Named locks shared by every process on one registry — what two processes can race (registry
 * migrations, the first platform admin, one tenant's migration, one tenant's provisioning, a fleet job
 * of one kind). PostgreSQL: session advisory locks on one dedicated connection; MySQL/MariaDB:
 * GET_LOCK on one dedicated connection; SQLite: an exclusive transaction on a lock file per name in
 * the data directory. All three are released by the database (or the OS) when the process dies, so a
 * crash never leaves a lock behind. Within the process a lock is exclusive too (advisory locks and
 * GET_LOCK are re-entrant per session, so holders are also tracked here).
 */
export class RegistryLocks {
  readonly #backend: LockBackend;
  readonly #held = new Map<string, Promise<void>>();
  /**
   * What another thread needs to take these locks itself (`new RegistryLocks(where.spec, where)`): a
   * fleet migration's worker threads take each tenant's lock there, on a connection (or lock file) of
   * their own, so they exclude this thread's holders as another process's would.
   */
  readonly where: { spec: DatabaseSpec; dataDir: string; connectTimeoutMs: number };

  constructor(spec: DatabaseSpec, options: RegistryLocksOptions) {
    const logger = options.logger ?? silentLogger;
    this.where = { spec, dataDir: options.dataDir, connectTimeoutMs: options.connectTimeoutMs };
    this.#backend =
      spec.engine === 'postgres'
        ? new PostgresLocks(spec, options.connectTimeoutMs, logger)
        : spec.engine === 'mysql'
          ? new MysqlLocks(spec, options.connectTimeoutMs, logger)
          : new SqliteFileLocks(join(options.dataDir, 'locks'));
  }

  /**
   * Runs `fn` while holding `name`, waiting up to `waitMs` for the current holder (in this process or
   * another); when the wait runs out, throws `Conflict`.
   */
  async withLock<T>(name: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    const release = await this.acquire(name, options);
    try {
      return await fn();
    } finally {
      await release();
    }
  }

  /** Takes `name` (see `withLock`); returns its release function. */
  async acquire(name: string, options: LockOptions = {}): Promise<() => Promise<void>> {
    const deadline = Date.now() + (options.waitMs ?? 60_000);
    for (;;) {
      const local = this.#held.get(name);
      if (local) {
        if (Date.now() >= deadline) throw busy(name, options);
        await Promise.race([local, sleep(Math.max(0, Math.min(RETRY_MS * 10, deadline - Date.now())))]);
        continue;
      }
      let done!: () => void;
      this.#held.set(
        name,
        new Promise<void>((resolve) => {
          done = resolve;
        }),
      );
      let acquired = false;
      try {
        acquired = await this.#backend.tryAcquire(name);
      } finally {
        if (!acquired) {
          this.#held.delete(name);
          done();
        }
      }
      if (acquired) {
        let released = false;
        return async () => {
          if (released) return;
          released = true;
          try {
            await this.#backend.release(name);
          } finally {
            this.#held.delete(name);
            done();
          }
        };
      }
      if (Date.now() >= deadline) throw busy(name, options);
      await sleep(Math.min(RETRY_MS, Math.max(0, deadline - Date.now())));
    }
  }

  async close(): Promise<void> {
    await this.#backend.close();
  }
}

function busy(name: string, options: LockOptions): Conflict {
  return new Conflict(`Another process is ${options.busy ?? `holding the lock "${name}"`}; try again when it has finished`, {
    lock: name,
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A 64-bit advisory lock key (signed, as PostgreSQL's bigint) from the lock's name. */
export function advisoryKey(name: string): string {
  return createHash('sha256').update(`salesfleet:${name}`).digest().readBigInt64BE(0).toString();
}

/** One connection holds every lock of the process; reconnected on the next acquire after a failure. */
class PostgresLocks implements LockBackend {
  readonly #spec: DatabaseSpec;
  readonly #connectTimeoutMs: number;
  readonly #logger: Logger;
  #client: Promise<pg.Client> | null = null;
  /** node-postgres wants one query at a time per client: lock calls go through this queue. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(spec: DatabaseSpec, connectTimeoutMs: number, logger: Logger) {
    this.#spec = spec;
    this.#connectTimeoutMs = connectTimeoutMs;
    this.#logger = logger;
  }

  #connect(): Promise<pg.Client> {
    this.#client ??= (async () => {
      const client = newPgClient({
        ...pgClientConfig(this.#spec, this.#spec.database, this.#connectTimeoutMs, 'salesfleet-locks'),
        keepAlive: true,
      });
      client.on('error', (err) => {
        // Its locks died with the session; the next acquire reconnects.
        this.#logger.warn({ err: redact(err.message, [this.#spec.password]) }, 'registry lock connection lost');
        this.#client = null;
      });
      try {
        await client.connect();
      } catch (err) {
        this.#client = null;
        throw err;
      }
      return client;
    })();
    return this.#client;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(fn, fn);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  tryAcquire(name: string): Promise<boolean> {
    return this.#serial(async () => {
      const client = await this.#connect();
      const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [advisoryKey(name)]);
      return r.rows[0]?.ok === true;
    });
  }

  release(name: string): Promise<void> {
    return this.#serial(async () => {
      const client = await this.#client;
      if (client) await client.query('SELECT pg_advisory_unlock($1::bigint)', [advisoryKey(name)]);
    });
  }

  async close(): Promise<void> {
    const client = await this.#client?.catch(() => null);
    this.#client = null;
    await client?.end();
  }
}

class MysqlLocks implements LockBackend {
  readonly #spec: DatabaseSpec;
  readonly #connectTimeoutMs: number;
  readonly #logger: Logger;
  #conn: Promise<mysql.Connection> | null = null;

  constructor(spec: DatabaseSpec, connectTimeoutMs: number, logger: Logger) {
    this.#spec = spec;
    this.#connectTimeoutMs = connectTimeoutMs;
    this.#logger = logger;
  }

  #connect(): Promise<mysql.Connection> {
    this.#conn ??= (async () => {
      try {
        const conn = await mysqlConnection({
          ...mysqlConnectionConfig(this.#spec, this.#spec.database, this.#connectTimeoutMs),
          enableKeepAlive: true,
        });
        conn.on('error', (err) => {
          this.#logger.warn({ err: redact(err.message, [this.#spec.password]) }, 'registry lock connection lost');
          this.#conn = null;
        });
        return conn;
      } catch (err) {
        this.#conn = null;
        throw err;
      }
    })();
    return this.#conn;
  }

  /** GET_LOCK names are at most 64 characters and server-wide: the registry's database name goes in the hash. */
  #key(name: string): string {
    return `sf:${createHash('sha256').update(`${this.#spec.database}:${name}`).digest('hex').slice(0, 40)}`;
  }

  async tryAcquire(name: string): Promise<boolean> {
    const conn = await this.#connect();
    const [rows] = await conn.query('SELECT GET_LOCK(?, 0) AS ok', [this.#key(name)]);
    return Number((rows as { ok: number | null }[])[0]?.ok) === 1;
  }

  async release(name: string): Promise<void> {
    const conn = await this.#conn;
    if (conn) await conn.query('SELECT RELEASE_LOCK(?)', [this.#key(name)]);
  }

  async close(): Promise<void> {
    const conn = await this.#conn?.catch(() => null);
    this.#conn = null;
    await conn?.end();
  }
}

/** A lock file per name, held by an open `BEGIN EXCLUSIVE` transaction on it (SQLite's own file locking). */
class SqliteFileLocks implements LockBackend {
  readonly #dir: string;
  readonly #open = new Map<string, sqlite3.Database>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  async tryAcquire(name: string): Promise<boolean> {
    makePrivateDir(this.#dir);
    const file = join(this.#dir, `${name.replace(/[^a-z0-9_-]/gi, '_').slice(0, 80)}-${advisoryKey(name).replace('-', 'n')}.lock`);
    // 0600 like every file of the data dir (the lock holds no data, but the folder is private).
    createPrivateFile(file);
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const opened: sqlite3.Database = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(opened)));
    });
    const ok = await new Promise<boolean>((resolve, reject) =>
      db.exec('PRAGMA busy_timeout = 0; BEGIN EXCLUSIVE', (err) => {
        if (!err) resolve(true);
        else if ((err as { code?: string }).code === 'SQLITE_BUSY') resolve(false);
        else reject(err);
      }),
    );
    if (!ok) {
      await closeDb(db);
      return false;
    }
    this.#open.set(name, db);
    return true;
  }

  async release(name: string): Promise<void> {
    const db = this.#open.get(name);
    this.#open.delete(name);
    if (db) await closeDb(db);
  }

  async close(): Promise<void> {
    const open = [...this.#open.values()];
    this.#open.clear();
    await Promise.all(open.map(closeDb));
  }
}

/** Closing the connection ends its transaction and so releases the file lock. */
function closeDb(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve) => db.close(() => resolve()));
}
