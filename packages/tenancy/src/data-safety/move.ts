import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryTypes, type Sequelize } from 'sequelize';
import { migrateUp } from '@salesfleet/migrations';
import type { TenantConnections } from '../connections';
import {
  closeSequelize,
  describeSpec,
  driverFor,
  openSequelize,
  parseDatabaseUrl,
  resolveSqlitePath,
  sameDatabase,
  specToUrl,
  type DatabaseParams,
  type DatabaseSpec,
  type DriverContext,
} from '../drivers/index';
import type { OperationRun } from '../operations';
import type { TenantRecord } from '../registry/records';
import type { TenantServerRecord } from '../registry/tenant-servers';
import { ARCHIVE_EXTENSION, TableDigest, readArchiveHeader, type ArchiveHeader } from './archive';
import { serverDriverContext } from '../server-context';
import { backupDirectory, writeArchive, type DataSafetyDeps } from './backup';
import { loadArchive } from './load';
import { readRows, withSnapshot } from './snapshot';
import { prepareTarget, targetDatabase, type TargetDatabase } from './target-database';
import { Conflict, ValidationFailed } from '@salesfleet/contracts';

/** The steps of a move, in order; `onStep` is told each one as it starts (after the journal records it). */
export const MOVE_STEPS = ['maintenance', 'drain', 'copy', 'load', 'verify', 'switch', 'notify', 'drop_old'] as const;
export type MoveStep = (typeof MOVE_STEPS)[number];

export interface MoveDeps extends DataSafetyDeps {
  connections?: Pick<TenantConnections, 'evict'>;
}

export interface MoveOptions {
  actor: string;
  /** The operations log's run id (default a new one). */
  runId?: string;
  /** Where to: `{ engine }` (the configured server of that engine, or a SQLite file) or `{ url }`. */
  to: DatabaseParams;
  /** A registered tenant server instead of `to`: a managed database on it (the server must be open and have room). */
  toServer?: string;
  /** Drop the old database once switched (only databases Salesfleet created). */
  dropOld?: boolean;
  /** How long to wait for other processes' connections to the old database to end (default 5 s). */
  drainMs?: number;
  onStep?: (step: MoveStep) => void | Promise<void>;
  onProgress?: (progress: { phase: string; table: string | null; rowsDone: number; rowsTotal: number }) => void;
}

export interface MoveResult {
  tenant: TenantRecord;
  from: string;
  to: string;
  rows: number;
  /** The archive the copy went through (kept in the tenant's backups). */
  archive: string;
  /** The old database, kept until delete-old-database (null when dropped). */
  oldDatabase: string | null;
  droppedOld: boolean;
  /** A crashed earlier attempt that this call finished or rolled back first. */
  recovered: 'finished' | 'rolled-back' | null;
  durationMs: number;
}

export interface SealedSpec {
  engine: DatabaseSpec['engine'];
  host: string | null;
  port: number | null;
  database: string;
  /** `postgres-schema` placement: the schema in `database` (absent in journals from before it). */
  schema?: string | null;
  user: string | null;
  passwordSealed: string | null;
}

/**
 * What a move — or a `restore --replace`, which switches a tenant to another database the same way —
 * has done so far, in `<data dir>/moves/<slug>.json` (0600; passwords sealed with the registry's key).
 * One killed at any point is finished (the registry already points at the new database) or undone
 * (it does not: the new database is dropped, the status put back) by the next move or restore of the
 * tenant, or by recoverTenantSwitch; a finished one keeps the old database here until
 * `delete-old-database`.
 */
export interface MoveJournal {
  /** What wrote it (absent: a move, as journals before restores had none). */
  kind?: 'move' | 'restore';
  /** A restore's archive (absolute path). */
  archive?: string;
  slug: string;
  tenantId: number;
  state: 'moving' | 'done';
  previousStatus: 'active' | 'suspended';
  old: SealedSpec;
  oldManaged: boolean;
  target: (SealedSpec & { managed: boolean }) | null;
  targetCreated: boolean;
  startedAt: string;
}

