import { performance } from 'node:perf_hooks';
import type { Sequelize } from 'sequelize';
import {
  countActiveUsers,
  DEFAULT_LOCATION,
  defineTenantModels,
  hashPassword,
  oneTimePassword,
  seedDemoData,
  seedTenant,
  type TenantModels,
} from '@salesfleet/models';
import { migrateDown, migrateUp, migrationNames, migrationStatus } from '@salesfleet/migrations';
import {
  assertSafeIdentifier,
  DEFAULT_PORTS,
  DEFAULT_SCHEMA_DATABASE,
  isSchemaEngine,
  managedSchemaName,
  MIGRATIONS_TABLE,
  closeSequelize,
  describeSpec,
  driverFor,
  managedDatabaseName,
  openSequelize,
  parseDatabaseUrl,
  sameDatabase,
  specFromParams,
  sqliteTenantPath,
  type DatabaseInspection,
  type DatabaseParams,
  type DatabaseSpec,
  type DriverContext,
} from '../drivers/index';
import { childLogger, type Logger } from '../logger';
import { redact } from '../mask';
import type { OperationRun } from '../operations';
import type { TenantRecord } from '../registry/records';
import { PLACEMENT_LOCK, type TenantServerRecord } from '../registry/tenant-servers';
import { databaseSize } from './tenant-health';
import { driverContext, parseDate, sequelizeOptions, serverContextFor, unreachableMessage, type ProvisioningContext } from './context';
import { creatorGone, keepLease, leaseUntil, newProvisioningOwner } from './lease';
import type { CreatedTenant, CreateTenantInput, CreateTenantOptions, DryRunCheck, DryRunResult, ProvisionStep } from './types';
import {
  Conflict,
  DatabaseExists,
  DatabaseNotEmpty,
  EMAIL_MESSAGE,
  isEmail,
  isSalesfleetError,
  isUsername,
  LimitReached,
  normalizeEmail,
  type ServerEngine,
  ProvisioningFailed,
  SlugTaken,
  USERNAME_MESSAGE,
  validatePasswordStrength,
  validateSlug,
  ValidationFailed,
} from '@salesfleet/contracts';

/** Errors whose code already tells the caller what to do; they are rethrown as they are. */
const PASS_THROUGH = new Set([
  'ValidationFailed',
  'SlugTaken',
  'LimitReached',
  'DatabaseUnreachable',
  'DatabaseNotEmpty',
  'DatabaseExists',
  'Conflict',
]);

interface ResolvedDatabase {
  spec: DatabaseSpec;
  /** `managed`: must not exist yet, created by us. `explicit`: may exist (must then be empty). */
  origin: 'managed' | 'explicit';
  maintenanceDatabase: string | null;
  /** The registered tenant server chosen for it (placement), or null. */
  server: TenantServerRecord | null;
}

interface ValidatedInput {
  slug: string;
  name: string;
  adminEmail: string;
  adminUsername: string;
  adminPassword: string | null;
  maxUsers: number;
  multiLocation: boolean;
  trialEndsAt: Date | null;
  paidUntil: Date | null;
  demoData: boolean;
  database: ResolvedDatabase;
}

/** What the steps of one creation know so far; each step reads it and records what it made. */
interface Creation {
  readonly input: ValidatedInput;
  readonly run: OperationRun;
  /** The admin's password hash (and the one-time password when generated), computed in the background. */
  readonly credentials: Promise<{ password: string | null; hash: string }>;
  /** This run's `host:pid:token`, written on the row with a lease while it works. */
  readonly owner: string;
  /** The registry row once this creation owns it. */
  tenant: TenantRecord | null;
  /** Stops renewing the lease (set once the row is ours). */
  stopLease: (() => void) | null;
  /** The database is left over from an earlier failed attempt of this same tenant (may hold our tables). */
  ownDatabase: boolean;
  /** This creation made the database (its undo drops it). */
  createdDatabase: boolean;
  /** Migrations were started on a database we did not create (its undo reverts them). */
  migratedExisting: boolean;
  sequelize: Sequelize | null;
  models: TenantModels | null;
  schemaVersion: string | null;
  oneTimePassword: string | null;
}

/** One step of the pipeline: `run` does it, `undo` (walked in reverse on failure) takes it back. */
interface CreationStep {
  name: ProvisionStep;
  run: (c: Creation) => Promise<void>;
  /** Returns false when there was nothing to take back (nothing is recorded then). */
  undo?: (c: Creation) => Promise<boolean>;
}

