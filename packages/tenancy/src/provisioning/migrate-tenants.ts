import { performance } from 'node:perf_hooks';
import pMap from 'p-map';
import type { Sequelize } from 'sequelize';
import type { MigrationDefinition, MigrationStatus } from '@salesfleet/migrations';
import { closeSequelize, databaseKey, describeSpec, driverFor, openSequelize, type DatabaseSpec } from '../drivers/index';
import { redact } from '../mask';
import { readSchemaMigrationStatuses, readServerMigrationStatus } from '../migration-status';
import type { OperationNote } from '../operations';
import { pendingMigrationCount, type TenantRecord } from '../registry/records';
import { driverContext, sequelizeOptions, unreachableMessage, type ProvisioningContext } from './context';
import type { ActorOptions, FleetMigrationResult, MigrateTenantsOptions, MigrationResult } from './types';
import { loadMigrationSource, type MigrationSource } from './migration-source';
import { MigrateWorkers } from './migrate-workers';
import { migrateOpenTenant, tenantMigrationLock, type TenantMigrationState } from './tenant-migration';
import { DatabaseUnreachable } from '@salesfleet/contracts';

/**
 * Migrates the registry, then every tenant (or one) with bounded concurrency. A tenant's failure
 * is reported in its result and does not stop the others. `check`/`dryRun` change nothing.
 */
export async function migrateTenants(ctx: ProvisioningContext, options: MigrateTenantsOptions): Promise<FleetMigrationResult> {
  const started = performance.now();
  const readOnly = options.check === true || options.dryRun === true;
  const registry: FleetMigrationResult['registry'] = { applied: [], pending: [], ok: true };
  if (!options.skipRegistry) {
    try {
      if (readOnly) registry.pending = (await ctx.registry.migrationStatus()).pending;
      else registry.applied = (await ctx.registry.migrate()).applied;
    } catch (err) {
      // Reported in the result (and so by the CLI and the API); the tenants still run.
      registry.ok = false;
      registry.error = redact((err as Error).message);
    }
  }
  const tenants = options.tenants ?? (options.slug ? [await ctx.registry.getTenant(options.slug)] : await ctx.registry.listTenants());
  if (options.migrations && ctx.hooks.tenantMigrations) throw new Error('migrations and the tenantMigrations hook: one or the other');
  const migrations = options.migrations ? await loadMigrationSource(options.migrations) : ctx.hooks.tenantMigrations?.();
  const names = migrations ? migrations.map((m) => m.name) : undefined;
  const given = options.workers instanceof MigrateWorkers ? options.workers : null;
  const tooFew = !given && tenants.length < (options.workersFromTenants ?? 0);
  const threads = readOnly || tooFew ? 0 : given ? given.size : Math.max(0, Math.floor(Number(options.workers ?? 0)));
  if (threads > 0 && ctx.hooks.tenantMigrations)
    throw new Error('a tenantMigrations hook cannot run in workers: name the migrations by module (options.migrations)');
  // Each tenant on a worker thread (every core), its lock taken there too; the registry, the operations
  // log and progress stay here.
  const workers = threads === 0 || tenants.length === 0 ? null : (given ?? (await MigrateWorkers.start(threads)));
  try {
    return await migrateFleet(ctx, options, { tenants, migrations, names, readOnly, registry, started, workers });
  } finally {
    // A pool the caller gave stays open for its next fleet migration.
    if (workers && workers !== given) await workers.close();
  }
}