function journalPath(deps: DataSafetyDeps, slug: string): string {
  return join(deps.config.dataDir, 'moves', `${slug}.json`);
}

export async function readJournal(deps: DataSafetyDeps, slug: string): Promise<MoveJournal | null> {
  try {
    return JSON.parse(await readFile(journalPath(deps, slug), 'utf8')) as MoveJournal;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Written to a temporary file and renamed: a kill leaves the old journal or the new, never half of one. */
export async function writeJournal(deps: DataSafetyDeps, journal: MoveJournal): Promise<void> {
  const path = journalPath(deps, journal.slug);
  await mkdir(join(deps.config.dataDir, 'moves'), { recursive: true, mode: 0o700 });
  await writeFile(`${path}.partial`, `${JSON.stringify(journal, null, 2)}\n`, { mode: 0o600 });
  await rename(`${path}.partial`, path);
}

export function seal(deps: DataSafetyDeps, spec: DatabaseSpec): SealedSpec {
  return {
    engine: spec.engine,
    host: spec.host,
    port: spec.port,
    database: spec.database,
    schema: spec.schema ?? null,
    user: spec.user,
    passwordSealed: spec.password ? deps.registry.sealPassword(spec.password) : null,
  };
}

function unseal(deps: DataSafetyDeps, tenant: TenantRecord, sealed: SealedSpec): DatabaseSpec {
  return deps.registry.databaseSpecOf({
    ...tenant,
    db: {
      ...tenant.db,
      engine: sealed.engine,
      host: sealed.host,
      port: sealed.port,
      name: sealed.database,
      schema: sealed.schema ?? null,
      user: sealed.user,
      passwordEncrypted: sealed.passwordSealed,
    },
  });
}

function dbColumns(deps: DataSafetyDeps, spec: DatabaseSpec, managed: boolean): Omit<TenantRecord['db'], 'key'> {
  const { passwordSealed, database, ...rest } = seal(deps, spec);
  return { ...rest, name: database, passwordEncrypted: passwordSealed, managed };
}

/**
 * Moves a tenant's data to another database (any engine to any engine): maintenance (its users get
 * 503 with Retry-After; other processes learn it through the registry's change notification and close
 * their handles once their requests end), a consistent copy through an archive in the tenant's
 * backups, load and verification of every table in the new database, a check that the old database
 * did not change meanwhile, then one registry update that switches the tenant to the new database and
 * back to its status. The old database is kept (until `dropOld` / delete-old-database). On any
 * failure the tenant is back on its old database with its status, and what the move created is
 * removed; a move killed at any step is finished or undone by the next call.
 */
export async function moveTenant(deps: MoveDeps, slug: string, options: MoveOptions): Promise<MoveResult> {
  const started = performance.now();
  const ctx: DriverContext = { dataDir: deps.config.dataDir, connectTimeoutMs: deps.config.dbConnectTimeoutMs };
  let tenant = await deps.registry.getTenant(slug);
  const server = options.toServer ? await serverWithRoom(deps, options.toServer) : null;
  const to: DatabaseParams = server ? { url: specToUrl({ ...(await deps.registry.servers.specOf(server)), database: '' }) } : options.to;
  const run = await deps.operations.begin('move-tenant', {
    actor: options.actor,
    ...(options.runId ? { runId: options.runId } : {}),
    tenantId: tenant.id,
    tenantSlug: slug,
    details: {
      to: to.url ? describeSpec(targetDatabase(deps.config, slug, to).spec) : (to.engine ?? null),
      server: server?.name ?? null,
      dropOld: options.dropOld === true,
    },
  });
  let journal: MoveJournal | null = null;
  let recovered: MoveResult['recovered'] = null;
  try {
    let previous = await readJournal(deps, slug);
    if (previous?.state === 'moving') {
      recovered = await recover(deps, tenant, previous, ctx, run);
      tenant = await deps.registry.getTenant(slug);
      // A finished restore --replace is not this move: its kept database stops the move below.
      if (recovered === 'finished' && previous.kind === 'restore') previous = await readJournal(deps, slug);
      else if (recovered === 'finished') {
        const done = (await readJournal(deps, slug))!;
        await run.succeed({ recovered });
        return {
          tenant,
          from: describeSpec(unseal(deps, tenant, done.old)),
          to: describeSpec(deps.registry.databaseSpecOf(tenant)),
          rows: 0,
          archive: '',
          oldDatabase: describeSpec(unseal(deps, tenant, done.old)),
          droppedOld: false,
          recovered,
          durationMs: Math.round(performance.now() - started),
        };
      }
    }
    if (previous?.state === 'done') {
      throw new Conflict(
        `Tenant "${slug}" still keeps its database from the last ${previous.kind ?? 'move'} (${describeSpec(unseal(deps, tenant, previous.old))}); run delete-old-database ${slug} first`,
      );
    }
    if (tenant.status !== 'active' && tenant.status !== 'suspended')
      throw new Conflict(`Tenant "${slug}" is ${tenant.status}; only an active or suspended tenant can be moved`);
    const oldSpec = deps.registry.databaseSpecOf(tenant);
    const target = await chooseTarget(deps, slug, to, oldSpec, ctx);
    run.addSecrets(oldSpec.password, target.spec.password);
    const step = async <T>(name: MoveStep, fn: () => Promise<T>, details: Record<string, unknown> = {}): Promise<T> => {
      await options.onStep?.(name);
      return run.step(name, fn, details);
    };

    journal = {
      kind: 'move',
      slug,
      tenantId: tenant.id,
      state: 'moving',
      previousStatus: tenant.status,
      old: seal(deps, oldSpec),
      oldManaged: tenant.db.managed,
      target: { ...seal(deps, target.spec), managed: target.managed },
      targetCreated: false,
      startedAt: new Date().toISOString(),
    };
    await writeJournal(deps, journal);
    const live = tenant;
    tenant = await step('maintenance', () =>
      deps.registry.updateTenant(live.id, { status: 'maintenance' }, { expectedVersion: live.version }),
    );
    await step('drain', async () => {
      await deps.connections?.evict(tenant.id, { graceMs: options.drainMs ?? 5000 });
      await waitForQuiet(oldSpec, ctx, options.drainMs ?? 5000);
    });
    const archive = join(backupDirectory(deps.config, slug), `${slug}-${stamp()}-move${ARCHIVE_EXTENSION}`);
    await mkdir(backupDirectory(deps.config, slug), { recursive: true, mode: 0o700 });
    const keeper = await holdSqlite(oldSpec, ctx);
    let header: ArchiveHeader;
    let copied: Awaited<ReturnType<typeof writeArchive>>;
    try {
      const fingerprint = await sqliteFingerprint(oldSpec, ctx);
      copied = await step('copy', () =>
        writeArchive(
          deps.config,
          tenant,
          oldSpec,
          archive,
          (p) => options.onProgress?.({ phase: 'copy', table: p.table, rowsDone: p.rowsDone, rowsTotal: p.rowsTotal }),
          { gzipLevel: 1 },
        ),
      );
      // Just written; the load checks every table's checksum as it reads the rows.
      header = await readArchiveHeader(archive);
      await step(
        'load',
        async () => {
          journal!.targetCreated = await prepareTarget(target, await serverDriverContext(deps, target.spec));
          await writeJournal(deps, journal!);
          const sequelize = openSequelize(target.spec, {
            dataDir: ctx.dataDir,
            connectTimeoutMs: ctx.connectTimeoutMs,
            poolMax: 2,
            tenant: true,
          });
          try {
            await loadArchive(sequelize, archive, header, (p) =>
              options.onProgress?.({ phase: p.phase, table: p.table, rowsDone: p.rowsDone, rowsTotal: p.rowsTotal }),
            );
            await migrateUp(sequelize, 'tenant');
          } finally {
            await closeSequelize(sequelize);
          }
        },
        { to: describeSpec(target.spec) },
      );
      await step('verify', async () => {
        // A SQLite file and its WAL untouched since before the snapshot hold what was copied; else read it all again.
        if (fingerprint !== null && fingerprint === (await sqliteFingerprint(oldSpec, ctx))) return;
        await checkUnchanged(deps, oldSpec, copied.manifest.tables);
      });
    } finally {
      await closeSequelize(keeper);
    }
    tenant = await step('switch', () =>
      deps.registry.updateTenant(tenant.id, {
        status: journal!.previousStatus,
        db: dbColumns(deps, target.spec, journal!.targetCreated && target.managed),
        serverId: server?.id ?? null,
        schemaVersion: header.schemaVersion,
      }),
    );
    // The registry update told every process (change notification); this one also closes its handle.
    await step('notify', async () => {
      await deps.connections?.evict(tenant.id, { graceMs: 5000 }).catch(() => undefined);
      journal!.state = 'done';
      await writeJournal(deps, journal!);
    });
    let droppedOld = false;
    if (options.dropOld) {
      droppedOld = await step('drop_old', () => dropOldDatabase(deps, tenant, journal!));
    }
    const result: MoveResult = {
      tenant,
      from: describeSpec(oldSpec),
      to: describeSpec(target.spec),
      rows: copied.rows,
      archive,
      oldDatabase: droppedOld ? null : describeSpec(oldSpec),
      droppedOld,
      recovered,
      durationMs: Math.round(performance.now() - started),
    };
    await run.succeed({ from: result.from, to: result.to, rows: result.rows, archive, droppedOld, recovered });
    return result;
  } catch (err) {
    if (journal?.state === 'moving') await rollBack(deps, journal, ctx, run).catch(() => undefined);
    await run.fail(err, { recovered });
    throw err;
  }
}

/**
 * Finishes or undoes a move or `restore --replace` of the tenant that was killed part-way (its journal
 * says it was still switching); null when there is none. Recorded as its own run.
 */
export async function recoverTenantSwitch(
  deps: MoveDeps,
  slug: string,
  options: { actor: string },
): Promise<{ kind: 'move' | 'restore'; outcome: 'finished' | 'rolled-back'; journal: MoveJournal } | null> {
  const journal = await readJournal(deps, slug);
  if (journal?.state !== 'moving') return null;
  const tenant = await deps.registry.getTenant(slug);
  const kind = journal.kind ?? 'move';
  const run = await deps.operations.begin('recover-tenant-switch', {
    actor: options.actor,
    tenantId: tenant.id,
    tenantSlug: slug,
    details: { kind, startedAt: journal.startedAt },
  });
  try {
    const ctx: DriverContext = { dataDir: deps.config.dataDir, connectTimeoutMs: deps.config.dbConnectTimeoutMs };
    const outcome = await recover(deps, tenant, journal, ctx, run);
    await run.succeed({ kind, outcome });
    return { kind, outcome, journal };
  } catch (err) {
    await run.fail(err);
    throw err;
  }
}

/** What a tenant's journal says of its last move or `restore --replace` (check-tenants reports it). */
export interface TenantSwitchStatus {
  kind: 'move' | 'restore';
  /** `interrupted`: killed before it finished (the tenant may be in maintenance, or switched but not done); `kept`: finished, its old database kept. */
  state: 'interrupted' | 'kept';
  startedAt: string;
  /** The database it was leaving (masked). */
  from: string;
  /** The database it was switching to (masked), null when not chosen yet. */
  to: string | null;
  /** Whether the registry already points at the new database. */
  switched: boolean;
  /** The command that finishes or undoes an interrupted one, or drops the kept database. */
  command: string;
}

/** The tenant's unfinished (or finished, old database kept) move or `restore --replace`; null when none. */
export async function tenantSwitchStatus(deps: DataSafetyDeps, tenant: TenantRecord): Promise<TenantSwitchStatus | null> {
  const journal = await readJournal(deps, tenant.slug);
  if (!journal || journal.tenantId !== tenant.id) return null;
  const kind = journal.kind ?? 'move';
  const old = unseal(deps, tenant, journal.old);
  const target = journal.target ? unseal(deps, tenant, journal.target) : null;
  const switched = target !== null && sameDatabase(deps.registry.databaseSpecOf(tenant), target);
  const base = { kind, startedAt: journal.startedAt, from: describeSpec(old), to: target ? describeSpec(target) : null, switched };
  if (journal.state === 'done') return { ...base, state: 'kept', command: `delete-old-database ${tenant.slug}` };
  const command =
    kind === 'restore'
      ? `restore-tenant ${tenant.slug} --from ${journal.archive ?? '<the same archive>'} --replace`
      : `move-tenant ${tenant.slug} ${target ? await moveTargetArgs(deps, target, journal.target!.managed) : '<the same target>'}`;
  return { ...base, state: 'interrupted', command };
}

/** The move-tenant arguments that name `target` again (a URL's password masked: the operator gives it). */
async function moveTargetArgs(deps: DataSafetyDeps, target: DatabaseSpec, managed: boolean): Promise<string> {
  if (target.engine === 'sqlite') return '--to-engine sqlite';
  if (!target.schema) {
    const servers = await deps.registry.servers.list({ engine: target.engine });
    const server = servers.find((s) => s.host === target.host && s.port === target.port);
    if (server && managed) return `--to-server ${server.name}`;
  }
  const configured = deps.config.tenantServerUrl ? parseDatabaseUrl(deps.config.tenantServerUrl) : null;
  if (
    managed &&
    !target.schema &&
    configured?.engine === target.engine &&
    configured.host === target.host &&
    configured.port === target.port
  )
    return `--to-engine ${target.engine}`;
  return `--database-url ${describeSpec(managed ? { ...target, database: '' } : target)}`;
}

/** `delete-old-database <slug>`: drops the database a finished move kept (only one Salesfleet created). */
export async function deleteOldDatabase(
  deps: MoveDeps,
  slug: string,
  options: { actor: string },
): Promise<{ database: string; dropped: boolean }> {
  const tenant = await deps.registry.getTenant(slug);
  const journal = await readJournal(deps, slug);
  if (journal?.state !== 'done') throw new Conflict(`Tenant "${slug}" keeps no old database from a finished move or restore`);
  const old = unseal(deps, tenant, journal.old);
  if (sameDatabase(old, deps.registry.databaseSpecOf(tenant)))
    throw new Conflict(`The kept database of "${slug}" is the one it uses; nothing dropped`);
  const run = await deps.operations.begin('delete-old-database', {
    actor: options.actor,
    tenantId: tenant.id,
    tenantSlug: slug,
    details: { database: describeSpec(old) },
    secrets: [old.password],
  });
  try {
    const dropped = await dropOldDatabase(deps, tenant, journal);
    await run.succeed({ dropped });
    return { database: describeSpec(old), dropped };
  } catch (err) {
    await run.fail(err);
    throw err;
  }
}

async function dropOldDatabase(deps: DataSafetyDeps, tenant: TenantRecord, journal: MoveJournal): Promise<boolean> {
  const old = unseal(deps, tenant, journal.old);
  if (journal.oldManaged) await driverFor(old.engine).drop(old, await serverDriverContext(deps, old));
  await rm(journalPath(deps, journal.slug), { force: true });
  return journal.oldManaged;
}

/** Finishes a killed move whose switch was recorded in the registry, or undoes one whose switch was not. */
export async function recover(
  deps: MoveDeps,
  tenant: TenantRecord,
  journal: MoveJournal,
  ctx: DriverContext,
  run: OperationRun,
): Promise<'finished' | 'rolled-back'> {
  const current = deps.registry.databaseSpecOf(tenant);
  const target = journal.target ? unseal(deps, tenant, journal.target) : null;
  if (target && sameDatabase(current, target)) {
    if (tenant.status === 'maintenance') await deps.registry.updateTenant(tenant.id, { status: journal.previousStatus });
    journal.state = 'done';
    await writeJournal(deps, journal);
    await run.note('recover', 'succeeded', { outcome: 'finished', database: describeSpec(current) });
    return 'finished';
  }
  await rollBack(deps, journal, ctx, run);
  return 'rolled-back';
}

/** Back on the old database with the previous status; drops the target if this move created it. */
export async function rollBack(deps: MoveDeps, journal: MoveJournal, ctx: DriverContext, run: OperationRun): Promise<void> {
  const tenant = await deps.registry.getTenant(journal.slug);
  const old = unseal(deps, tenant, journal.old);
  if (!sameDatabase(deps.registry.databaseSpecOf(tenant), old))
    throw new Error('the registry points at neither database of the move; fix it by hand');
  if (journal.target) {
    const target = unseal(deps, tenant, journal.target);
    const targetCtx = { ...ctx, ...(await serverDriverContext(deps, target)) };
    // A killed run may have created the target after its journal was written: a managed target that
    // exists is ours (targets are chosen among names that did not exist).
    const ours =
      journal.targetCreated ||
      (journal.target.managed &&
        (await driverFor(target.engine)
          .exists(target, targetCtx)
          .catch(() => false)));
    if (ours && !sameDatabase(target, old)) await driverFor(target.engine).drop(target, targetCtx);
  }
  if (tenant.status === 'maintenance') await deps.registry.updateTenant(tenant.id, { status: journal.previousStatus });
  await rm(journalPath(deps, journal.slug), { force: true });
  await run.note('roll_back', 'succeeded', { database: describeSpec(old) });
}

/** A registered server a tenant may move onto: open, with room for one more. */
async function serverWithRoom(deps: DataSafetyDeps, name: string): Promise<TenantServerRecord> {
  const server = await deps.registry.servers.get(name);
  if (server.state !== 'open') throw new Conflict(`Tenant server "${server.name}" is ${server.state}; it takes no tenants`);
  if (server.tenantCount >= server.capacity) {
    throw new Conflict(`Tenant server "${server.name}" is at its capacity (${server.tenantCount} of ${server.capacity} tenants)`);
  }
  return server;
}

/** The target: the managed place of `to`, with a suffix when that name is taken (e.g. a kept old database). */
async function chooseTarget(
  deps: DataSafetyDeps,
  slug: string,
  to: DatabaseParams,
  old: DatabaseSpec,
  ctx: DriverContext,
): Promise<TargetDatabase> {
  if (!to.engine && !to.url)
    throw new ValidationFailed('Say where to move: an engine or a database URL', [
      { path: 'to', message: 'give --to-engine or --database-url' },
    ]);
  const plain = targetDatabase(deps.config, slug, to);
  if (!plain.managed) {
    if (sameDatabase(plain.spec, old))
      throw new ValidationFailed('The target is the database the tenant already uses', [{ path: 'to', message: 'same database' }]);
    return plain;
  }
  if (
    !sameDatabase(plain.spec, old) &&
    !(await driverFor(plain.spec.engine).exists(plain.spec, { ...ctx, ...(await serverDriverContext(deps, plain.spec)) }))
  )
    return plain;
  // Lower case: server database names we create are [a-z0-9_] (the stamp's `T` was refused).
  const suffix = (plain.spec.engine === 'sqlite' ? `-m${stamp().slice(0, 15)}` : `_m${stamp().slice(0, 15)}`).toLowerCase();
  return targetDatabase(deps.config, slug, to, suffix);
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:.]/g, '');
}

