import { resolve } from 'node:path';
import { serverDriverContext } from '../server-context';
import { performance } from 'node:perf_hooks';
import { migrateUp, migrationNames } from '@salesfleet/migrations';
import type { TenantConnections } from '../connections';
import type { Logger } from '../logger';
import {
  closeSequelize,
  describeSpec,
  driverFor,
  managedDatabaseName,
  managedSchemaName,
  openSequelize,
  type DatabaseParams,
  type DatabaseSpec,
  type DriverContext,
} from '../drivers/index';
import type { TenantRecord } from '../registry/records';
import { verifyArchive, type ArchiveHeader, type ManifestTable } from './archive';
import { readJournal, recover, recoverTenantSwitch, seal, writeJournal, type MoveJournal } from './move';
import type { DataSafetyDeps } from './backup';
import { loadArchive, type LoadProgress } from './load';
import { prepareTarget, targetDatabase, type TargetDatabase } from './target-database';
import { ArchiveInvalid, ArchiveTooNew, Conflict, SlugTaken, validateSlug, ValidationFailed } from '@salesfleet/contracts';

export interface RestoreOptions {
  actor: string;
  /** The operations log's run id (default a new one). */
  runId?: string;
  /** The archive to restore. */
  from: string;
  /** Restore as a new tenant with this slug (default: the archive's own slug). */
  as?: string;
  /** Where the data goes (engine, URL…); default the managed place for the slug (see targetDatabase). */
  database?: DatabaseParams;
  /** Replace the data of the existing tenant: restored into a new database, switched to once verified. */
  replace?: boolean;
  onProgress?: (progress: LoadProgress | { phase: 'check'; table: null; rowsDone: 0; rowsTotal: 0 }) => void;
  /** Awaited before each step starts (progress; tests look at the tenant between steps). */
  onStep?: (step: RestoreStep) => void | Promise<void>;
}

/** With `replace`: maintenance … switch, notify; a new tenant: create_database … migrate, activate. */
export type RestoreStep = 'maintenance' | 'create_database' | 'load' | 'migrate' | 'switch' | 'notify' | 'activate';

export interface RestoreResult {
  tenant: TenantRecord;
  /** The new database, password masked. */
  database: string;
  /** With `replace`: the database the tenant used before, kept (drop it with delete-old-database). */
  oldDatabase: string | null;
  schemaVersion: string | null;
  /** The archive's schema version, when the restore migrated it up. */
  migratedFrom: string | null;
  tables: ManifestTable[];
  rows: number;
  durationMs: number;
  /**
   * With `replace`: this same restore had been killed after its switch, and this call only finished it
   * (`finished`); or a killed move or restore of the tenant was undone first (`rolled-back`).
   */
  recovered: 'finished' | 'rolled-back' | null;
}

export interface RestoreDeps extends DataSafetyDeps {
  connections?: Pick<TenantConnections, 'evict'>;
  /** Where a failure to take the tenant out of maintenance again is reported. */
  logger?: Logger;
}

/**
 * Restores an archive. Every checksum is verified before anything is created; the data always goes
 * into a new database; an older schema is migrated up after loading, a newer one refused. Without
 * `replace` the target slug must be free (a new tenant is registered, `active` only once the data is
 * verified); with `replace` the existing tenant switches to the new database once verified, and its
 * old database is kept. Any failure removes what the restore created and leaves the rest as it was.
 */