class InjectedFailure extends Error {
  constructor(step: string) {
    super(`injected failure at step ${step} (test hook)`);
  }
}

/** The steps of creating `input`, in order (DESIGN.md's pipeline). */
function creationSteps(ctx: ProvisioningContext, input: ValidatedInput): CreationStep[] {
  const { spec } = input.database;
  const steps: (CreationStep | false)[] = [
    { name: 'validate', run: () => checkTenantLimit(ctx) },
    {
      name: 'register',
      run: (c) => register(ctx, c),
      undo: async (c) => {
        if (!c.tenant) return false;
        await ctx.registry.deleteTenant(c.tenant.id);
        return true;
      },
    },
    {
      name: 'create_database',
      run: async (c) => {
        c.createdDatabase = await createDatabase(ctx, c);
      },
      undo: async (c) => {
        if (!c.createdDatabase) return false;
        await driverFor(spec.engine).drop(spec, dbContext(ctx, input.database));
        return true;
      },
    },
    {
      name: 'migrate',
      run: async (c) => {
        // A database we did not create is cleaned by reverting what we applied.
        c.migratedExisting = !c.createdDatabase;
        c.sequelize = openSequelize(spec, sequelizeOptions(ctx, { poolMax: 2 }));
        // A clone of the template has nothing pending: one SELECT instead of Umzug's bookkeeping.
        const { pending } = await migrationStatus(c.sequelize, 'tenant');
        if (pending.length > 0) await migrateUp(c.sequelize, 'tenant');
        c.schemaVersion = migrationNames('tenant').at(-1) ?? null;
        c.models = defineTenantModels(c.sequelize);
      },
      undo: async (c) => {
        if (!c.migratedExisting) return false;
        await revertAll(ctx, spec);
        return true;
      },
    },
    {
      name: 'seed',
      run: async (c) => {
        const { password, hash } = await c.credentials;
        c.oneTimePassword = password;
        await seedTenant(c.models!, {
          admin: { username: input.adminUsername, email: input.adminEmail, passwordHash: hash, mustChangePassword: password !== null },
          location: { code: DEFAULT_LOCATION.code, name: DEFAULT_LOCATION.name },
          companyName: input.name,
        });
      },
    },
    input.demoData && { name: 'demo_data', run: async (c) => void (await seedDemoData(c.models!, { locations: input.multiLocation })) },
    {
      name: 'activate',
      run: async (c) => {
        // The tenants list shows users and health from the registry: measure them while the database is open.
        const userCount = await countActiveUsers(c.models!);
        const t0 = performance.now();
        await c.sequelize!.query('SELECT 1');
        const latencyMs = Math.round((performance.now() - t0) * 100) / 100;
        const sizeBytes = await databaseSize(c.sequelize!, spec, driverContext(ctx));
        await closeSequelize(c.sequelize);
        c.sequelize = null;
        await ctx.registry.recordHealth(c.tenant!.id, {
          reachable: true,
          latencyMs,
          sizeBytes,
          error: null,
          checkedAt: new Date(),
          userCount,
          schemaVersion: c.schemaVersion,
        });
        c.tenant = await ctx.registry.updateTenant(c.tenant!.id, {
          status: 'active',
          schemaVersion: c.schemaVersion,
          userCount,
          provisioning: null,
        });
      },
    },
  ];
  return steps.filter((s): s is CreationStep => s !== false);
}

export function createTenant(
  ctx: ProvisioningContext,
  input: CreateTenantInput,
  options: CreateTenantOptions,
): Promise<CreatedTenant | DryRunResult> {
  return options.dryRun ? dryRun(ctx, input) : create(ctx, input, options);
}

async function create(ctx: ProvisioningContext, input: CreateTenantInput, options: CreateTenantOptions): Promise<CreatedTenant> {
  const started = performance.now();
  const v = await validate(ctx, input);
  // Placement: the server is chosen again under the lock, which is held until the row (that counts
  // against the server) is inserted, so concurrent creations never overfill a server.
  let releasePlacement: (() => Promise<void>) | null = null;
  if (v.database.server) {
    releasePlacement = await ctx.registry.locks.acquire(PLACEMENT_LOCK, { busy: 'placing a tenant on a server' });
    try {
      const placed = await placeOnServer(ctx, v.database.server.engine, v.slug, input.database?.name);
      if (!placed) throw new Conflict(`The ${v.database.server.engine} tenant servers changed meanwhile; retry`);
      v.database = placed;
    } catch (err) {
      await releasePlacement();
      throw err;
    }
  }
  try {
    return await createPlaced(ctx, v, options, started, async () => {
      await releasePlacement?.();
      releasePlacement = null;
    });
  } finally {
    await releasePlacement?.();
  }
}