async function migrateFleet(
  ctx: ProvisioningContext,
  options: MigrateTenantsOptions,
  fleet: {
    tenants: readonly TenantRecord[];
    migrations: readonly MigrationDefinition[] | undefined;
    names: string[] | undefined;
    readOnly: boolean;
    registry: FleetMigrationResult['registry'];
    started: number;
    workers: MigrateWorkers | null;
  },
): Promise<FleetMigrationResult> {
  const { tenants, migrations, names, readOnly, registry, started, workers } = fleet;
  const run = readOnly
    ? null
    : await ctx.operations.begin('migrate-tenants', {
        actor: options.actor,
        tenantSlug: options.slug ?? null,
        details: { tenants: tenants.length },
      });
  let done = 0;
  // What the registry records per tenant — its schema version, its note in the operations log — is
  // written per chunk of CHUNK_TENANTS finished tenants (one UPDATE per version, one INSERT of notes,
  // one appended write), in the background and in order, the same chunks sequentially and in
  // parallel. A crash loses at most the last chunk's notes and versions: the tenant databases say
  // what is applied, so the next run skips it; a resumable fleet job records each tenant's outcome
  // through onTenant, after writing that tenant's version itself.
  let chunk: Chunk = { versions: [], notes: [] };
  let writes: Promise<void> = Promise.resolve();
  let writeError: unknown = null;
  const flushChunk = () => {
    const batch = chunk;
    chunk = { versions: [], notes: [] };
    if (batch.notes.length > 0) run?.notes(batch.notes);
    if (batch.versions.length === 0) return;
    writes = writes
      .then(() => ctx.registry.setSchemaVersions(batch.versions))
      .catch((err: unknown) => {
        writeError ??= err;
      });
  };
  const note: NoteTenant = (entry) => chunk.notes.push(entry);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const schemaStatuses = readOnly ? batchedSchemaStatuses(ctx, tenants, names) : null;
  // A tenant's connection closes while the next tenant starts (closing waits for the server to end
  // the backend: ~2.5 ms of ~14 ms per PostgreSQL tenant measured sequentially); at most
  // `concurrency` closes are pending, so connections stay ≤ 2 × concurrency.
  const closing = new Set<Promise<void>>();
  const closeLater = (close: Promise<void>) => {
    closing.add(close);
    void close.finally(() => closing.delete(close));
  };
  const settled = await pMap(
    tenants,
    async (tenant) => {
      if (options.signal?.aborted) return null;
      while (closing.size >= concurrency) await Promise.race(closing);
      // The registry's schema version says this tenant has nothing to apply: not opened at all.
      const upToDate = options.skipUpToDate === true && tenant.status !== 'maintenance' && pendingMigrationCount(tenant, names) === 0;
      const result = upToDate
        ? {
            slug: tenant.slug,
            ok: true,
            applied: [],
            pending: [],
            schemaVersion: tenant.schemaVersion,
            skipped: 'up to date',
            durationMs: 0,
          }
        : await migrateOne(ctx, tenant, {
            readOnly,
            note: run ? note : null,
            closeLater,
            migrations,
            workers,
            source: options.migrations ?? null,
            schemaStatuses,
          });
      if (!readOnly && result.ok && !result.skipped && result.schemaVersion !== tenant.schemaVersion) {
        const version = { tenantId: tenant.id, slug: tenant.slug, schemaVersion: result.schemaVersion };
        // A caller recording each tenant's outcome (a resumable fleet job) finds its version written first.
        if (options.onTenant) await ctx.registry.setSchemaVersions([version]);
        else chunk.versions.push(version);
      }
      done++;
      if (done % CHUNK_TENANTS === 0) flushChunk();
      options.onProgress?.(done, tenants.length, result);
      await options.onTenant?.(result, tenant);
      return result;
    },
    { concurrency },
  );
  const results = settled.filter((r): r is MigrationResult => r !== null);
  await Promise.all(closing);
  flushChunk();
  await writes;
  if (writeError) throw writeError;
  const ok = registry.ok && results.every((r) => r.ok);
  const summary = {
    tenants: results.length,
    failed: results.filter((r) => !r.ok).length,
    applied: results.reduce((n, r) => n + r.applied.length, 0),
    registryApplied: registry.applied.length,
  };
  if (run) {
    if (ok) await run.succeed(summary);
    else await run.fail(new Error(`${summary.failed} tenant(s) failed to migrate`), summary);
  }
  return { registry, results, ok, durationMs: Math.round(performance.now() - started) };
}

/** Finished tenants whose registry records are written together (see migrateFleet). */
const CHUNK_TENANTS = 100;

/** A tenant's entry in the fleet run's operations log (written with its chunk). */
type NoteTenant = (entry: OperationNote) => void;

interface Chunk {
  versions: { tenantId: number; slug: string; schemaVersion: string | null }[];
  notes: OperationNote[];
}

/** Migrates one tenant (the API's `POST /tenants/:slug/migrate`). */
export async function migrateTenant(
  ctx: ProvisioningContext,
  slug: string,
  options: ActorOptions & { check?: boolean },
): Promise<MigrationResult> {
  const result = await migrateTenants(ctx, { ...options, slug, skipRegistry: true, concurrency: 1 });
  return result.results[0]!;
}

