import { tenantRefusal } from '@salesfleet/contracts';
import { errorText, silentLogger, type Logger } from './logger';
import type { Sequelize } from 'sequelize';
import type { TenantModels } from '@salesfleet/models';
import type { TenantRecord } from './registry/records';
import { ConnectionBudgetExhausted } from '@salesfleet/contracts';

/** An open tenant database: its Sequelize instance and the model classes defined on it. */
export interface OpenedTenant {
  sequelize: Sequelize;
  models: TenantModels;
  /**
   * Whether the database behind this handle is still the tenant's (SQLite: the file was not unlinked
   * or replaced — by a delete in another process, say). Asked on every reuse; false retires the handle.
   */
  stillThere?: () => boolean;
  /**
   * Runs a unit of the tenant's work (a request, a job) in the tenant's scope. A `postgres-schema`
   * tenant shares its Sequelize instance and models with the other schemas of its database: its
   * queries reach its schema only inside this scope (one transaction with `SET LOCAL search_path`) and
   * throw outside it. A PostgreSQL tenant's instance serves other tenants after its handle closed
   * (tenant-instances.ts): its queries run only inside this scope and only while the handle is open.
   * Absent: the work needs no scope (SQLite, MySQL: the instance is the handle's alone).
   */
  run?: <T>(fn: () => Promise<T> | T) => Promise<T>;
  /** Closes what `open` made (a schema tenant: gives back its reference to the shared pool); default `sequelize.close()`. */
  close?: () => Promise<void>;
}

/** What `acquire` hands out. `tenant` is the newest record seen for this handle. */
export interface TenantHandle extends Omit<OpenedTenant, 'run' | 'close'> {
  readonly tenant: TenantRecord;
  /** The tenant version the handle was last confirmed for. */
  readonly version: number;
  /**
   * Runs `fn` in the tenant's scope — every use of `models`/`sequelize` must be inside it (the API
   * wraps each request in it; `withTenant` does it for you). A plain call for a database of its own.
   */
  run<T>(fn: () => Promise<T> | T): Promise<T>;
}

/** A handle in use; call `release()` exactly once when the work is done (extra calls are ignored). */
export interface TenantLease {
  readonly handle: TenantHandle;
  release(): void;
}

export interface TenantConnectionsOptions {
  /** Opens (and verifies) a tenant's database; throw `DatabaseUnreachable` when it cannot. */
  open: (tenant: TenantRecord) => Promise<OpenedTenant>;
  /** Closes what `open` returned; default `sequelize.close()`. */
  close?: (opened: OpenedTenant) => Promise<void>;
  /** At most this many handles are open (or opening) at any moment. */
  maxOpen: number;
  /** Unused handles close after this many ms. */
  idleMs: number;
  /** How long `acquire` waits for a slot while every open handle is busy; default 5000 ms. */
  slotWaitMs?: number;
  /** Where failures to close a handle are reported. */
  logger?: Logger;
}

export interface ConnectionStats {
  hits: number;
  misses: number;
  evictions: number;
  /** Handles whose database connection is open: cached, in use after eviction, or closing. */
  open: number;
  /** Handles being opened right now. */
  opening: number;
  /** Acquires waiting for a free slot. */
  waiting: number;
  maxOpen: number;
  /** Opens a server refused for too many connections, answered by closing idle handles on it and retrying. */
  serverRefusals: number;
}

/**
 * Whether an open failed because the database server refused a new connection for having too many:
 * PostgreSQL SQLSTATE 53300 (`max_connections`, a role's or a database's CONNECTION LIMIT), MySQL
 * ER_CON_COUNT_ERROR 1040 / ER_USER_LIMIT_REACHED 1203. Looks through `cause`, Sequelize's
 * `parent`/`original` and, for errors re-thrown with only the message, the server's wording.
 */
export function isTooManyConnections(err: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current !== null && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as { code?: unknown; errno?: unknown; message?: unknown; cause?: unknown; parent?: unknown; original?: unknown };
    if (e.code === '53300' || e.code === 'ER_CON_COUNT_ERROR' || e.code === 'ER_USER_LIMIT_REACHED' || e.errno === 1040 || e.errno === 1203)
      return true;
    if (typeof e.message === 'string' && /too many (clients|connections)|has exceeded the 'max_user_connections'/i.test(e.message))
      return true;
    current = e.cause ?? e.parent ?? e.original;
  }
  return false;
}