/**
 * Waits until no other session works in the old database (PostgreSQL: pg_stat_activity, MySQL:
 * PROCESSLIST; SQLite shows no sessions), at most `timeoutMs`. Whatever still writes after that is
 * caught by the verification (the old database must still match the copy).
 */
async function waitForQuiet(spec: DatabaseSpec, ctx: DriverContext, timeoutMs: number): Promise<void> {
  // A schema's shared database is busy with the other schemas' sessions, which say nothing of this one.
  if (spec.engine === 'sqlite' || spec.schema) return;
  const sequelize = openSequelize(spec, { dataDir: ctx.dataDir, connectTimeoutMs: ctx.connectTimeoutMs, poolMax: 1 });
  const sql =
    spec.engine === 'postgres'
      ? "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'"
      : "SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID() AND COMMAND <> 'Sleep'";
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await sequelize.query<{ n: number | string }>(sql, { type: QueryTypes.SELECT });
      if (Number(rows[0]?.n ?? 0) === 0 || Date.now() >= deadline) return;
      await sleep(100);
    }
  } finally {
    await closeSequelize(sequelize);
  }
}

/**
 * A connection held open on a SQLite source from before its fingerprint until the verification: the
 * last connection to close checkpoints the WAL into the file, which would change the fingerprint
 * without any write (the copy's own connection, or the tenant's handle closed by the drain, can be
 * that last one) and cost a full re-read. Its first read opens the WAL, so the fingerprint taken
 * after it sees the files as they stay while only readers come and go. Null for other engines.
 */
