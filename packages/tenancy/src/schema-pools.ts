import { AsyncLocalStorage } from 'node:async_hooks';
import { defineTenantModels, type TenantModels } from '@salesfleet/models';
import { type Sequelize, Transaction, type TransactionOptions } from 'sequelize';
import {
  assertSafeIdentifier,
  closeSequelize,
  databaseKey,
  openSequelize,
  type DatabaseSpec,
  type OpenSequelizeOptions,
} from './drivers/index';
import { errorText, silentLogger, type Logger } from './logger';

/**
 * The serving side of the `postgres-schema` placement (issue 17): one Sequelize instance — one
 * connection pool and one set of model classes — per shared database per process, used by every
 * schema tenant in that database.
 *
 * How a query finds its tenant's schema, without session state: each unit of a tenant's work (an API
 * request, a `withTenant` call) runs in one transaction that begins with
 * `START TRANSACTION; SET LOCAL search_path TO "t_<slug>"` (one round trip). `SET LOCAL` ends with
 * the transaction, so a pooled connection never carries a tenant's search path to its next user, and
 * PgBouncer in transaction mode (which may hand each transaction a different server connection) sees
 * the setting and the queries in the same transaction. Every query of the shared instance is bound to
 * the transaction of the scope it runs in (an `AsyncLocalStorage`, entered with `run()` only);
 * `sequelize.transaction()` inside a scope becomes a savepoint of it; a query outside any scope, or
 * with another scope's transaction, throws instead of running — it could only reach the wrong schema
 * (or `public`).
 *
 * Why not schema-qualified model classes (`Model.schema()` clones per tenant): the clones qualify only
 * the model's own table — an include's target, the raw SQL of reports and statements, and Sequelize's
 * literals stay unqualified and would resolve through whatever search path the connection has. The
 * search path bound per transaction covers all of them. The model classes here are initialised on
 * exactly one Sequelize instance (no class is shared between instances, DESIGN's rule and sequelize
 * issue 14050), and which schema a write lands in is decided by the transaction it runs in, never by
 * the class; `schema-pools.integration.test.ts` proves two tenants' interleaved writes never land in
 * one schema. So memory is one model set per shared database however many schemas it holds.
 */

interface Scope {
  readonly schema: string;
  readonly transaction: Transaction;
}

type QueryFn = Sequelize['query'];
type TransactionFn = Sequelize['transaction'];

/** Thrown when the shared instance would run a query that no tenant scope binds to a schema. */
export class UnscopedSchemaQuery extends Error {
  constructor(what: string) {
    super(`postgres-schema: ${what} — every query of a shared schema pool must run in its tenant's scope (handle.run)`);
    this.name = 'UnscopedSchemaQuery';
  }
}

function rootOf(transaction: Transaction): Transaction {
  let t = transaction as Transaction & { parent?: Transaction };
  while (t.parent) t = t.parent as Transaction & { parent?: Transaction };
  return t;
}

/** One shared database: its pool, its models and the scopes of the tenants (schemas) using it. */
export class SchemaDatabase {
  readonly sequelize: Sequelize;
  readonly models: TenantModels;
  readonly key: string;
  readonly #scopes = new AsyncLocalStorage<Scope>();
  /** Transactions begun by `run` (the only roots a query of this instance may use). */
  readonly #roots = new WeakSet<Transaction>();
  readonly #query: QueryFn;
  readonly #transaction: TransactionFn;
  /** Tenant handles using this database (it closes some time after the last one is released). */
  refs = 0;
  idleTimer: NodeJS.Timeout | undefined;

  constructor(spec: DatabaseSpec, options: OpenSequelizeOptions) {
    const shared: DatabaseSpec = { ...spec, schema: null };
    this.key = databaseKey({ ...shared, name: shared.database });
    this.sequelize = openSequelize(shared, { ...options, tenant: true });
    const sequelize = this.sequelize;
    this.#query = sequelize.query.bind(sequelize) as QueryFn;
    this.#transaction = sequelize.transaction.bind(sequelize) as TransactionFn;
    // Instance-local overrides (nothing global is patched): every query runs in a scope's transaction.
    const scopes = this.#scopes;
    const roots = this.#roots;
    const query = this.#query;
    (sequelize as { query: unknown }).query = (sql: unknown, options?: { transaction?: Transaction | null }) => {
      const scope = scopes.getStore();
      const given = options?.transaction ?? null;
      if (given) {
        const root = rootOf(given);
        if (!roots.has(root)) return Promise.reject(new UnscopedSchemaQuery('a transaction not begun for a tenant schema'));
        if (scope && scope.transaction !== root) return Promise.reject(new UnscopedSchemaQuery("another tenant's transaction"));
        return (query as (s: unknown, o: unknown) => Promise<unknown>)(sql, options);
      }
      if (!scope) return Promise.reject(new UnscopedSchemaQuery('a query outside any tenant scope'));
      return (query as (s: unknown, o: unknown) => Promise<unknown>)(sql, { ...options, transaction: scope.transaction });
    };
    const transaction = this.#transaction;
    (sequelize as { transaction: unknown }).transaction = (
      options?: TransactionOptions | ((t: Transaction) => Promise<unknown>),
      autoCallback?: (t: Transaction) => Promise<unknown>,
    ) => {
      if (typeof options === 'function') {
        autoCallback = options;
        options = undefined;
      }
      const scope = scopes.getStore();
      if (!scope) return Promise.reject(new UnscopedSchemaQuery('a transaction outside any tenant scope'));
      // Nested in the scope's transaction: a savepoint on its connection, under its search path.
      const parent = options?.transaction ?? scope.transaction;
      return (transaction as (o: unknown, f?: unknown) => Promise<unknown>)({ ...options, transaction: parent }, autoCallback);
    };
    this.models = defineTenantModels(sequelize);
  }