async function migrateOne(
  ctx: ProvisioningContext,
  tenant: TenantRecord,
  how: {
    readOnly: boolean;
    /** Records the tenant's outcome in the run's operations log (null: a read-only run). */
    note: NoteTenant | null;
    closeLater: (close: Promise<void>) => void;
    migrations: readonly MigrationDefinition[] | undefined;
    workers: MigrateWorkers | null;
    source: MigrationSource | null;
    schemaStatuses: SchemaStatuses | null;
  },
): Promise<MigrationResult> {
  const { readOnly, note, closeLater, migrations, workers, source, schemaStatuses } = how;
  const started = performance.now();
  const base = { slug: tenant.slug, applied: [] as string[], pending: [] as string[], schemaVersion: tenant.schemaVersion };
  if (tenant.status === 'provisioning' || tenant.status === 'deleting' || tenant.status === 'failed' || tenant.status === 'maintenance') {
    return { ...base, ok: true, skipped: `status ${tenant.status}`, durationMs: 0 };
  }
  let spec: DatabaseSpec | null = null;
  let sequelize: Sequelize | null = null;
  let closeWorkerTenant: Promise<void> | null = null;
  const list = migrations ? { migrations } : {};
  try {
    spec = ctx.registry.databaseSpecOf(tenant);
    if (spec.engine === 'sqlite' && !(await driverFor('sqlite').exists(spec, driverContext(ctx)))) {
      throw new DatabaseUnreachable(describeSpec(spec), 'the file does not exist');
    }
    if (readOnly && spec.engine !== 'sqlite') {
      // A check only reads the bookkeeping table: one plain connection, no Sequelize instance — or,
      // for a schema tenant, its share of its shared database's batched read.
      const status =
        (await schemaStatuses?.(tenant, spec)) ??
        (await readServerMigrationStatus(
          spec,
          ctx.config.dbConnectTimeoutMs,
          migrations?.map((m) => m.name),
        ));
      return {
        ...base,
        ok: true,
        pending: status.pending,
        schemaVersion: status.applied.at(-1) ?? null,
        durationMs: Math.round(performance.now() - started),
      };
    }
    const lock = tenantMigrationLock(tenant);
    let state: TenantMigrationState;
    if (workers) {
      // One message: the worker opens, reads, takes the tenant's lock itself, applies, releases, closes.
      const sent = workers.apply(tenant, spec, sequelizeOptions(ctx, { poolMax: 1 }), source, ctx.registry.locks);
      closeWorkerTenant = sent.closed;
      state = await sent.answer;
    } else {
      sequelize = openSequelize(spec, sequelizeOptions(ctx, { poolMax: 1 }));
      // Another process may be migrating this tenant (two fleet migrations at once): the lock waits
      // for it, and the read under it usually finds nothing left instead of a duplicate-migration error.
      state = await migrateOpenTenant(sequelize, list, readOnly ? null : (fn) => ctx.registry.locks.withLock(lock.name, fn, lock.options));
    }
    const { applied } = state;
    if (applied.length > 0) note?.({ step: `tenant:${tenant.slug}`, outcome: 'succeeded', details: { applied } });
    return {
      ...base,
      ok: true,
      applied,
      pending: state.pending,
      schemaVersion: state.version,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (err) {
    // Reported in this tenant's result; the fleet run goes on with the others.
    const message = unreachableMessage(err, spec);
    note?.({ step: `tenant:${tenant.slug}`, outcome: 'failed', error: new Error(message) });
    return { ...base, ok: false, error: message, durationMs: Math.round(performance.now() - started) };
  } finally {
    closeLater(closeWorkerTenant ?? closeSequelize(sequelize));
  }
}

/** A schema tenant's migration status from its shared database's batched read; null: read it alone. */
type SchemaStatuses = (tenant: TenantRecord, spec: DatabaseSpec) => Promise<MigrationStatus | null>;

const SKIPPED_STATUSES = new Set(['provisioning', 'deleting', 'failed', 'maintenance']);

/**
 * For a fleet check: the schema tenants (`postgres-schema`) of each shared database are read together
 * (readSchemaMigrationStatuses: one connection, one UNION ALL per 100 schemas), started by the first
 * of them the check reaches. A database with one schema tenant, or whose batched read failed, is read
 * tenant by tenant as before, so each tenant reports its own error exactly as a single read does.
 */
function batchedSchemaStatuses(ctx: ProvisioningContext, tenants: readonly TenantRecord[], names: string[] | undefined): SchemaStatuses {
  const groups = new Map<string, { spec: DatabaseSpec; schemas: string[]; read?: Promise<Map<string, MigrationStatus> | null> }>();
  const keyOf = (spec: DatabaseSpec) =>
    `${databaseKey({ engine: spec.engine, host: spec.host, port: spec.port, name: spec.database })}|${spec.user ?? ''}|${spec.password ?? ''}`;
  for (const tenant of tenants) {
    if (SKIPPED_STATUSES.has(tenant.status)) continue;
    let spec: DatabaseSpec;
    try {
      spec = ctx.registry.databaseSpecOf(tenant);
    } catch {
      continue; // reported by the tenant's own read
    }
    if (spec.engine !== 'postgres' || !spec.schema) continue;
    const key = keyOf(spec);
    const group = groups.get(key);
    if (group) group.schemas.push(spec.schema);
    else groups.set(key, { spec, schemas: [spec.schema] });
  }
  return async (_tenant, spec) => {
    if (spec.engine !== 'postgres' || !spec.schema) return null;
    const group = groups.get(keyOf(spec));
    if (!group || group.schemas.length < 2) return null;
    group.read ??= readSchemaMigrationStatuses(group.spec, group.schemas, ctx.config.dbConnectTimeoutMs, names).catch((err: unknown) => {
      ctx.logger.warn(
        { err: unreachableMessage(err, group.spec), database: describeSpec({ ...group.spec, schema: null }) },
        'batched migration check of a shared database failed; checking its schemas one by one',
      );
      return null;
    });
    return (await group.read)?.get(spec.schema) ?? null;
  };
}