async function createPlaced(
  ctx: ProvisioningContext,
  v: ValidatedInput,
  options: CreateTenantOptions,
  started: number,
  registered: () => Promise<void>,
): Promise<CreatedTenant> {
  // Hash while the database is created and migrated (the hash runs on the password pool's workers).
  const credentials = v.adminPassword
    ? hashPassword(v.adminPassword).then((hash) => ({ password: null as string | null, hash }))
    : oneTimePassword().then(({ password, hash }) => ({ password: password as string | null, hash }));
  // Awaited by the seed step; a creation that fails earlier never reads it.
  credentials.catch(() => undefined);

  const run = await ctx.operations.begin('create-tenant', {
    actor: options.actor,
    tenantSlug: v.slug,
    details: {
      name: v.name,
      adminEmail: v.adminEmail,
      adminUsername: v.adminUsername,
      adminPassword: v.adminPassword ? 'given' : 'generated',
      database: describeSpec(v.database.spec),
      databaseOrigin: v.database.origin,
      server: v.database.server?.name ?? null,
      maxUsers: v.maxUsers,
      multiLocation: v.multiLocation,
      trialEndsAt: v.trialEndsAt,
      paidUntil: v.paidUntil,
      demoData: v.demoData,
    },
    secrets: [v.adminPassword, v.database.spec.password],
  });

  const c: Creation = {
    input: v,
    run,
    credentials,
    owner: newProvisioningOwner(),
    tenant: null,
    stopLease: null,
    ownDatabase: false,
    createdDatabase: false,
    migratedExisting: false,
    sequelize: null,
    models: null,
    schemaVersion: null,
    oneTimePassword: null,
  };
  const begun: CreationStep[] = [];
  const timings: CreatedTenant['steps'] = [];
  try {
    for (const step of creationSteps(ctx, v)) {
      begun.push(step);
      options.onStep?.(step.name);
      const t0 = performance.now();
      await run.step(step.name, async () => {
        await step.run(c);
        if (ctx.hooks.failAt === step.name) throw new InjectedFailure(step.name);
      });
      timings.push({ step: step.name, durationMs: Math.round(performance.now() - t0) });
      if (step.name === 'register') await registered();
    }
  } catch (err) {
    c.stopLease?.();
    const failedStep = begun.at(-1)?.name ?? 'validate';
    const log = childLogger(ctx.logger, { tenant: v.slug, runId: run.runId, step: failedStep });
    await ctx.hooks.beforeCompensation?.();
    await closeSequelize(c.sequelize);
    if (c.tenant) {
      await ctx.connections
        .evict(c.tenant.id, { graceMs: 2000 })
        .catch((evictErr: unknown) => log.warn({ err: run.describeError(evictErr) }, 'tenant handle not closed before cleanup'));
    }
    const cleanup = await compensate(begun, c, log);
    if (cleanup === 'incomplete' && c.tenant) {
      try {
        await ctx.registry.updateTenant(c.tenant.id, { status: 'failed', provisioning: null });
      } catch (markErr) {
        // The row stays `provisioning`: check-tenants reports it and a retry of create-tenant takes it over.
        log.error({ err: run.describeError(markErr) }, 'failed tenant could not be marked failed; it stays in provisioning');
      }
    }
    log.warn({ err: run.describeError(err), cleanup }, 'tenant creation failed');
    if (begun.some((step) => step.name === 'create_database')) replenishSpares(ctx, v);
    await run.fail(err, { step: failedStep, cleanup });
    throw provisioningError(err, v.slug, failedStep, cleanup, run);
  }

  c.stopLease?.();
  replenishSpares(ctx, v);
  const durationMs = Math.round(performance.now() - started);
  await run.succeed({ durationMs });
  return {
    tenant: c.tenant!,
    admin: { username: v.adminUsername, email: v.adminEmail, ...(c.oneTimePassword ? { oneTimePassword: c.oneTimePassword } : {}) },
    url: ctx.tenantUrl(v.slug),
    database: describeSpec(v.database.spec),
    durationMs,
    steps: timings,
  };
}

