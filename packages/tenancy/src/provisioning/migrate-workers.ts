import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DatabaseSpec, OpenSequelizeOptions } from '../drivers/index';
import type { RegistryLocks } from '../registry/locks';
import type { MigrationSource } from './migration-source';
import type { WorkerReply, WorkerRequest } from './migrate-worker';
import type { TenantMigrationState } from './tenant-migration';

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

interface Pending {
  resolve: (r: TenantMigrationState) => void;
  reject: (err: Error) => void;
  /** Resolved by the worker's `closed` message (or its death): the tenant's connection is gone. */
  closed: () => void;
  answered: boolean;
}

interface Slot {
  worker: Worker;
  /** Tenants on this worker whose connection is not closed yet. */
  tenants: number;
  pending: Map<number, Pending>;
  dead: Error | null;
}

/**
 * The worker threads of a fleet migration (`migrateTenants({ workers })`): each migrates the tenants
 * it is given, one message per tenant (migrate-worker.ts: open, read, take the tenant's lock there,
 * apply, release, close); new tenants go to the worker with the fewest open. A worker that dies fails
 * its tenants' requests (each reported as that tenant's failure); the locks it held die with it.
 */
export class MigrateWorkers {
  readonly #slots: Slot[];
  #nextId = 1;

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
        slot.dead ??= err;
        for (const p of slot.pending.values()) {
          if (!p.answered) p.reject(err);
          p.closed();
        }
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
        if ('closed' in reply) {
          slot.pending.delete(reply.id);
          p.closed();
          return;
        }
        p.answered = true;
        if (reply.ok) p.resolve({ applied: reply.applied, pending: reply.pending, version: reply.version });
        else p.reject(new Error(reply.error));
      });
      slot.worker.on('error', (err) => fail(err));
      slot.worker.on('exit', (code) => fail(new Error(`the migration worker exited (${code})`)));
    });
  }

  #send(slot: Slot, request: Request): { answer: Promise<TenantMigrationState>; closed: Promise<void> } {
    if (slot.dead) return { answer: Promise.reject(slot.dead), closed: Promise.resolve() };
    const id = this.#nextId++;
    let closed!: () => void;
    const whenClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const answer = new Promise<TenantMigrationState>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject, closed, answered: false });
      slot.worker.postMessage({ ...request, id } as WorkerRequest);
    });
    return { answer, closed: whenClosed };
  }

  /**
   * Migrates one tenant on the least busy worker: opens its database, reads what is pending and, only
   * when something is, applies it holding the tenant's lock (taken in the worker, from `locks`' registry).
   * `answer` is the outcome; `closed` resolves once the worker has closed the tenant's connection.
   */
  apply(
    tenant: { id: number; slug: string },
    spec: DatabaseSpec,
    options: OpenSequelizeOptions,
    migrations: MigrationSource | null,
    locks: RegistryLocks,
  ): { answer: Promise<TenantMigrationState>; closed: Promise<void> } {
    const slot = this.#slots.reduce((a, b) => (b.tenants < a.tenants ? b : a));
    slot.tenants++;
    const sent = this.#send(slot, {
      type: 'apply',
      tenant: { id: tenant.id, slug: tenant.slug },
      spec,
      options,
      migrations,
      locks: locks.where,
    });
    const closed = sent.closed.finally(() => {
      slot.tenants--;
    });
    return { answer: sent.answer, closed };
  }

  get size(): number {
    return this.#slots.length;
  }

  /** Stops every worker (each closes its lock connections first, briefly waited for). */
  async close(): Promise<void> {
    await Promise.all(
      this.#slots.map(async (slot) => {
        if (!slot.dead) {
          const { answer, closed } = this.#send(slot, { type: 'stop' });
          answer.catch(() => undefined); // a stop is answered by `closed` alone
          await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
        }
        await slot.worker.terminate();
      }),
    );
  }
}