export async function restoreTenant(deps: RestoreDeps, slug: string, options: RestoreOptions): Promise<RestoreResult> {
  const started = performance.now();
  const file = resolve(options.from);
  options.onProgress?.({ phase: 'check', table: null, rowsDone: 0, rowsTotal: 0 });
  const { header, manifest } = await verifyArchive(file, options.from);
  checkSchemaVersion(options.from, header);
  if (header.tenant.slug !== slug) {
    throw new ValidationFailed(`${options.from} is a backup of tenant "${header.tenant.slug}", not "${slug}"`, [
      { path: 'from', message: `archive of ${header.tenant.slug}` },
    ]);
  }
  const targetSlug = validateSlug(options.as ?? slug);
  let existing = await deps.registry.findTenant(targetSlug);
  // A move or restore --replace of this tenant killed part-way is finished or undone first (its
  // journal says which); a finished one keeps its old database until delete-old-database.
  let recovered: RestoreResult['recovered'] = null;
  if (existing && options.replace) {
    const interrupted = await recoverTenantSwitch(deps, targetSlug, { actor: options.actor });
    if (interrupted) {
      recovered = interrupted.outcome;
      existing = await deps.registry.getTenant(targetSlug);
      if (interrupted.outcome === 'finished' && interrupted.journal.kind === 'restore' && interrupted.journal.archive === file) {
        return {
          tenant: existing,
          database: describeSpec(deps.registry.databaseSpecOf(existing)),
          oldDatabase: describeSpec(
            deps.registry.databaseSpecOf({ ...existing, db: { ...existing.db, ...oldColumns(interrupted.journal) } }),
          ),
          schemaVersion: existing.schemaVersion,
          migratedFrom: null,
          tables: manifest.tables,
          rows: manifest.tables.reduce((n, t) => n + t.rows, 0),
          durationMs: Math.round(performance.now() - started),
          recovered,
        };
      }
    }
    const kept = await readJournal(deps, targetSlug);
    if (kept?.state === 'done')
      throw new Conflict(
        `Tenant "${targetSlug}" still keeps its database from the last ${kept.kind ?? 'move'}; run delete-old-database ${targetSlug} first`,
      );
  }
  if (existing && !options.replace) {
    throw new SlugTaken(
      targetSlug,
      `is an existing tenant; restore with --as <new subdomain>, or --replace to replace its data (its current database is kept)`,
    );
  }
  if (!existing && options.replace)
    throw new ValidationFailed(`No tenant "${targetSlug}" to replace`, [{ path: 'replace', message: 'the tenant does not exist' }]);
  if (existing && !['active', 'suspended'].includes(existing.status)) throw new Conflict(`Tenant "${targetSlug}" is ${existing.status}`);

  const ctx: DriverContext = { dataDir: deps.config.dataDir, connectTimeoutMs: deps.config.dbConnectTimeoutMs };
  const oldSpec = existing ? deps.registry.databaseSpecOf(existing) : null;
  const target =
    existing && oldSpec
      ? replacementTarget(deps, targetSlug, oldSpec, options.database)
      : targetDatabase(deps.config, targetSlug, options.database);
  const run = await deps.operations.begin('restore-tenant', {
    actor: options.actor,
    ...(options.runId ? { runId: options.runId } : {}),
    tenantId: existing?.id ?? null,
    tenantSlug: targetSlug,
    details: {
      from: file,
      archiveTenant: header.tenant.slug,
      archiveEngine: header.engine,
      archiveSchemaVersion: header.schemaVersion,
      archiveCreatedAt: header.createdAt,
      database: describeSpec(target.spec),
      replace: options.replace === true,
    },
    secrets: [target.spec.password],
  });

  let registered: TenantRecord | null = null;
  let created = false;
  let sequelize: ReturnType<typeof openSequelize> | null = null;
  // With `replace`, the tenant is in maintenance from here until it serves from the verified new
  // database (its users get 503 + Retry-After, nothing is written into the database being replaced);
  // any failure puts it back, on its old database, with the status it had.
  let inMaintenance: TenantRecord | null = null;
  const step = async <T>(name: RestoreStep, fn: () => Promise<T>, details?: Record<string, unknown>): Promise<T> => {
    await options.onStep?.(name);
    return run.step(name, fn, details);
  };
  let journal: MoveJournal | null = null;
  try {
    if (existing) {
      const live = existing;
      journal = {
        kind: 'restore',
        archive: file,
        slug: targetSlug,
        tenantId: live.id,
        state: 'moving',
        previousStatus: live.status as 'active' | 'suspended',
        old: seal(deps, oldSpec!),
        oldManaged: live.db.managed,
        target: { ...seal(deps, target.spec), managed: target.managed },
        targetCreated: false,
        startedAt: new Date().toISOString(),
      };
      await writeJournal(deps, journal);
      inMaintenance = await step('maintenance', async () => {
        const updated = await deps.registry.updateTenant(live.id, { status: 'maintenance' }, { expectedVersion: live.version });
        await deps.connections?.evict(live.id, { graceMs: 5000 });
        return updated;
      });
    } else {
      registered = await deps.registry.insertTenant({
        slug: targetSlug,
        name: header.tenant.name,
        adminEmail: header.tenant.adminEmail,
        status: 'provisioning',
        maxUsers: header.tenant.maxUsers,
        multiLocation: header.tenant.multiLocation,
        trialEndsAt: null,
        paidUntil: null,
        db: dbColumns(deps, target.spec, false),
      });
      run.setTenant(registered.id, registered.slug);
    }
    created = await step('create_database', async () => prepareTarget(target, await serverDriverContext(deps, target.spec)), {
      database: describeSpec(target.spec),
    });
    if (journal) {
      journal.targetCreated = created;
      await writeJournal(deps, journal);
    }
    sequelize = openSequelize(target.spec, { dataDir: ctx.dataDir, connectTimeoutMs: ctx.connectTimeoutMs, poolMax: 2, tenant: true });
    const loaded = await step('load', () => loadArchive(sequelize!, file, header, options.onProgress), {
      rows: header.tables.reduce((n, t) => n + t.rows, 0),
    });
    const { applied } = await step('migrate', () => migrateUp(sequelize!, 'tenant'));
    const schemaVersion = applied.at(-1) ?? header.schemaVersion;
    await closeSequelize(sequelize);
    sequelize = null;

    let tenant: TenantRecord;
    if (existing && journal) {
      const live = existing;
      const switching = journal;
      tenant = await step('switch', async () => {
        const updated = await deps.registry.updateTenant(live.id, {
          db: dbColumns(deps, target.spec, created && target.managed),
          schemaVersion,
          status: switching.previousStatus,
        });
        inMaintenance = null;
        return updated;
      });
      // The registry update told every process (change notification); this one also closes its handle.
      await step('notify', async () => {
        await deps.connections?.evict(live.id, { graceMs: 5000 }).catch(() => undefined);
        switching.state = 'done';
        await writeJournal(deps, switching);
      });
    } else {
      tenant = await step('activate', () =>
        deps.registry.updateTenant(registered!.id, { status: 'active', schemaVersion, db: { managed: created && target.managed } }),
      );
    }
    const result: RestoreResult = {
      tenant,
      database: describeSpec(target.spec),
      oldDatabase: oldSpec ? describeSpec(oldSpec) : null,
      schemaVersion,
      migratedFrom: applied.length > 0 ? header.schemaVersion : null,
      tables: loaded.tables,
      rows: loaded.rows,
      durationMs: Math.round(performance.now() - started),
      recovered,
    };
    await run.succeed({ rows: result.rows, schemaVersion, migratedFrom: result.migratedFrom, oldDatabase: result.oldDatabase });
    return result;
  } catch (err) {
    await closeSequelize(sequelize);
    if (journal?.state === 'moving') {
      // Back on the old database with its status, the new one dropped (or, failed after the switch,
      // finished); if that fails too, the journal stays and the next restore or move does it.
      const switching = journal;
      await recover(deps, await deps.registry.getTenant(targetSlug), switching, ctx, run).catch((undoErr: unknown) =>
        deps.logger?.error({ err: (undoErr as Error).message, tenant: targetSlug }, 'undoing a failed restore --replace failed'),
      );
      await run.fail(err);
      throw err;
    }
    if (created)
      await run
        .step('undo_create_database', async () =>
          driverFor(target.spec.engine).drop(target.spec, await serverDriverContext(deps, target.spec)),
        )
        .catch(() => undefined);
    if (registered) await run.step('undo_register', () => deps.registry.deleteTenant(registered!.id)).catch(() => undefined);
    const stopped = inMaintenance;
    if (stopped && existing) {
      await run
        .step('undo_maintenance', () => deps.registry.updateTenant(stopped.id, { status: existing.status }))
        .catch((undoErr: unknown) =>
          deps.logger?.error(
            { err: (undoErr as Error).message, tenant: existing.slug },
            'tenant left in maintenance after a failed restore',
          ),
        );
    }
    await run.fail(err);
    throw err;
  }
}