/**
 * A schema tenant's creation took a spare schema, or found none: the next is made in the background
 * once this creation is done (not during its later steps, which it would slow down).
 */
function replenishSpares(ctx: ProvisioningContext, v: ValidatedInput): void {
  const { spec, origin } = v.database;
  if (spec.schema && origin === 'managed') ctx.spares?.replenish(spec, dbContext(ctx, v.database));
}

/** Walks the started steps backwards, undoing each; `incomplete` when an undo failed. */
async function compensate(started: CreationStep[], c: Creation, log: Logger): Promise<'complete' | 'incomplete'> {
  let complete = true;
  for (const step of [...started].reverse()) {
    if (!step.undo) continue;
    const undo = step.undo;
    const t0 = performance.now();
    try {
      if (await undo(c)) await c.run.note(`undo_${step.name}`, 'succeeded', { durationMs: Math.round(performance.now() - t0) });
    } catch (err) {
      complete = false;
      log.error({ err: c.run.describeError(err), undo: step.name }, 'tenant creation could not be undone');
      await c.run.note(`undo_${step.name}`, 'failed', {}, err);
    }
  }
  return complete ? 'complete' : 'incomplete';
}

/** Inserts the `provisioning` row, or claims the row of an earlier attempt that failed or crashed. */
async function register(ctx: ProvisioningContext, c: Creation): Promise<void> {
  const v = c.input;
  const values = {
    slug: v.slug,
    name: v.name,
    adminEmail: v.adminEmail,
    status: 'provisioning' as const,
    maxUsers: v.maxUsers,
    multiLocation: v.multiLocation,
    trialEndsAt: v.trialEndsAt,
    paidUntil: v.paidUntil,
    db: {
      engine: v.database.spec.engine,
      host: v.database.spec.host,
      port: v.database.spec.port,
      name: v.database.spec.database,
      schema: v.database.spec.schema ?? null,
      user: v.database.spec.user,
      passwordEncrypted: v.database.spec.password ? ctx.registry.sealPassword(v.database.spec.password) : null,
      // Set just before we create it (see createDatabase): never for a database we did not make.
      managed: false,
    },
    serverId: v.database.server?.id ?? null,
    provisioning: { owner: c.owner, leaseUntil: leaseUntil() },
  };
  let tenant: TenantRecord;
  try {
    tenant = await ctx.registry.insertTenant(values);
  } catch (err) {
    if (!(err instanceof SlugTaken)) throw err;
    const existing = await ctx.registry.findTenant(v.slug);
    if (!existing) throw err;
    // A failed attempt, or one whose creator crashed (lease run out, or its process gone from this host).
    const abandoned = existing.status === 'failed' || creatorGone(existing);
    if (!abandoned) {
      throw existing.status === 'provisioning' ? new SlugTaken(v.slug, 'is being set up right now') : err;
    }
    // Claim the leftover row (optimistic: of two retries, one wins), then clean up after it.
    try {
      tenant = await ctx.registry.updateTenant(
        existing.id,
        { status: 'provisioning', provisioning: { owner: c.owner, leaseUntil: leaseUntil() } },
        { expectedVersion: existing.version },
      );
    } catch (claimErr) {
      if (claimErr instanceof Conflict) throw new SlugTaken(v.slug, 'is being set up right now');
      throw claimErr;
    }
    c.stopLease = keepLease(ctx.registry, existing.id, c.owner, ctx.logger);
    const old = ctx.registry.databaseSpecOf(existing);
    await c.run.note('claim_failed_attempt', 'succeeded', {
      previousStatus: existing.status,
      previousOwner: existing.provisioning?.owner ?? null,
      database: describeSpec(old),
    });
    if (existing.db.managed) {
      await ctx.connections.evict(existing.id, { graceMs: 2000 });
      await driverFor(old.engine).drop(old, await serverContextFor(ctx, old));
      await c.run.note('drop_leftover_database', 'succeeded', { database: describeSpec(old) });
    } else {
      c.ownDatabase = sameDatabase(old, v.database.spec);
    }
    // The row is ours and its leftovers are gone: a failure from here on removes it.
    c.tenant = tenant;
    const { status: _status, slug: _slug, provisioning: _lease, ...rest } = values;
    tenant = await ctx.registry.updateTenant(existing.id, { ...rest, suspendedReason: null, schemaVersion: null });
  }
  c.tenant = tenant;
  c.stopLease ??= keepLease(ctx.registry, tenant.id, c.owner, ctx.logger);
  c.run.setTenant(tenant.id, tenant.slug);
  // The count check before inserting races with concurrent creates; this one settles it.
  const max = ctx.config.maxTenants;
  if (max !== null && (await ctx.registry.countTenants()) > max) {
    throw new LimitReached(`The platform allows at most ${max} tenants`, { maxTenants: max });
  }
}