/** The database server a tenant lives on (null for SQLite files). */
function serverOf(tenant: TenantRecord): string | null {
  if (tenant.db.engine === 'sqlite') return null;
  return `${tenant.db.engine}://${tenant.db.host ?? 'localhost'}:${tenant.db.port ?? ''}`;
}

class Entry implements TenantHandle {
  tenant: TenantRecord;
  version: number;
  readonly sequelize: Sequelize;
  readonly models: TenantModels;
  readonly stillThere: (() => boolean) | undefined;
  readonly opened: OpenedTenant;

  run<T>(fn: () => Promise<T> | T): Promise<T> {
    return this.opened.run ? this.opened.run(fn) : Promise.resolve().then(fn);
  }

  /** What the default close of `TenantConnections` calls: the opener's own close, or `sequelize.close()`. */
  close(): Promise<void> {
    return this.opened.close ? this.opened.close() : this.sequelize.close();
  }
  refs = 0;
  lastUsed = Date.now();
  retired = false;
  readonly closed: Promise<void>;
  markClosed!: () => void;

  constructor(tenant: TenantRecord, opened: OpenedTenant) {
    this.tenant = tenant;
    this.version = tenant.version;
    this.sequelize = opened.sequelize;
    this.models = opened.models;
    this.stillThere = opened.stillThere;
    this.opened = opened;
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
  }
}

interface Opening {
  tenant: TenantRecord;
  promise: Promise<Entry>;
  /** Acquirers waiting for this open; their references are added before they resume. */
  waiters: number;
  invalidated: boolean;
}

interface SlotWaiter {
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** Whether two records of one tenant point at the same database with the same credentials. */
function sameConnection(a: TenantRecord, b: TenantRecord): boolean {
  return (
    a.db.engine === b.db.engine &&
    a.db.host === b.db.host &&
    a.db.port === b.db.port &&
    a.db.name === b.db.name &&
    a.db.schema === b.db.schema &&
    a.db.user === b.db.user &&
    a.db.passwordEncrypted === b.db.passwordEncrypted
  );
}

/**
 * The per-process cache of open tenant databases: an LRU bounded by `maxOpen` (open + opening +
 * evicted-but-busy + closing never exceeds it) and by an idle timeout. Opening is single-flight.
 * An evicted or invalidated handle closes only when its last lease is released. A newer tenant
 * record whose database spec changed reopens the handle; other changes only refresh `handle.tenant`.
 */
export class TenantConnections {
  readonly #open: TenantConnectionsOptions['open'];
  readonly #logger: Logger;
  readonly #close: NonNullable<TenantConnectionsOptions['close']>;
  #maxOpen: number;
  readonly idleMs: number;
  readonly #slotWaitMs: number;

  /** Cached handles, least recently used first. */
  readonly #live = new Map<number, Entry>();
  #mru: Entry | undefined;
  readonly #opening = new Map<number, Opening>();
  readonly #fenced = new Map<number, 'deleting' | 'suspended' | 'maintenance'>();
  /** Out of the cache but still leased; closed on last release. */
  readonly #retired = new Set<Entry>();
  #closing = 0;
  #reserved = 0;
  readonly #waiters: SlotWaiter[] = [];
  readonly #closes = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #hits = 0;
  #misses = 0;
  #evictions = 0;
  #serverRefusals = 0;

  constructor(options: TenantConnectionsOptions) {
    if (!Number.isInteger(options.maxOpen) || options.maxOpen < 1) throw new RangeError('maxOpen must be a positive integer');
    this.#open = options.open;
    this.#logger = options.logger ?? silentLogger;
    this.#close = options.close ?? ((opened) => (opened.close ? opened.close() : opened.sequelize.close()));
    this.#maxOpen = options.maxOpen;
    this.idleMs = options.idleMs;
    this.#slotWaitMs = options.slotWaitMs ?? 5000;
    const sweepEvery = Math.max(250, Math.min(options.idleMs / 2, 30_000));
    this.#timer = setInterval(() => this.sweepIdle(), sweepEvery);
    this.#timer.unref();
  }

