import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DatabaseSpec, OpenSequelizeOptions } from '../drivers/index';
import type { MigrationSource } from './migration-source';
import type { TenantMigrationState, WorkerReply, WorkerRequest } from './migrate-worker';

/**
 * Fewest tenants for which a fleet migration starts worker threads by default (the CLI's apply without
 * --threads, fleet migrate jobs). Each worker loads the database layer first (about 0.6 s of a core):
 * measured with the compiled CLI (load 0.4–1.8), 2 threads made 100 SQLite tenants (one migration)
 * 2.2–2.9 → 3.1–3.4 s and 24 PostgreSQL tenants (13 migrations) 3.8–4.0 → 4.5–4.7 s, while benchmark 6
 * gains with them at 1,000 SQLite and 200 PostgreSQL tenants (the exact break-even still wants a
 * quiet-machine measurement).
 */
export const FLEET_WORKERS_FROM_TENANTS = 250;

/**
 * The default worker threads of a fleet migration migrating `concurrency` tenants at once: one per
 * tenant in progress, at most one per core, none for one at a time — started only for a fleet of
 * FLEET_WORKERS_FROM_TENANTS tenants or more (`migrateTenants({ ...defaultMigrationWorkers(n) })`).
 */
export function defaultMigrationWorkers(concurrency: number): { workers: number; workersFromTenants: number } {
  const workers = concurrency > 1 ? Math.min(availableParallelism(), concurrency) : 0;
  return { workers, workersFromTenants: FLEET_WORKERS_FROM_TENANTS };
}

/** A request without its id (given by the pool). */
type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Slot {
  worker: Worker;
  /** Tenants assigned to this worker and not closed yet. */
  tenants: number;
  pending: Map<number, { resolve: (r: TenantMigrationState) => void; reject: (err: Error) => void }>;
  dead: Error | null;
}

/**
 * The worker threads of a fleet migration (`migrateTenants({ workers })`): each opens the tenant
 * databases it is given and runs their migrations (migrate-worker.ts). A tenant stays on one worker
 * from `status` to `close` (its connection lives there); new tenants go to the worker with the fewest.
 * A worker that dies fails its tenants' requests (each reported as that tenant's failure).
 */
export class MigrateWorkers {
  readonly #slots: Slot[];
  readonly #home = new Map<number, Slot>();
  #nextId = 1;
  #nextHandle = 1;

  private constructor(slots: Slot[]) {
    this.#slots = slots;
  }

  /**
   * Starts `count` workers; resolves once all are ready (each has loaded the database layer: about as
   * long as this process took to, so a caller running several fleet migrations keeps one pool).
   */
  static async start(count: number): Promise<MigrateWorkers> {
    // The one way to locate the worker's entry: from sources this is migrate-worker.ts, started through
    // tsx (ts-worker.mjs); in a compiled bundle @salesfleet/build makes this URL its own compiled
    // migrate-worker.js, next to the bundle's chunks (its WORKER_ENTRIES).
    const entry = new URL('./migrate-worker.ts', import.meta.url);
    if (!existsSync(entry)) throw new Error(`the fleet migration worker's entry ${fileURLToPath(entry)} is missing`);
    const fromSource = entry.pathname.endsWith('.ts');
    const slots = Array.from({ length: Math.max(1, count) }, (): Slot => {
      const worker = fromSource
        ? new Worker(new URL('./ts-worker.mjs', import.meta.url), { workerData: { entry: entry.href } })
        : new Worker(entry);
      return { worker, tenants: 0, pending: new Map(), dead: null };
    });
    const pool = new MigrateWorkers(slots);
    try {
      await Promise.all(slots.map((slot) => pool.#watch(slot)));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** Wires replies and failures; resolves on the worker's first message (ready). */
  #watch(slot: Slot): Promise<void> {
    return new Promise((ready, failed) => {
      let started = false;
      const fail = (err: Error) => {
        slot.dead = err;
        for (const p of slot.pending.values()) p.reject(err);
        slot.pending.clear();
        if (!started) failed(err);
      };
      slot.worker.on('message', (reply: WorkerReply) => {
        if (reply.id === 0) {
          started = true;
          ready();
          return;
        }
        const p = slot.pending.get(reply.id);
        if (!p) return;
        slot.pending.delete(reply.id);
        if (reply.ok) p.resolve({ applied: reply.applied, pending: reply.pending, version: reply.version });
        else p.reject(new Error(reply.error));
      });
      slot.worker.on('error', (err) => fail(err));
      slot.worker.on('exit', (code) => fail(new Error(`the migration worker exited (${code})`)));
    });
  }

  #send(slot: Slot, request: Request): Promise<TenantMigrationState> {
    if (slot.dead) return Promise.reject(slot.dead);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ ...request, id } as WorkerRequest);
    });
  }

  /**
   * Opens a tenant database on the least busy worker and reads its migration status; `handle` names
   * this opening in `migrate` and `closeTenant` (unique per opening: fleet migrations may share a pool).
   */
  async status(
    spec: DatabaseSpec,
    options: OpenSequelizeOptions,
    migrations: MigrationSource | null,
  ): Promise<TenantMigrationState & { handle: number }> {
    const slot = this.#slots.reduce((a, b) => (b.tenants < a.tenants ? b : a));
    const handle = this.#nextHandle++;
    slot.tenants++;
    this.#home.set(handle, slot);
    try {
      return { ...(await this.#send(slot, { type: 'status', tenant: handle, spec, options, migrations })), handle };
    } catch (err) {
      // The worker may hold the connection it opened before failing.
      await this.closeTenant(handle).catch(() => undefined);
      throw err;
    }
  }

  /** Applies what is pending on an open tenant (the caller holds its lock). */
  migrate(handle: number, migrations: MigrationSource | null): Promise<TenantMigrationState> {
    const slot = this.#home.get(handle);
    if (!slot) return Promise.reject(new Error(`tenant opening ${handle} is not open`));
    return this.#send(slot, { type: 'migrate', tenant: handle, migrations });
  }

  /** Closes a tenant's connection in its worker. */
  async closeTenant(handle: number): Promise<void> {
    const slot = this.#home.get(handle);
    if (!slot) return;
    this.#home.delete(handle);
    try {
      await this.#send(slot, { type: 'close', tenant: handle });
    } finally {
      slot.tenants--;
    }
  }

  get size(): number {
    return this.#slots.length;
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.#slots.map((slot) => slot.worker.terminate()));
  }
}