  /** The schema whose scope the caller runs in (null outside every scope). */
  currentSchema(): string | null {
    return this.#scopes.getStore()?.schema ?? null;
  }

  /**
   * Runs `fn` in `schema`'s scope: one transaction whose search path is the schema alone, committed
   * when `fn` resolves and rolled back when it throws. Re-entering the same schema's scope joins it;
   * entering another schema's scope from inside one throws.
   */
  async run<T>(schema: string, fn: () => Promise<T> | T): Promise<T> {
    const current = this.#scopes.getStore();
    if (current) {
      if (current.schema === schema && !(current.transaction as { finished?: string }).finished) return fn();
      throw new UnscopedSchemaQuery(`the scope of "${schema}" entered inside the scope of "${current.schema}"`);
    }
    const quoted = `"${assertSafeIdentifier(schema, 'schema')}"`;
    const transaction = new Transaction(this.sequelize, {});
    this.#roots.add(transaction);
    // BEGIN and the search path in one round trip (a simple-protocol query of two statements).
    (transaction as unknown as { begin: () => Promise<unknown> }).begin = () =>
      this.#query(`START TRANSACTION; SET LOCAL search_path TO ${quoted}`, { transaction, raw: true });
    await (transaction as unknown as { prepareEnvironment: (cls: boolean) => Promise<void> }).prepareEnvironment(false);
    let result: T;
    try {
      result = await this.#scopes.run({ schema, transaction }, fn);
    } catch (err) {
      await transaction.rollback().catch(() => undefined);
      throw err;
    }
    await transaction.commit();
    return result;
  }

  close(): Promise<void> {
    clearTimeout(this.idleTimer);
    return closeSequelize(this.sequelize);
  }
}

/**
 * The shared databases of one process, by database key. A database's pool opens with its first
 * schema tenant and closes `idleMs` after its last tenant handle closed.
 */
export class SchemaPools {
  readonly #databases = new Map<string, SchemaDatabase>();
  readonly #options: OpenSequelizeOptions;
  readonly #idleMs: number;
  readonly #logger: Logger;

  constructor(options: OpenSequelizeOptions & { idleMs: number; logger?: Logger }) {
    const { idleMs, logger, ...open } = options;
    this.#options = open;
    this.#idleMs = idleMs;
    this.#logger = logger ?? silentLogger;
  }

  /** The shared database of `spec` (a schema tenant's spec; its schema is ignored here), referenced once more. */
  acquire(spec: DatabaseSpec): SchemaDatabase {
    const key = databaseKey({ ...spec, schema: null, name: spec.database });
    let db = this.#databases.get(key);
    if (!db) {
      db = new SchemaDatabase(spec, this.#options);
      this.#databases.set(key, db);
    }
    clearTimeout(db.idleTimer);
    db.idleTimer = undefined;
    db.refs++;
    return db;
  }

  /** One reference fewer; the pool closes after `idleMs` without any. */
  release(db: SchemaDatabase): void {
    db.refs--;
    if (db.refs > 0) return;
    clearTimeout(db.idleTimer);
    db.idleTimer = setTimeout(() => {
      if (db.refs > 0 || this.#databases.get(db.key) !== db) return;
      this.#databases.delete(db.key);
      db.close().catch((err: unknown) => this.#logger.warn({ err: errorText(err) }, 'closing a schema pool failed'));
    }, this.#idleMs);
    db.idleTimer.unref();
  }

  /** Shared databases open now (tests, stats). */
  size(): number {
    return this.#databases.size;
  }

  async closeAll(): Promise<void> {
    const all = [...this.#databases.values()];
    this.#databases.clear();
    await Promise.all(all.map((db) => db.close()));
  }
}