  /** At most this many handles are open (or opening) at any moment. */
  get maxOpen(): number {
    return this.#maxOpen;
  }

  /**
   * Changes the bound (this process's share of a server's connection budget changed). Lowered, idle
   * handles above it close at once, least recently used first; busy ones close when released, and
   * no new handle opens until the count is under the bound.
   */
  setMaxOpen(maxOpen: number): void {
    if (!Number.isInteger(maxOpen) || maxOpen < 1) throw new RangeError('maxOpen must be a positive integer');
    this.#maxOpen = maxOpen;
    // A retired handle still counts until it has closed: count the excess once.
    let excess = this.#used() - maxOpen;
    for (const entry of [...this.#live.values()]) {
      if (excess <= 0) break;
      if (entry.refs === 0) {
        this.#retire(entry);
        excess--;
      }
    }
    // Raised: waiters may take the new slots.
    for (let free = maxOpen - this.#used(); free > 0 && this.#waiters.length > 0; free--) this.#wakeWaiter();
  }

  /**
   * A lease on the tenant's handle, opening it on first use. Fails with `DatabaseUnreachable` when
   * the database cannot be opened in time, or when no slot frees within the wait.
   */
  async acquire(tenant: TenantRecord): Promise<TenantLease> {
    const fenced = this.#fenced.get(tenant.id);
    if (fenced) throw tenantRefusal(tenant.slug, fenced);
    let entry = this.#live.get(tenant.id);
    if (entry?.stillThere && !entry.stillThere()) {
      // Its database went away under us (deleted by another process): never write into it again.
      this.#retire(entry);
      entry = undefined;
    }
    if (entry !== undefined && tenant.version > entry.version) {
      if (sameConnection(entry.tenant, tenant)) {
        entry.tenant = tenant;
        entry.version = tenant.version;
      } else {
        this.#retire(entry);
        entry = undefined;
      }
    }
    if (entry !== undefined) {
      this.#hits++;
      entry.refs++;
      entry.lastUsed = Date.now();
      if (entry !== this.#mru) {
        this.#live.delete(tenant.id);
        this.#live.set(tenant.id, entry);
        this.#mru = entry;
      }
      return this.#lease(entry);
    }
    if (this.#closed) throw new Error('TenantConnections is closed');
    this.#misses++;
    let opening = this.#opening.get(tenant.id);
    if (opening !== undefined && tenant.version > opening.tenant.version && !sameConnection(opening.tenant, tenant)) {
      opening.invalidated = true;
      opening = undefined;
    }
    if (opening === undefined) opening = this.#startOpen(tenant);
    opening.waiters++;
    return this.#lease(await opening.promise);
  }

  /** Runs `fn` with the tenant's handle, releasing it afterwards (also when `fn` throws). */
  async withTenant<T>(tenant: TenantRecord, fn: (handle: TenantHandle) => Promise<T> | T): Promise<T> {
    const lease = await this.acquire(tenant);
    try {
      return await lease.handle.run(() => fn(lease.handle));
    } finally {
      lease.release();
    }
  }

  /**
   * Refuses new handles of a tenant (TenantUnavailable with `reason`) until `unfence`: set while it
   * is being deleted or suspended, so a request that resolved the tenant just before cannot open a
   * handle once its in-flight work has drained (evict) and its database goes.
   */
  fence(tenantId: number, reason: 'deleting' | 'suspended' | 'maintenance'): void {
    this.#fenced.set(tenantId, reason);
  }

  unfence(tenantId: number): void {
    this.#fenced.delete(tenantId);
  }

  /** Drops the cached handle of a tenant (by id or slug): closed now, or after its in-flight work. */
  invalidate(tenantIdOrSlug: number | string): void {
    for (const entry of this.#live.values()) {
      if (entry.tenant.id === tenantIdOrSlug || entry.tenant.slug === tenantIdOrSlug) {
        this.#retire(entry);
        break;
      }
    }
    for (const opening of this.#opening.values()) {
      if (opening.tenant.id === tenantIdOrSlug || opening.tenant.slug === tenantIdOrSlug) opening.invalidated = true;
    }
  }

  /**
   * Like `invalidate`, then waits until every handle of the tenant is closed (in-flight work gets up
   * to `graceMs` to finish). Use before dropping or moving the tenant's database.
   */
  async evict(tenantIdOrSlug: number | string, { graceMs = 10_000 } = {}): Promise<void> {
    const matches = (t: TenantRecord) => t.id === tenantIdOrSlug || t.slug === tenantIdOrSlug;
    const entries: Entry[] = [...this.#retired].filter((e) => matches(e.tenant));
    for (const entry of this.#live.values()) if (matches(entry.tenant)) entries.push(entry);
    const openings = [...this.#opening.values()].filter((o) => matches(o.tenant));
    this.invalidate(tenantIdOrSlug);
    for (const result of await Promise.allSettled(openings.map((o) => o.promise))) {
      if (result.status === 'fulfilled') entries.push(result.value);
    }
    if (entries.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const outcome = await Promise.race([Promise.all(entries.map((e) => e.closed)).then(() => 'closed' as const), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      for (const entry of entries) {
        if (this.#retired.delete(entry)) {
          entry.refs = 0;
          this.#closeEntry(entry);
        }
      }
      await Promise.all(entries.map((e) => e.closed));
    }
  }

  /** Whether a handle for the tenant is cached (not counting ones being opened). */
  has(tenantIdOrSlug: number | string): boolean {
    if (typeof tenantIdOrSlug === 'number') return this.#live.has(tenantIdOrSlug);
    for (const entry of this.#live.values()) if (entry.tenant.slug === tenantIdOrSlug) return true;
    return false;
  }

  stats(): ConnectionStats {
    return {
      hits: this.#hits,
      misses: this.#misses,
      evictions: this.#evictions,
      open: this.#live.size + this.#retired.size + this.#closing,
      opening: this.#reserved,
      waiting: this.#waiters.length,
      maxOpen: this.maxOpen,
      serverRefusals: this.#serverRefusals,
    };
  }

  /** Closes handles unused for `idleMs` (runs on a timer; exposed for tests and shutdown). */
  sweepIdle(now = Date.now()): number {
    let n = 0;
    for (const entry of [...this.#live.values()]) {
      if (entry.refs === 0 && now - entry.lastUsed >= this.idleMs) {
        this.#retire(entry);
        n++;
      }
    }
    return n;
  }

  /**
   * Closes everything: new acquires fail, waiting ones are rejected, in-flight work gets up to
   * `graceMs` to release its leases before those handles are closed anyway.
   */
  async closeAll({ graceMs = 10_000 } = {}): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('TenantConnections closed'));
    }
    await Promise.allSettled([...this.#opening.values()].map((o) => o.promise));
    for (const entry of [...this.#live.values()]) this.#retire(entry);
    const deadline = Date.now() + graceMs;
    while (this.#retired.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const entry of [...this.#retired]) {
      entry.refs = 0;
      this.#retired.delete(entry);
      this.#closeEntry(entry);
    }
    await Promise.allSettled([...this.#closes]);
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────────

  #lease(entry: Entry): TenantLease {
    let released = false;
    return {
      handle: entry,
      release: () => {
        if (released) return;
        released = true;
        this.#release(entry);
      },
    };
  }

  #release(entry: Entry): void {
    entry.refs--;
    entry.lastUsed = Date.now();
    if (entry.refs > 0) return;
    if (entry.retired) {
      if (this.#retired.delete(entry)) this.#closeEntry(entry);
    } else if (this.#waiters.length > 0) {
      // Someone waits for a slot and nothing else is idle: this handle makes room.
      this.#retire(entry);
    }
  }

  #startOpen(tenant: TenantRecord): Opening {
    const opening: Opening = { tenant, promise: undefined as unknown as Promise<Entry>, waiters: 0, invalidated: false };
    opening.promise = (async () => {
      try {
        await this.#reserveSlot();
      } catch (err) {
        if (this.#opening.get(tenant.id) === opening) this.#opening.delete(tenant.id);
        throw err;
      }
      let opened: OpenedTenant;
      try {
        try {
          opened = await this.#open(tenant);
        } catch (err) {
          // Idle handles of this process hold the server's connections: give some back, then try once more.
          if (!isTooManyConnections(err) || !(await this.#shedServer(tenant))) throw err;
          opened = await this.#open(tenant);
        }
      } catch (err) {
        this.#reserved--;
        if (this.#opening.get(tenant.id) === opening) this.#opening.delete(tenant.id);
        this.#wakeWaiter();
        throw err;
      }
      this.#reserved--;
      const entry = new Entry(tenant, opened);
      entry.refs = opening.waiters;
      if (this.#opening.get(tenant.id) === opening) this.#opening.delete(tenant.id);
      if (opening.invalidated || this.#closed) {
        entry.retired = true;
        if (entry.refs > 0) this.#retired.add(entry);
        else this.#closeEntry(entry);
      } else {
        const previous = this.#live.get(tenant.id);
        if (previous) this.#retire(previous);
        this.#live.set(tenant.id, entry);
        this.#mru = entry;
      }
      return entry;
    })();
    this.#opening.set(tenant.id, opening);
    // The waiters handle rejections; this keeps an unobserved rejection from crashing the process.
    opening.promise.catch(() => undefined);
    return opening;
  }

  #used(): number {
    return this.#live.size + this.#retired.size + this.#closing + this.#reserved;
  }

  /** Takes a slot for a new handle: evicts the least recently used idle handle, or waits. */
  async #reserveSlot(): Promise<void> {
    const deadline = Date.now() + this.#slotWaitMs;
    for (;;) {
      if (this.#closed) throw new Error('TenantConnections is closed');
      if (this.#used() < this.maxOpen) {
        this.#reserved++;
        return;
      }
      let evicted = false;
      for (const entry of this.#live.values()) {
        if (entry.refs === 0) {
          this.#retire(entry);
          evicted = true;
          break;
        }
      }
      if (evicted && this.#used() < this.maxOpen) continue;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new ConnectionBudgetExhausted(this.maxOpen, this.#slotWaitMs);
      await new Promise<void>((resolve, reject) => {
        const waiter: SlotWaiter = {
          resolve,
          reject,
          timer: setTimeout(() => {
            const i = this.#waiters.indexOf(waiter);
            if (i >= 0) this.#waiters.splice(i, 1);
            reject(new ConnectionBudgetExhausted(this.maxOpen, this.#slotWaitMs));
          }, remaining),
        };
        this.#waiters.push(waiter);
      });
    }
  }

  /**
   * After the tenant's server refused a connection for having too many: closes the least recently
   * used idle handles on that server (a quarter of them, at least one; with none idle, the least
   * recently used busy one after its in-flight work) and waits for them to close, up to the slot
   * wait. False when this process holds no handle on that server (nothing to give back).
   */
  async #shedServer(tenant: TenantRecord): Promise<boolean> {
    const server = serverOf(tenant);
    if (server === null) return false;
    this.#serverRefusals++;
    const onServer = [...this.#live.values()].filter((e) => e.tenant.id !== tenant.id && serverOf(e.tenant) === server);
    const idle = onServer.filter((e) => e.refs === 0);
    const victims = idle.length > 0 ? idle.slice(0, Math.max(1, Math.ceil(idle.length / 4))) : onServer.slice(0, 1);
    if (victims.length === 0) return false;
    for (const entry of victims) this.#retire(entry);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(victims.map((e) => e.closed)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.#slotWaitMs);
      }),
    ]);
    clearTimeout(timer);
    return true;
  }

  #wakeWaiter(): void {
    const waiter = this.#waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve();
    }
  }

  /** Takes an entry out of the cache; closes it now when idle, else when its last lease ends. */
  #retire(entry: Entry): void {
    if (entry.retired) return;
    entry.retired = true;
    if (this.#live.get(entry.tenant.id) === entry) {
      this.#live.delete(entry.tenant.id);
      this.#evictions++;
    }
    if (this.#mru === entry) this.#mru = undefined;
    if (entry.refs > 0) this.#retired.add(entry);
    else this.#closeEntry(entry);
  }

  #closeEntry(entry: Entry): void {
    this.#closing++;
    const done = this.#close(entry)
      .catch((err: unknown) => this.#logger.warn({ err: errorText(err), tenant: entry.tenant.slug }, 'closing a tenant handle failed'))
      .finally(() => {
        this.#closing--;
        entry.markClosed();
        this.#closes.delete(done);
        this.#wakeWaiter();
      });
    this.#closes.add(done);
  }
}
