/**
 * A worker thread of a fleet migration (see MigrateWorkers): opens tenant databases and runs their
 * migrations — the per-tenant JavaScript (Sequelize, Umzug) — off the main thread, so a fleet
 * migration uses every core. The main thread keeps the registry, the per-tenant locks, the
 * operations log and progress; it asks, per tenant: `status` (open, read what is pending), then,
 * holding the tenant's lock, `migrate` (read again, apply what is pending), then `close`.
 */
import { parentPort } from 'node:worker_threads';
import type { Sequelize } from 'sequelize';
import { migrateUp, migrationStatus, type MigrationDefinition } from '@salesfleet/migrations';
// The Sequelize layer only (not every driver): what a worker loads is what it costs to start.
import { closeSequelize, openSequelize, type OpenSequelizeOptions } from '../drivers/sequelize';
import type { DatabaseSpec } from '../drivers/spec';
import { loadMigrationSource, type MigrationSource } from './migration-source';

export type WorkerRequest =
  | { id: number; type: 'status'; tenant: number; spec: DatabaseSpec; options: OpenSequelizeOptions; migrations: MigrationSource | null }
  | { id: number; type: 'migrate'; tenant: number; migrations: MigrationSource | null }
  | { id: number; type: 'close'; tenant: number };

/** `applied`: for `status` every applied migration, for `migrate` those applied now; `version`: the last applied after it. */
export interface TenantMigrationState {
  applied: string[];
  pending: string[];
  version: string | null;
}

export type WorkerReply = ({ id: number; ok: true } & TenantMigrationState) | { id: number; ok: false; error: string };

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
const open = new Map<number, Sequelize>();

async function handle(request: WorkerRequest): Promise<TenantMigrationState> {
  if (request.type === 'close') {
    const sequelize = open.get(request.tenant);
    open.delete(request.tenant);
    await closeSequelize(sequelize);
    return { applied: [], pending: [], version: null };
  }
  const options = await listOf(request.migrations);
  if (request.type === 'status') {
    const sequelize = openSequelize(request.spec, request.options);
    open.set(request.tenant, sequelize);
    const status = await migrationStatus(sequelize, 'tenant', options);
    return { applied: status.applied, pending: status.pending, version: status.applied.at(-1) ?? null };
  }
  const sequelize = open.get(request.tenant);
  if (!sequelize) throw new Error(`tenant ${request.tenant} is not open in this worker`);
  // Read again under the tenant's lock: another process may have migrated it meanwhile.
  const status = await migrationStatus(sequelize, 'tenant', options);
  if (status.pending.length === 0) return { applied: [], pending: [], version: status.applied.at(-1) ?? null };
  const { applied } = await migrateUp(sequelize, 'tenant', options);
  const done = new Set(applied);
  return {
    applied,
    pending: status.pending.filter((name) => !done.has(name)),
    version: applied.at(-1) ?? status.applied.at(-1) ?? null,
  };
}

port.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (value) => port.postMessage({ id: request.id, ok: true, ...value } satisfies WorkerReply),
    (err: unknown) =>
      port.postMessage({ id: request.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies WorkerReply),
  );
});
port.postMessage({ id: 0, ok: true, applied: [], pending: [], version: null } satisfies WorkerReply);