/**
 * Creates (or verifies) the tenant database; true when this call created it. Before creating, the row
 * is marked `managed` (the database is ours to drop): a process killed right after CREATE DATABASE
 * leaves a row that says so, and the retry drops the leftover instead of failing on it for ever.
 */
async function createDatabase(ctx: ProvisioningContext, c: Creation): Promise<boolean> {
  const v = c.input;
  const { spec, origin } = v.database;
  const driver = driverFor(spec.engine);
  const dctx = dbContext(ctx, v.database);
  const inspection = await driver.inspect(spec, dctx);
  if (inspection.exists) {
    if (origin === 'managed') throw new DatabaseExists(describeSpec(spec));
    if (!isEmptyDatabase(inspection) && !c.ownDatabase) throw new DatabaseNotEmpty(describeSpec(spec), inspection.tables);
    return false;
  }
  c.tenant = await ctx.registry.updateTenant(c.tenant!.id, { db: { managed: true } });
  try {
    // A schema tenant or a MySQL database: the recorded template, run as one script where it is created.
    const script = origin === 'managed' && ctx.templates ? await ctx.templates.scriptFor(spec, dctx) : null;
    if (script) {
      // A schema tenant: a spare schema at this migration version when one is free (renamed), else the script.
      const spare = spec.schema ? ctx.spares?.prefix() : null;
      try {
        await driver.create(spec, dctx, { script, ...(spare ? { spare } : {}) });
        return true;
      } catch (err) {
        // A failed script leaves nothing behind (a transaction; MySQL: the driver drops the database).
        if (isSalesfleetError(err) && err.code === 'DatabaseExists') throw err;
        ctx.logger.warn(
          { err: c.run.describeError(err), tenant: v.slug },
          'creating the database from its template script failed; migrating it',
        );
      }
    }
    const template = origin === 'managed' && ctx.templates ? await ctx.templates.templateFor(spec, dctx) : null;
    if (template) {
      try {
        await driver.create(spec, dctx, { template });
        return true;
      } catch (err) {
        // A template that vanished or is busy: create an empty database and migrate it instead.
        if (isSalesfleetError(err) && err.code === 'DatabaseExists') throw err;
        ctx.logger.warn({ err: c.run.describeError(err), tenant: v.slug }, 'cloning the template failed; creating an empty database');
      }
    }
    await driver.create(spec, dctx);
    return true;
  } catch (err) {
    // Someone else created it between our look and CREATE: not ours, never to be dropped by a retry.
    if (isSalesfleetError(err) && err.code === 'DatabaseExists') {
      c.tenant = await ctx.registry.updateTenant(c.tenant!.id, { db: { managed: false } });
    }
    throw err;
  }
}

async function revertAll(ctx: ProvisioningContext, spec: DatabaseSpec): Promise<void> {
  const sequelize = openSequelize(spec, sequelizeOptions(ctx, { poolMax: 1 }));
  try {
    for (let i = 0; i < 1000; i++) {
      const { applied } = await migrationStatus(sequelize, 'tenant');
      if (applied.length === 0) return;
      const { reverted } = await migrateDown(sequelize, 'tenant');
      if (reverted.length === 0) throw new Error('migrations could not be reverted');
    }
  } finally {
    await closeSequelize(sequelize);
  }
}

function provisioningError(err: unknown, slug: string, step: ProvisionStep, cleanup: string, run: OperationRun): Error {
  if (isSalesfleetError(err) && PASS_THROUGH.has(err.code)) return err;
  const suffix =
    cleanup === 'complete'
      ? 'everything it created was removed'
      : 'cleanup was incomplete; the tenant is marked failed and a retry cleans up';
  return new ProvisioningFailed(slug, step, `${run.describeError(err)} (${suffix})`, { cleanup }, { cause: err });
}