/** Archives whose migrations this version does not all know are refused before anything is made. */
export function checkSchemaVersion(label: string, header: ArchiveHeader): void {
  const known = migrationNames('tenant');
  const unknown = header.migrations.filter((m) => !known.includes(m));
  if (unknown.length === 0) return;
  const latest = known.at(-1) ?? null;
  if (latest === null || unknown.some((m) => m > latest)) throw new ArchiveTooNew(label, header.schemaVersion ?? unknown.at(-1)!, latest);
  throw new ArchiveInvalid(label, `it has migrations this version does not know (${unknown.join(', ')})`);
}

/** With `replace` and no target given, a new database beside the live one (same server or data dir). */
function replacementTarget(deps: DataSafetyDeps, slug: string, live: DatabaseSpec, params: DatabaseParams | undefined): TargetDatabase {
  const suffix = `_r${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
  const given = params && Object.values(params).some((x) => x !== undefined && x !== null && x !== '');
  if (given) return targetDatabase(deps.config, slug, params, suffix);
  if (live.engine === 'sqlite') return targetDatabase(deps.config, slug, { engine: 'sqlite' }, suffix);
  // A schema tenant: a new schema beside the live one, in the same shared database.
  if (live.schema) return { spec: { ...live, schema: `${managedSchemaName(slug).slice(0, 63 - suffix.length)}${suffix}` }, managed: true };
  return { spec: { ...live, database: `${managedDatabaseName(slug).slice(0, 63 - suffix.length)}${suffix}` }, managed: true };
}

/** The registry's database columns of a journal's old database. */
function oldColumns(journal: MoveJournal) {
  const { passwordSealed, database, ...rest } = journal.old;
  return { ...rest, name: database, passwordEncrypted: passwordSealed };
}

function dbColumns(deps: DataSafetyDeps, spec: DatabaseSpec, managed: boolean) {
  return {
    engine: spec.engine,
    host: spec.host,
    port: spec.port,
    name: spec.database,
    schema: spec.schema ?? null,
    user: spec.user,
    passwordEncrypted: spec.password ? deps.registry.sealPassword(spec.password) : null,
    managed,
  };
}
