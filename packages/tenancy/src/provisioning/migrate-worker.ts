/**
 * A worker thread of a fleet migration (see MigrateWorkers): migrates the tenants it is given — the
 * per-tenant JavaScript (Sequelize, Umzug) and the tenant's lock — off the main thread, so a fleet
 * migration uses every core. The main thread keeps the registry, the operations log and progress and
 * sends one `apply` per tenant: open, read what is pending, and only then take the tenant's lock
 * `tenant-migrations:<id>` on this thread's own lock connection (or lock file), apply, release
 * (migrateOpenTenant, the same steps a one-at-a-time run takes in the calling thread); the reply goes
 * back then, and a second message once the tenant's connection is closed.
 */
import { parentPort } from 'node:worker_threads';
import type { Sequelize } from 'sequelize';
import type { MigrationDefinition } from '@salesfleet/migrations';
// The Sequelize layer only (not every driver): what a worker loads is what it costs to start.
import { closeSequelize, openSequelize, type OpenSequelizeOptions } from '../drivers/sequelize';
import type { DatabaseSpec } from '../drivers/spec';
import { RegistryLocks } from '../registry/locks';
import { loadMigrationSource, type MigrationSource } from './migration-source';
import { migrateOpenTenant, tenantMigrationLock, type TenantMigrationState } from './tenant-migration';

export type { TenantMigrationState } from './tenant-migration';

export type WorkerRequest =
  | {
      id: number;
      type: 'apply';
      tenant: { id: number; slug: string };
      spec: DatabaseSpec;
      options: OpenSequelizeOptions;
      migrations: MigrationSource | null;
      /** Where the registry's locks are (RegistryLocks#where). */
      locks: RegistryLocks['where'];
    }
  | { id: number; type: 'stop' };

/** Per request: its outcome, then (`apply`) `closed` once the tenant's connection is closed. */
export type WorkerReply =
  | ({ id: number; ok: true } & TenantMigrationState)
  | { id: number; ok: false; error: string }
  | { id: number; closed: true };

const port = parentPort;
if (!port) throw new Error('migrate-worker runs in a worker thread');
// Each source's list, loaded once in this thread (a pool serves several fleet migrations).
const lists = new Map<string, Promise<{ migrations?: readonly MigrationDefinition[] }>>();
function listOf(source: MigrationSource | null): Promise<{ migrations?: readonly MigrationDefinition[] }> {
  if (!source) return Promise.resolve({});
  const key = JSON.stringify(source);
  let list = lists.get(key);
  if (!list) {
    list = loadMigrationSource(source).then((migrations) => ({ migrations }));
    // A load failure is answered per request (and so reported per tenant) and tried again next time.
    list.catch(() => lists.delete(key));
    lists.set(key, list);
  }
  return list;
}

// This thread's holder of the registry's locks, one per registry, kept while the pool lives. When the
// thread ends (the pool closes, or it dies), its lock connections and lock files close with it, so a
// lock it held is released as a dead process's is.
const lockers = new Map<string, RegistryLocks>();
function lockerOf(where: RegistryLocks['where']): RegistryLocks {
  const key = JSON.stringify(where);
  let locks = lockers.get(key);
  if (!locks) {
    locks = new RegistryLocks(where.spec, where);
    lockers.set(key, locks);
  }
  return locks;
}

async function apply(request: Extract<WorkerRequest, { type: 'apply' }>, opened: { sequelize: Sequelize | null }) {
  const list = await listOf(request.migrations);
  const sequelize = openSequelize(request.spec, request.options);
  opened.sequelize = sequelize;
  const locks = lockerOf(request.locks);
  const lock = tenantMigrationLock(request.tenant);
  return migrateOpenTenant(sequelize, list, (fn) => locks.withLock(lock.name, fn, lock.options));
}

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'stop') {
    void Promise.all([...lockers.values()].map((locks) => locks.close().catch(() => undefined))).then(() =>
      port.postMessage({ id: request.id, closed: true } satisfies WorkerReply),
    );
    return;
  }
  const opened: { sequelize: Sequelize | null } = { sequelize: null };
  void apply(request, opened)
    .then(
      (state) => port.postMessage({ id: request.id, ok: true, ...state } satisfies WorkerReply),
      (err: unknown) =>
        port.postMessage({ id: request.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies WorkerReply),
    )
    // Closed after the answer: the main thread starts its next tenant meanwhile (as a one-at-a-time run does).
    .then(() => closeSequelize(opened.sequelize))
    .catch(() => undefined)
    .then(() => port.postMessage({ id: request.id, closed: true } satisfies WorkerReply));
});
port.postMessage({ id: 0, ok: true, applied: [], pending: [], version: null } satisfies WorkerReply);