async function holdSqlite(spec: DatabaseSpec, ctx: DriverContext): Promise<Sequelize | null> {
  if (spec.engine !== 'sqlite') return null;
  const sequelize = openSequelize(spec, { dataDir: ctx.dataDir, connectTimeoutMs: ctx.connectTimeoutMs, poolMax: 1, poolMin: 1 });
  try {
    await sequelize.query('SELECT count(*) AS n FROM sqlite_master', { type: QueryTypes.SELECT });
    return sequelize;
  } catch (err) {
    await closeSequelize(sequelize);
    throw err;
  }
}

/**
 * Size and modification time (ns) of a SQLite database file and of its WAL: every write changes one of
 * them (a write appends to the WAL or, at a checkpoint or without WAL, rewrites pages of the file),
 * while reads leave both alone. Null for other engines.
 */
async function sqliteFingerprint(spec: DatabaseSpec, ctx: DriverContext): Promise<string | null> {
  if (spec.engine !== 'sqlite') return null;
  const path = resolveSqlitePath(ctx.dataDir, spec.database);
  const parts: string[] = [];
  for (const file of [path, `${path}-wal`]) {
    const info = await stat(file, { bigint: true }).catch(() => null);
    // Not the WAL's change time: SQLite running as root chowns the WAL each time a connection opens it.
    parts.push(info ? `${info.size}:${info.mtimeNs}${file === path ? `:${info.ctimeNs}` : ''}` : 'absent');
  }
  return parts.join('|');
}

/** The old database still holds exactly what was copied (no write slipped in during the move). */
async function checkUnchanged(
  deps: DataSafetyDeps,
  spec: DatabaseSpec,
  copied: readonly { name: string; rows: number; sha256: string }[],
): Promise<void> {
  const sequelize = openSequelize(spec, {
    dataDir: deps.config.dataDir,
    connectTimeoutMs: deps.config.dbConnectTimeoutMs,
    poolMax: 1,
    tenant: true,
  });
  try {
    await withSnapshot(sequelize, async ({ transaction, tables }) => {
      for (const want of copied) {
        const table = tables.find((t) => t.name === want.name);
        if (!table) throw new Error(`table ${want.name} vanished from the old database during the move`);
        const digest = new TableDigest();
        for await (const page of readRows(sequelize, table, transaction)) for (const row of page) digest.add(row);
        if (digest.rows !== want.rows || digest.digest() !== want.sha256) {
          throw new Conflict(
            `table ${want.name} of the old database changed during the move (a write got through); nothing was switched — run the move again`,
          );
        }
      }
    });
  } finally {
    await closeSequelize(sequelize);
  }
}