/** Empty: no tables, or only an empty migrations table (left behind by reverting every migration). */
export function isEmptyDatabase(inspection: DatabaseInspection): boolean {
  if (inspection.tables.length === 0) return true;
  return inspection.tables.length === 1 && inspection.tables[0] === MIGRATIONS_TABLE && (inspection.migrationRows ?? 0) === 0;
}

async function validate(ctx: ProvisioningContext, input: CreateTenantInput): Promise<ValidatedInput> {
  const slug = validateSlug(input.subdomain);
  const problems: { path: string; message: string }[] = [];
  const { name, adminEmail, maxUsers, trialEndsAt, paidUntil } = validateTenantFields(input, problems);
  const adminUsername = (input.adminUsername ?? 'admin').trim();
  if (!isUsername(adminUsername)) problems.push({ path: 'adminUsername', message: USERNAME_MESSAGE });
  let adminPassword: string | null = null;
  if (input.adminPassword !== undefined && input.adminPassword !== null && input.adminPassword !== '') {
    adminPassword = input.adminPassword;
    for (const message of validatePasswordStrength(adminPassword, { username: adminUsername, email: adminEmail })) {
      problems.push({ path: 'adminPassword', message });
    }
  }
  let database: ResolvedDatabase | null = null;
  try {
    database = await resolveDatabase(ctx, input.database, slug);
  } catch (err) {
    if (err instanceof ValidationFailed)
      problems.push(...((err.details as { path: string; message: string }[]) ?? [{ path: 'database', message: err.message }]));
    else throw err;
  }
  if (problems.length > 0 || !database) {
    throw new ValidationFailed(`Invalid tenant: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);
  }
  return {
    slug,
    name,
    adminEmail,
    adminUsername,
    adminPassword,
    maxUsers,
    multiLocation: input.multiLocation === true,
    trialEndsAt,
    paidUntil,
    demoData: input.demoData === true,
    database,
  };
}

export interface TenantFields {
  name: string;
  adminEmail: string;
  maxUsers: number;
  trialEndsAt: Date | null;
  paidUntil: Date | null;
}

/** The registry fields every new tenant has (created or adopted), checked; problems are added to `problems`. */
export function validateTenantFields(
  input: Pick<CreateTenantInput, 'name' | 'adminEmail' | 'maxUsers' | 'trialDays' | 'paidUntil'>,
  problems: { path: string; message: string }[],
): TenantFields {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name.length === 0 || name.length > 200) problems.push({ path: 'name', message: 'must be 1–200 characters' });
  const adminEmail = typeof input.adminEmail === 'string' ? normalizeEmail(input.adminEmail) : '';
  if (!isEmail(adminEmail)) problems.push({ path: 'adminEmail', message: EMAIL_MESSAGE });
  const maxUsers = input.maxUsers ?? 50;
  if (!Number.isInteger(maxUsers) || maxUsers < 1 || maxUsers > 1_000_000)
    problems.push({ path: 'maxUsers', message: 'must be a whole number from 1' });
  let trialEndsAt: Date | null = null;
  if (input.trialDays !== undefined && input.trialDays !== null) {
    if (!Number.isInteger(input.trialDays) || input.trialDays < 0 || input.trialDays > 3650) {
      problems.push({ path: 'trialDays', message: 'must be a whole number of days (0–3650)' });
    } else {
      trialEndsAt = new Date(Date.now() + input.trialDays * 86_400_000);
    }
  }
  const paidUntil = parseDate(input.paidUntil, 'paidUntil', problems);
  return { name, adminEmail, maxUsers, trialEndsAt, paidUntil };
}

/**
 * The least-loaded open registered server of `engine` as this tenant's database (`sales_<slug>`, or
 * `name` when given); null when no server of that engine is registered. Full servers: LimitReached.
 */
async function placeOnServer(
  ctx: ProvisioningContext,
  engine: ServerEngine,
  slug: string,
  name: string | undefined,
): Promise<ResolvedDatabase | null> {
  const server = await ctx.registry.servers.choose(engine);
  if (!server) return null;
  const s = await ctx.registry.servers.specOf(server);
  return {
    spec: { ...s, database: name || managedDatabaseName(slug) },
    origin: name ? 'explicit' : 'managed',
    maintenanceDatabase: s.database || null,
    server,
  };
}

async function resolveDatabase(ctx: ProvisioningContext, params: DatabaseParams | undefined, slug: string): Promise<ResolvedDatabase> {
  const server = ctx.config.tenantServerUrl ? parseDatabaseUrl(ctx.config.tenantServerUrl) : null;
  const managedOnServer = (s: DatabaseSpec, name?: string): ResolvedDatabase => ({
    spec: { ...s, database: name || managedDatabaseName(slug) },
    origin: name ? 'explicit' : 'managed',
    maintenanceDatabase: s.database || null,
    server: null,
  });
  const sqlite = (): ResolvedDatabase => ({
    spec: { engine: 'sqlite', database: sqliteTenantPath(slug), host: null, port: null, user: null, password: null },
    origin: 'managed',
    maintenanceDatabase: null,
    server: null,
  });
  const given = params && Object.values(params).some((x) => x !== undefined && x !== null && x !== '');
  if (!given) {
    // The default engine (the configured server's, else SQLite) goes to its registered servers when it has any.
    const placed = server && server.engine !== 'sqlite' ? await placeOnServer(ctx, server.engine, slug, undefined) : null;
    return placed ?? (server ? managedOnServer(server) : sqlite());
  }
  if (isSchemaEngine(params!.engine) || params!.schema || (params!.url && parseDatabaseUrl(params!.url).schema)) {
    return resolveSchema(params!, slug, server);
  }

  const spec = specFromParams(params);
  if (spec.engine === 'sqlite') {
    if (spec.database && spec.database.replace(/^\.\//, '') !== sqliteTenantPath(slug)) {
      throw new ValidationFailed('SQLite tenant databases are always managed', [
        { path: 'database', message: `a SQLite tenant lives in <data dir>/${sqliteTenantPath(slug)}; give no path` },
      ]);
    }
    return sqlite();
  }
  // `--database-engine postgres` alone: the least-loaded registered server of that engine, else the configured one.
  if (!params!.url && !params!.host && !params!.port && !params!.user && !params!.password) {
    const placed = await placeOnServer(ctx, spec.engine, slug, params!.name);
    if (placed) return placed;
    if (server && server.engine === spec.engine) return managedOnServer(server, params!.name);
    if (!server) {
      throw new ValidationFailed(`No ${spec.engine} server to create the database on`, [
        { path: 'database', message: 'give --database-url / host, register a tenant server, or set SALESFLEET_TENANT_SERVER_URL' },
      ]);
    }
    throw new ValidationFailed(`The tenant server is ${server.engine}, not ${spec.engine}`, [
      { path: 'database.engine', message: `SALESFLEET_TENANT_SERVER_URL is a ${server.engine} server; give a ${spec.engine} URL or host` },
    ]);
  }
  if (!spec.host) spec.host = '127.0.0.1';
  if (!spec.port) spec.port = DEFAULT_PORTS[spec.engine];
  if (!spec.database)
    return { spec: { ...spec, database: managedDatabaseName(slug) }, origin: 'managed', maintenanceDatabase: null, server: null };
  return { spec, origin: 'explicit', maintenanceDatabase: null, server: null };
}

/**
 * The `postgres-schema` placement: the schema `t_<slug>` (or the one named, which may exist if empty)
 * in a shared database — the URL's, or `salesfleet_schemas` (or `--database-name`) on the URL's server
 * or the configured PostgreSQL tenant server.
 */
function resolveSchema(params: DatabaseParams, slug: string, server: DatabaseSpec | null): ResolvedDatabase {
  const direct = Boolean(params.url || params.host || params.port || params.user || params.password);
  let spec: DatabaseSpec;
  let maintenanceDatabase: string | null = null;
  if (direct) {
    spec = specFromParams({ ...params, engine: params.engine && !isSchemaEngine(params.engine) ? params.engine : 'postgres' });
    if (!spec.host) spec.host = '127.0.0.1';
    if (!spec.port) spec.port = DEFAULT_PORTS.postgres;
  } else if (server?.engine === 'postgres') {
    spec = { ...server, database: '' };
    maintenanceDatabase = server.database || null;
    if (params.schema) spec.schema = specFromParams({ engine: 'postgres', schema: params.schema }).schema ?? null;
  } else {
    throw new ValidationFailed('No PostgreSQL server for the schema', [
      { path: 'database', message: 'give --database-url postgres://…, or set SALESFLEET_TENANT_SERVER_URL to a PostgreSQL server' },
    ]);
  }
  if (spec.engine !== 'postgres') {
    throw new ValidationFailed('A schema tenant needs PostgreSQL', [
      { path: 'database.engine', message: 'postgres-schema is PostgreSQL only' },
    ]);
  }
  spec.database = assertSafeIdentifier(params.name || spec.database || DEFAULT_SCHEMA_DATABASE);
  const explicit = Boolean(spec.schema);
  spec.schema = spec.schema || managedSchemaName(slug);
  return { spec, origin: explicit ? 'explicit' : 'managed', maintenanceDatabase, server: null };
}

async function checkTenantLimit(ctx: ProvisioningContext): Promise<void> {
  const max = ctx.config.maxTenants;
  if (max === null) return;
  const count = await ctx.registry.countTenants();
  if (count >= max) throw new LimitReached(`The platform allows at most ${max} tenants (it has ${count})`, { maxTenants: max });
}

async function dryRun(ctx: ProvisioningContext, input: CreateTenantInput): Promise<DryRunResult> {
  const checks: DryRunCheck[] = [];
  const add = (name: string, ok: boolean, message: string) => checks.push({ name, ok, message });
  let v: ValidatedInput | null = null;
  try {
    v = await validate(ctx, input);
    add('input', true, 'name, subdomain, admin and limits are valid');
  } catch (err) {
    add('input', false, (err as Error).message);
  }
  try {
    const ms = await ctx.registry.ping();
    add('registry', true, `registry reachable (${ms.toFixed(1)} ms)`);
  } catch (err) {
    add('registry', false, `registry unreachable: ${redact((err as Error).message)}`);
  }
  if (v) {
    const existing = await ctx.registry.findTenant(v.slug);
    if (existing && existing.status !== 'failed') add('subdomain', false, `"${v.slug}" is already taken`);
    else add('subdomain', true, existing ? `"${v.slug}" is held by a failed attempt that will be cleaned up` : `"${v.slug}" is free`);
    try {
      await checkTenantLimit(ctx);
      add('tenant limit', true, ctx.config.maxTenants === null ? 'no platform limit' : `below the limit of ${ctx.config.maxTenants}`);
    } catch (err) {
      add('tenant limit', false, (err as Error).message);
    }
    const { spec, server } = v.database;
    if (server) add('tenant server', true, `goes to tenant server "${server.name}" (${server.tenantCount} of ${server.capacity} tenants)`);
    const where = describeSpec(spec);
    try {
      const inspection = await driverFor(spec.engine).inspect(spec, dbContext(ctx, v.database));
      if (spec.engine !== 'sqlite' && v.database.origin === 'managed') {
        const ms = await pingServer(ctx, v.database);
        add('database server', true, `${spec.engine} server reachable (${ms.toFixed(1)} ms)`);
      }
      if (v.database.origin === 'managed') {
        add('database', !inspection.exists, inspection.exists ? `${where} already exists` : `${where} will be created`);
      } else if (!inspection.exists) {
        add('database', true, `${where} does not exist and will be created`);
      } else {
        const ownOk = existing?.status === 'failed' && sameDatabase(ctx.registry.databaseSpecOf(existing), spec);
        const empty = isEmptyDatabase(inspection) || ownOk;
        add(
          'database',
          empty,
          empty ? `${where} is reachable and empty` : `${where} is not empty (${inspection.tables.slice(0, 5).join(', ')})`,
        );
      }
    } catch (err) {
      add('database', false, unreachableMessage(err, spec));
    }
  }
  return { dryRun: true, ok: checks.every((c) => c.ok), checks };
}

async function pingServer(ctx: ProvisioningContext, db: ResolvedDatabase): Promise<number> {
  const maintenance = { ...db.spec, database: db.maintenanceDatabase || (db.spec.engine === 'postgres' ? 'postgres' : '') };
  if (db.spec.engine === 'mysql') maintenance.database = db.maintenanceDatabase || 'mysql';
  return driverFor(db.spec.engine).ping(maintenance, driverContext(ctx));
}

function dbContext(ctx: ProvisioningContext, db: ResolvedDatabase): DriverContext {
  return { ...driverContext(ctx), maintenanceDatabase: db.maintenanceDatabase };
}
