import { AsyncLocalStorage } from 'node:async_hooks';
import { defineTenantModels, type TenantModels } from '@salesfleet/models';
import type { Sequelize } from 'sequelize';
import { closeSequelize, databaseKey, openSequelize, type DatabaseSpec, type OpenSequelizeOptions } from './drivers/index';
import { errorText, silentLogger, type Logger } from './logger';

/**
 * Sequelize instances of PostgreSQL tenant handles (a database per tenant) that outlive the handle
 * (issue 16.4). A new handle costs a Sequelize instance and the definition of the models its
 * requests read — most of a connection-cache miss's CPU (bench/src/profile/cycling-cpu.ts) — while
 * what differs between two tenants on one server is only the database the connections go to. So a
 * closed handle's instance, its connections closed, waits here as a spare, and the next handle opened
 * on the same server (the same address: the pooler's when tenants are served through PgBouncer) takes
 * it and binds it to its own database: a fresh connection pool whose connections go there.
 *
 * The model classes stay initialised on exactly one Sequelize instance (DESIGN's rule, sequelize
 * issue 14050), and an instance is bound to one tenant at a time, so no two open handles ever share
 * a class. What sequential reuse adds is a stale reference: code of a closed handle still holding its
 * models (a forgotten promise, a job past its lease) must never reach the next tenant's database.
 * Every binding of a reused instance is a scope (an `AsyncLocalStorage` entered by the handle's `run`,
 * as the API does for each request and `withTenant` for other work), and the instance refuses with
 * `StaleTenantHandle`:
 * - a query outside any scope of it, or in the scope of a binding that has ended;
 * - a pooled connection whose database is not the database of the caller's binding (checked after
 *   the pool handed it out, so a query racing the rebinding cannot be served by the new pool).
 * Binding ends before the pool is drained, and a drained pool is never used again (binding makes a
 * new one). An instance's first binding enters no scope: no code of another tenant can hold its
 * models yet, so until it ends its queries need none (after, refused; the connection check holds).
 * Scopes start with the first rebinding, and code of the first binding, scopeless, is refused from
 * then on. Why: on Node 20 the store, once entered, runs hooks for every promise of the process
 * (500k awaits: 22 → 59 ms CPU), so a server whose instances are never reused (a cache that does
 * not cycle, or SALESFLEET_SPARE_TENANT_INSTANCES=0) must never enable it.
 * `tenant-instances.integration.test.ts` proves interleaved tenants on reused instances
 * never see each other's rows, and that a closed handle's models fail instead of writing elsewhere.
 */

/** Which tenant database an instance serves now; a new object for every binding (compared by identity). */
interface Binding {
  readonly slug: string;
  readonly database: string;
}

/** A `run` entered: its instance and binding, and the scope it was entered in (another instance's, or none). */
interface Scope {
  readonly owner: TenantInstance;
  readonly binding: Binding;
  readonly outer: Scope | undefined;
}

/**
 * One AsyncLocalStorage for every instance, not one each: before Node 22, every enabled
 * AsyncLocalStorage is visited when any async resource (every promise) is created, so one per
 * handle made all promise-heavy code of a process with 200 warm tenants several times slower
 * (benchmark 3b's all-warm server: 96–168 req/s instead of ~400). Scopes chain to the scope they
 * were entered in, so an instance still finds its own binding inside another instance's `run`.
 */
const scopes = new AsyncLocalStorage<Scope>();

/** The binding of `owner`'s innermost scope the caller runs in, or undefined outside every one. */
function scopeOf(owner: TenantInstance): Binding | undefined {
  for (let scope = scopes.getStore(); scope !== undefined; scope = scope.outer) if (scope.owner === owner) return scope.binding;
  return undefined;
}

/** A query or connection of a tenant handle asked outside its scope, or after the handle closed. */
export class StaleTenantHandle extends Error {
  constructor(what: string) {
    super(`tenant handle: ${what} — a tenant's models are used inside its handle's run() and only while the handle is open`);
    this.name = 'StaleTenantHandle';
  }
}

interface PooledConnection {
  database?: string;
}

interface SequelizePool {
  drain(): Promise<void>;
  destroyAllNow(): Promise<void>;
  destroy(connection: unknown): Promise<void>;
}

interface ConnectionManager {
  config: Record<string, unknown>;
  pool: SequelizePool;
  getConnection(options?: unknown): Promise<unknown>;
  initPools(): void;
}

/** One Sequelize instance and its model set, bound to one tenant database at a time. */
export class TenantInstance {
  readonly key: string;
  readonly sequelize: Sequelize;
  readonly models: TenantModels;
  readonly #manager: ConnectionManager;
  #binding: Binding | null = null;
  /** Bindings so far (1 on the first tenant). */
  bindings = 0;

  constructor(spec: DatabaseSpec, options: OpenSequelizeOptions) {
    this.key = serverKey(spec);
    this.sequelize = openSequelize(spec, { ...options, tenant: true });
    const sequelize = this.sequelize;
    this.#manager = sequelize.connectionManager as unknown as ConnectionManager;
    const manager = this.#manager;
    // Instance-local overrides (nothing global is patched).
    const query = sequelize.query.bind(sequelize) as (sql: unknown, options?: unknown) => Promise<unknown>;
    (sequelize as { query: unknown }).query = (sql: unknown, queryOptions?: unknown) => {
      const scope = this.#callerBinding();
      if (scope === undefined || scope !== this.#binding) return Promise.reject(this.#stale(scope));
      return query(sql, queryOptions);
    };
    const getConnection = manager.getConnection.bind(manager);
    manager.getConnection = async (connectionOptions?: unknown) => {
      const scope = this.#callerBinding();
      if (scope === undefined || scope !== this.#binding) throw this.#stale(scope);
      const pool = manager.pool;
      const connection = (await getConnection(connectionOptions)) as PooledConnection;
      if (scope !== this.#binding || connection.database !== scope.database) {
        await pool.destroy(connection).catch(() => undefined);
        throw this.#stale(scope);
      }
      return connection;
    };
    this.models = defineTenantModels(sequelize);
  }

  /** Points the instance at `spec`'s database (same server), with a pool of its own. */
  bind(spec: DatabaseSpec, slug: string): Binding {
    if (this.#binding) throw new Error(`tenant instance still bound to "${this.#binding.slug}"`);
    if (serverKey(spec) !== this.key) throw new Error('tenant instance bound to another server than its own');
    for (const config of [(this.sequelize as unknown as { config: Record<string, unknown> }).config, this.#manager.config]) {
      config.database = spec.database;
      config.username = spec.user ?? undefined;
      config.password = spec.password ?? undefined;
    }
    // The previous binding's pool was drained and destroyed: nothing it held can be handed out.
    if (this.bindings > 0) this.#manager.initPools();
    const binding: Binding = Object.freeze({ slug, database: spec.database });
    this.#binding = binding;
    this.bindings++;
    return binding;
  }

  /** Runs `fn` in `binding`'s scope (refused once the binding has ended). */
  run<T>(binding: Binding, fn: () => Promise<T> | T): Promise<T> {
    if (binding !== this.#binding) return Promise.reject(this.#stale(binding));
    if (this.bindings === 1) return (async () => fn())();
    return scopes.run({ owner: this, binding, outer: scopes.getStore() }, async () => fn());
  }

  /**
   * The binding the caller acts for. An instance that has served one tenant only (never rebound)
   * has no other binding a caller could act for: its current one, or none once it ended. From its
   * first rebinding on, the caller's scope tells (code of an earlier binding has none of it).
   */
  #callerBinding(): Binding | undefined {
    if (this.bindings === 1) return this.#binding ?? undefined;
    return scopeOf(this);
  }

  /**
   * Ends `binding`: its scope's queries fail from now on. Then closes its connections, waiting for
   * in-flight ones up to `timeoutMs`. True when all closed (the instance may serve another tenant).
   */
  async unbind(binding: Binding, timeoutMs: number): Promise<boolean> {
    if (binding !== this.#binding) return false;
    this.#binding = null;
    const pool = this.#manager.pool;
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      pool
        .drain()
        .then(() => pool.destroyAllNow())
        .then(
          () => true,
          () => false,
        ),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    return drained;
  }

  close(): Promise<void> {
    this.#binding = null;
    return closeSequelize(this.sequelize);
  }

  #stale(scope: Binding | undefined): StaleTenantHandle {
    if (scope === undefined) return new StaleTenantHandle('a query outside its scope');
    return new StaleTenantHandle(`a query of "${scope.slug}" after its handle closed`);
  }
}

/** The server an instance may serve tenants of: engine, host and port (not the database). */
function serverKey(spec: DatabaseSpec): string {
  return databaseKey({ engine: spec.engine, host: spec.host, port: spec.port, name: '' });
}

export interface TenantInstancesOptions extends OpenSequelizeOptions {
  /** Spare instances kept at most (across servers); 0 disables reuse. */
  spares: number;
  /** How long a closing handle's in-flight connections may take before its instance is closed instead. */
  drainMs?: number;
  logger?: Logger;
}

/** What `acquire` gives: the instance bound to the tenant's database, and whether it was made just now. */
export interface BoundInstance {
  instance: TenantInstance;
  binding: Binding;
  fresh: boolean;
}

/** The PostgreSQL tenant instances of one process: spares by server, most recently closed first. */
export class TenantInstances {
  readonly #options: OpenSequelizeOptions;
  readonly #max: number;
  readonly #drainMs: number;
  readonly #logger: Logger;
  /** Oldest first. */
  readonly #spares: TenantInstance[] = [];
  #closed = false;
  #created = 0;
  #reused = 0;

  constructor(options: TenantInstancesOptions) {
    const { spares, drainMs, logger, ...open } = options;
    this.#options = open;
    this.#max = spares;
    this.#drainMs = drainMs ?? 2000;
    this.#logger = logger ?? silentLogger;
  }

  /** `spec`'s database on a spare instance of its server, or on a new one. */
  acquire(spec: DatabaseSpec, slug: string): BoundInstance {
    const key = serverKey(spec);
    for (let i = this.#spares.length - 1; i >= 0; i--) {
      const spare = this.#spares[i]!;
      if (spare.key !== key) continue;
      this.#spares.splice(i, 1);
      this.#reused++;
      return { instance: spare, binding: spare.bind(spec, slug), fresh: false };
    }
    const instance = new TenantInstance(spec, this.#options);
    this.#created++;
    return { instance, binding: instance.bind(spec, slug), fresh: true };
  }

  /** The handle closed: ends its binding, closes its connections, keeps the instance as a spare. */
  async release({ instance, binding }: Pick<BoundInstance, 'instance' | 'binding'>): Promise<void> {
    const drained = await instance.unbind(binding, this.#drainMs);
    if (!drained || this.#closed || this.#max === 0) {
      await instance.close();
      return;
    }
    this.#spares.push(instance);
    if (this.#spares.length > this.#max) {
      const oldest = this.#spares.shift()!;
      oldest.close().catch((err: unknown) => this.#logger.warn({ err: errorText(err) }, 'closing a spare tenant instance failed'));
    }
  }

  stats(): { created: number; reused: number; spares: number } {
    return { created: this.#created, reused: this.#reused, spares: this.#spares.length };
  }

  async closeAll(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#spares.splice(0).map((spare) => spare.close()));
  }
}
