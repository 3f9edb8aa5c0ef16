import { performance } from 'node:perf_hooks';
import type { Sequelize } from 'sequelize';
import {
  Conflict,
  DEFAULT_LOCATION,
  LimitReached,
  ValidationFailed,
  countActiveUsers,
  defineTenantModels,
  hashPassword,
  isSalesfleetError,
  oneTimePassword,
  seedDemoData,
  seedTenant,
  validatePasswordStrength,
  type TenantModels,
} from '@salesfleet/models';
import { migrateDown, migrateUp, migrationNames, migrationStatus, type MigrationDefinition } from '@salesfleet/migrations';
import type { Config } from './config';
import type { TenantConnections } from './connections';
import {
  DEFAULT_PORTS,
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
} from './drivers/index';
import { DatabaseNotEmpty, DatabaseUnreachable, ProvisioningFailed, SlugTaken, TenantNotFound } from './errors';
import { isIpHost } from './host';
import { redact } from './mask';
import { readServerMigrationStatus } from './migration-status';
import type { OperationRun, OperationsLog } from './operations';
import type { TenantRecord } from './registry/records';
import { normalizeDomain, type Registry, type TenantPatch } from './registry/registry';
import type { DomainRecord } from './registry/records';
import type { TenantStatus } from './registry/models';
import { validateSlug } from './slug';
import type { TemplateCache } from './templates';

/** The steps of `createTenant`, in order (DESIGN.md's pipeline). */
export const PROVISION_STEPS = ['validate', 'register', 'create_database', 'migrate', 'seed', 'demo_data', 'activate'] as const;
export type ProvisionStep = (typeof PROVISION_STEPS)[number];

/** What `createTenant` takes; the API's `CreateTenantInput` and the CLI's flags map onto it. */
export interface CreateTenantInput {
  name: string;
  /** The tenant's slug (DNS label). */
  subdomain: string;
  adminEmail: string;
  /** Default `admin`. */
  adminUsername?: string;
  /** Checked with `validatePasswordStrength`; when absent a one-time password is generated. */
  adminPassword?: string;
  /**
   * Absent: a managed database (SQLite file, or `sales_<slug>` on SALESFLEET_TENANT_SERVER_URL).
   * Engine only (`{ engine: 'postgres' }`): managed on the tenant server of that engine.
   * URL / host… without a name: managed `sales_<slug>` on that server. With a name: that database —
   * created when missing, used when empty, refused (DatabaseNotEmpty) when it holds tables.
   */
  database?: DatabaseParams;
  /** Default 50. */
  maxUsers?: number;
  multiLocation?: boolean;
  /** Trial length; sets `trialEndsAt` to now + days. */
  trialDays?: number;
  paidUntil?: Date | string | null;
  /** Also create demo locations, products with stock, customers and posted invoices. */
  demoData?: boolean;
}

export interface ActorOptions {
  /** Who asks: `cli:<os user>`, `admin:<username>`… (recorded in the operations log). */
  actor: string;
}

export interface CreateTenantOptions extends ActorOptions {
  dryRun?: boolean;
  /** Called as each step starts (progress output). */
  onStep?: (step: ProvisionStep) => void;
}

export interface CreatedTenant {
  tenant: TenantRecord;
  admin: { username: string; email: string /** Only when generated: shown once, never stored. */; oneTimePassword?: string };
  url: string;
  /** The database, password masked. */
  database: string;
  durationMs: number;
  steps: { step: ProvisionStep; durationMs: number }[];
}

export interface DryRunCheck {
  name: string;
  ok: boolean;
  message: string;
}

export interface DryRunResult {
  dryRun: true;
  ok: boolean;
  checks: DryRunCheck[];
}

export interface DeleteTenantOptions extends ActorOptions {
  /** Keep the database (or SQLite file). Databases Salesfleet did not create are always kept. */
  keepDatabase?: boolean;
}

export interface DeletedTenant {
  deleted: true;
  keptDatabase: boolean;
  database: string;
}

/** Per-tenant outcome of `migrateTenants` (the API's `MigrationResult`, plus `pending`/`skipped`). */
export interface MigrationResult {
  slug: string;
  ok: boolean;
  /** Applied now (empty for `check`/`dryRun`). */
  applied: string[];
  /** Still pending after the run (for `check`/`dryRun`: what would be applied). */
  pending: string[];
  schemaVersion: string | null;
  error?: string;
  /** Set when the tenant was not touched (e.g. status `provisioning` or `deleting`). */
  skipped?: string;
  durationMs: number;
}

export interface MigrateTenantsOptions extends ActorOptions {
  /** One tenant; default all. */
  slug?: string;
  /** Report pending migrations, change nothing. */
  check?: boolean;
  /** Same as check (the CLI distinguishes them only by exit code). */
  dryRun?: boolean;
  /** Tenants migrated at once; default 4. */
  concurrency?: number;
  /** Leave the registry's own migrations alone. */
  skipRegistry?: boolean;
  onProgress?: (done: number, total: number, result: MigrationResult) => void;
}

export interface FleetMigrationResult {
  registry: { applied: string[]; pending: string[]; ok: boolean; error?: string };
  results: MigrationResult[];
  ok: boolean;
  durationMs: number;
}

/** The API's `TenantHealth`. */
export interface TenantHealth {
  slug: string;
  status: TenantStatus;
  reachable: boolean;
  latencyMs: number | null;
  schemaVersion: string | null;
  pendingMigrations: number | null;
  sizeBytes: number | null;
  /** Active users (what `maxUsers` limits). */
  userCount: number | null;
  maxUsers: number;
  error?: string;
  checkedAt: string;
}

export interface TenantUser {
  id: number;
  username: string;
  email: string;
  isActive: boolean;
  isSuperuser: boolean;
  mustChangePassword: boolean;
  lastLoginAt: Date | null;
  groups: string[];
}

/** `updateTenant` fields (the API's PATCH body). */
export interface TenantUpdate {
  name?: string;
  adminEmail?: string;
  maxUsers?: number;
  multiLocation?: boolean;
  trialEndsAt?: Date | string | null;
  paidUntil?: Date | string | null;
}

/** Testing only (via `@salesfleet/tenancy/testing`): make a step fail after its work is done. */
export interface ProvisionerTestHooks {
  failAt?: ProvisionStep;
  /**
   * The tenant migrations that fleet migrations apply and check, read at each run; default the list
   * compiled into @salesfleet/migrations. Benchmarks add a fresh migration per run this way.
   */
  tenantMigrations?: () => readonly MigrationDefinition[];
}

export interface ProvisionerDeps {
  config: Config;
  registry: Registry;
  operations: OperationsLog;
  connections: TenantConnections;
  templates?: TemplateCache;
  tenantUrl: (slug: string) => string;
  hooks?: ProvisionerTestHooks;
}

/** A provisioning that has not touched its row for this long is considered abandoned (crashed). */
const STALE_PROVISIONING_MS = 10 * 60 * 1000;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;
const USERNAME = /^[A-Za-z0-9_.@+-]{1,150}$/;
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

interface Undo {
  step: string;
  run: () => Promise<void>;
}

class InjectedFailure extends Error {
  constructor(step: string) {
    super(`injected failure at step ${step} (test hook)`);
  }
}

/**
 * Tenant lifecycle: create (DESIGN.md's pipeline with compensation), delete, migrate, health,
 * suspend/resume/update, domains and tenant users. Every operation is recorded in the operations log.
 */
export class Provisioner {
  readonly #config: Config;
  readonly #registry: Registry;
  readonly #ops: OperationsLog;
  readonly #connections: TenantConnections;
  readonly #templates: TemplateCache | undefined;
  readonly #tenantUrl: (slug: string) => string;
  readonly #hooks: ProvisionerTestHooks;

  constructor(deps: ProvisionerDeps) {
    this.#config = deps.config;
    this.#registry = deps.registry;
    this.#ops = deps.operations;
    this.#connections = deps.connections;
    this.#templates = deps.templates;
    this.#tenantUrl = deps.tenantUrl;
    this.#hooks = deps.hooks ?? {};
  }

  get #driverContext(): DriverContext {
    return { dataDir: this.#config.dataDir, connectTimeoutMs: this.#config.dbConnectTimeoutMs };
  }

  // ── create ────────────────────────────────────────────────────────────────────────────────────

  createTenant(input: CreateTenantInput, options: CreateTenantOptions & { dryRun: true }): Promise<DryRunResult>;
  createTenant(input: CreateTenantInput, options: CreateTenantOptions & { dryRun?: false }): Promise<CreatedTenant>;
  createTenant(input: CreateTenantInput, options: CreateTenantOptions): Promise<CreatedTenant | DryRunResult>;
  async createTenant(input: CreateTenantInput, options: CreateTenantOptions): Promise<CreatedTenant | DryRunResult> {
    if (options.dryRun) return this.#dryRun(input);
    const started = performance.now();
    const v = this.#validate(input);
    // Hash while the database is created and migrated (scrypt runs on the thread pool).
    const credentials = v.adminPassword
      ? hashPassword(v.adminPassword).then((hash) => ({ password: null as string | null, hash }))
      : oneTimePassword().then(({ password, hash }) => ({ password: password as string | null, hash }));
    credentials.catch(() => undefined);

    const run = await this.#ops.begin('create-tenant', {
      actor: options.actor,
      tenantSlug: v.slug,
      details: {
        name: v.name,
        adminEmail: v.adminEmail,
        adminUsername: v.adminUsername,
        adminPassword: v.adminPassword ? 'given' : 'generated',
        database: describeSpec(v.database.spec),
        databaseOrigin: v.database.origin,
        maxUsers: v.maxUsers,
        multiLocation: v.multiLocation,
        trialEndsAt: v.trialEndsAt,
        paidUntil: v.paidUntil,
        demoData: v.demoData,
      },
      secrets: [v.adminPassword, v.database.spec.password],
    });

    const undo: Undo[] = [];
    const steps: CreatedTenant['steps'] = [];
    // Mutable state shared with the step closures.
    const state: {
      step: ProvisionStep;
      tenant: TenantRecord | null;
      sequelize: Sequelize | null;
      ownDatabase: boolean;
      oneTimePassword: string | null;
    } = { step: 'validate', tenant: null, sequelize: null, ownDatabase: false, oneTimePassword: null };

    const step = async <T>(name: ProvisionStep, fn: () => Promise<T>): Promise<T> => {
      state.step = name;
      options.onStep?.(name);
      const t0 = performance.now();
      const result = await run.step(name, async () => {
        const value = await fn();
        if (this.#hooks.failAt === name) throw new InjectedFailure(name);
        return value;
      });
      steps.push({ step: name, durationMs: Math.round(performance.now() - t0) });
      return result;
    };
    const { spec } = v.database;

    try {
      await step('validate', () => this.#checkTenantLimit());

      await step('register', async () => {
        const claimed = await this.#register(v, run, undo);
        state.tenant = claimed.tenant;
        state.ownDatabase = claimed.ownDatabase;
      });

      const created = await step('create_database', async () => {
        const made = await this.#createDatabase(v, state.ownDatabase);
        if (made) {
          undo.push({ step: 'create_database', run: () => driverFor(spec.engine).drop(spec, this.#dbContext(v.database)) });
          state.tenant = await this.#registry.updateTenant(state.tenant!.id, { db: { managed: true } });
        }
        return made;
      });

      const schemaVersion = await step('migrate', async () => {
        // A database we did not create is cleaned by reverting what we applied.
        if (!created) undo.push({ step: 'migrate', run: () => this.#revertAll(spec) });
        state.sequelize = openSequelize(spec, this.#sequelizeOptions({ poolMax: 2 }));
        // A clone of the template has nothing pending: one SELECT instead of Umzug's bookkeeping.
        const { pending } = await migrationStatus(state.sequelize, 'tenant');
        if (pending.length > 0) await migrateUp(state.sequelize, 'tenant');
        return migrationNames('tenant').at(-1) ?? null;
      });

      const models = defineTenantModels(state.sequelize!);
      await step('seed', async () => {
        const { password, hash } = await credentials;
        state.oneTimePassword = password;
        await seedTenant(models, {
          admin: { username: v.adminUsername, email: v.adminEmail, passwordHash: hash, mustChangePassword: password !== null },
          location: { code: DEFAULT_LOCATION.code, name: DEFAULT_LOCATION.name },
        });
      });

      if (v.demoData) await step('demo_data', async () => void (await seedDemoData(models, { locations: v.multiLocation })));

      await closeQuietly(state.sequelize);
      state.sequelize = null;

      const tenant = await step('activate', () => this.#registry.updateTenant(state.tenant!.id, { status: 'active', schemaVersion }));

      const durationMs = Math.round(performance.now() - started);
      await run.succeed({ durationMs });
      return {
        tenant,
        admin: {
          username: v.adminUsername,
          email: v.adminEmail,
          ...(state.oneTimePassword ? { oneTimePassword: state.oneTimePassword } : {}),
        },
        url: this.#tenantUrl(v.slug),
        database: describeSpec(spec),
        durationMs,
        steps,
      };
    } catch (err) {
      await closeQuietly(state.sequelize);
      if (state.tenant) await this.#connections.evict(state.tenant.id, { graceMs: 2000 }).catch(() => undefined);
      const cleanup = await this.#compensate(undo, run);
      if (cleanup === 'incomplete' && state.tenant) {
        await this.#registry.updateTenant(state.tenant.id, { status: 'failed' }).catch(() => undefined);
      }
      await run.fail(err, { step: state.step, cleanup });
      throw this.#provisioningError(err, v.slug, state.step, cleanup, run);
    }
  }

  /** Inserts the `provisioning` row, or claims the row of an earlier attempt that failed or crashed. */
  async #register(v: ValidatedInput, run: OperationRun, undo: Undo[]): Promise<{ tenant: TenantRecord; ownDatabase: boolean }> {
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
        user: v.database.spec.user,
        passwordEncrypted: v.database.spec.password ? this.#registry.sealPassword(v.database.spec.password) : null,
        // Set once we have created it: a crash in between must never make us drop a database we did not make.
        managed: false,
      },
    };
    let tenant: TenantRecord;
    let ownDatabase = false;
    try {
      tenant = await this.#registry.insertTenant(values);
    } catch (err) {
      if (!(err instanceof SlugTaken)) throw err;
      const existing = await this.#registry.findTenant(v.slug);
      if (!existing) throw err;
      const abandoned =
        existing.status === 'failed' ||
        (existing.status === 'provisioning' && Date.now() - existing.updatedAt.getTime() > STALE_PROVISIONING_MS);
      if (!abandoned) {
        throw existing.status === 'provisioning' ? new SlugTaken(v.slug, 'is being set up right now') : err;
      }
      // Claim the leftover row (optimistic: of two retries, one wins), then clean up after it.
      try {
        tenant = await this.#registry.updateTenant(existing.id, { status: 'provisioning' }, { expectedVersion: existing.version });
      } catch (claimErr) {
        if (claimErr instanceof Conflict) throw new SlugTaken(v.slug, 'is being set up right now');
        throw claimErr;
      }
      await run.note('claim_failed_attempt', 'succeeded', {
        previousStatus: existing.status,
        database: describeSpec(this.#registry.databaseSpecOf(existing)),
      });
      if (existing.db.managed) {
        const old = this.#registry.databaseSpecOf(existing);
        await this.#connections.evict(existing.id, { graceMs: 2000 });
        await driverFor(old.engine).drop(old, this.#driverContext);
        await run.note('drop_leftover_database', 'succeeded', { database: describeSpec(old) });
      } else {
        const old = this.#registry.databaseSpecOf(existing);
        ownDatabase = sameDatabase(old, v.database.spec);
      }
      const { status: _status, slug: _slug, ...rest } = values;
      tenant = await this.#registry.updateTenant(existing.id, { ...rest, suspendedReason: null, schemaVersion: null });
    }
    undo.push({
      step: 'register',
      run: async () => {
        await this.#registry.deleteTenant(tenant.id);
      },
    });
    run.setTenant(tenant.id, tenant.slug);
    // The count check before inserting races with concurrent creates; this one settles it.
    const max = this.#config.maxTenants;
    if (max !== null && (await this.#registry.countTenants()) > max) {
      throw new LimitReached(`The platform allows at most ${max} tenants`, { maxTenants: max });
    }
    return { tenant, ownDatabase };
  }

  /** Creates (or verifies) the tenant database; true when this call created it. */
  async #createDatabase(v: ValidatedInput, ownDatabase: boolean): Promise<boolean> {
    const { spec, origin } = v.database;
    const driver = driverFor(spec.engine);
    const ctx = this.#dbContext(v.database);
    if (origin === 'managed') {
      const template = this.#templates ? await this.#templates.templateFor(spec, ctx) : null;
      if (template) {
        try {
          await driver.create(spec, ctx, { template });
          return true;
        } catch (err) {
          // A template that vanished or is busy: create an empty database and migrate it instead.
          if (isSalesfleetError(err) && err.code === 'DatabaseExists') throw err;
        }
      }
      await driver.create(spec, ctx);
      return true;
    }
    const inspection = await driver.inspect(spec, ctx);
    if (!inspection.exists) {
      await driver.create(spec, ctx);
      return true;
    }
    if (!isEmptyDatabase(inspection) && !ownDatabase) throw new DatabaseNotEmpty(describeSpec(spec), inspection.tables);
    return false;
  }

  async #revertAll(spec: DatabaseSpec): Promise<void> {
    const sequelize = openSequelize(spec, this.#sequelizeOptions({ poolMax: 1 }));
    try {
      for (let i = 0; i < 1000; i++) {
        const { applied } = await migrationStatus(sequelize, 'tenant');
        if (applied.length === 0) return;
        const { reverted } = await migrateDown(sequelize, 'tenant');
        if (reverted.length === 0) throw new Error('migrations could not be reverted');
      }
    } finally {
      await closeQuietly(sequelize);
    }
  }

  async #compensate(undo: Undo[], run: OperationRun): Promise<'complete' | 'incomplete'> {
    let complete = true;
    for (const u of undo.reverse()) {
      try {
        await run.step(`undo_${u.step}`, u.run);
      } catch {
        complete = false;
      }
    }
    return complete ? 'complete' : 'incomplete';
  }

  #provisioningError(err: unknown, slug: string, step: ProvisionStep, cleanup: string, run: OperationRun): Error {
    if (isSalesfleetError(err) && PASS_THROUGH.has(err.code)) return err;
    const suffix =
      cleanup === 'complete'
        ? 'everything it created was removed'
        : 'cleanup was incomplete; the tenant is marked failed and a retry cleans up';
    return new ProvisioningFailed(slug, step, `${run.describeError(err)} (${suffix})`, { cleanup }, { cause: err });
  }

  #validate(input: CreateTenantInput): ValidatedInput {
    const slug = validateSlug(input.subdomain);
    const problems: { path: string; message: string }[] = [];
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name.length === 0 || name.length > 200) problems.push({ path: 'name', message: 'must be 1–200 characters' });
    const adminEmail = typeof input.adminEmail === 'string' ? input.adminEmail.trim().toLowerCase() : '';
    if (!EMAIL.test(adminEmail) || adminEmail.length > 254) problems.push({ path: 'adminEmail', message: 'must be an email address' });
    const adminUsername = (input.adminUsername ?? 'admin').trim();
    if (!USERNAME.test(adminUsername)) problems.push({ path: 'adminUsername', message: 'use 1–150 of letters, digits and _ . @ + -' });
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
    let adminPassword: string | null = null;
    if (input.adminPassword !== undefined && input.adminPassword !== null && input.adminPassword !== '') {
      adminPassword = input.adminPassword;
      for (const message of validatePasswordStrength(adminPassword, { username: adminUsername, email: adminEmail })) {
        problems.push({ path: 'adminPassword', message });
      }
    }
    let database: ResolvedDatabase | null = null;
    try {
      database = this.#resolveDatabase(input.database, slug);
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

  #resolveDatabase(params: DatabaseParams | undefined, slug: string): ResolvedDatabase {
    const server = this.#config.tenantServerUrl ? parseDatabaseUrl(this.#config.tenantServerUrl) : null;
    const managedOnServer = (s: DatabaseSpec, name?: string): ResolvedDatabase => ({
      spec: { ...s, database: name || managedDatabaseName(slug) },
      origin: name ? 'explicit' : 'managed',
      maintenanceDatabase: s.database || null,
    });
    const sqlite = (): ResolvedDatabase => ({
      spec: { engine: 'sqlite', database: sqliteTenantPath(slug), host: null, port: null, user: null, password: null },
      origin: 'managed',
      maintenanceDatabase: null,
    });
    const given = params && Object.values(params).some((x) => x !== undefined && x !== null && x !== '');
    if (!given) return server ? managedOnServer(server) : sqlite();

    const spec = specFromParams(params);
    if (spec.engine === 'sqlite') {
      if (spec.database && spec.database.replace(/^\.\//, '') !== sqliteTenantPath(slug)) {
        throw new ValidationFailed('SQLite tenant databases are always managed', [
          { path: 'database', message: `a SQLite tenant lives in <data dir>/${sqliteTenantPath(slug)}; give no path` },
        ]);
      }
      return sqlite();
    }
    // `--database-engine postgres` alone: the configured tenant server of that engine.
    if (!params!.url && !params!.host && !params!.port && !params!.user && !params!.password) {
      if (server && server.engine === spec.engine) return managedOnServer(server, params!.name);
      if (!server) {
        throw new ValidationFailed(`No ${spec.engine} server to create the database on`, [
          { path: 'database', message: 'give --database-url / host, or set SALESFLEET_TENANT_SERVER_URL' },
        ]);
      }
      throw new ValidationFailed(`The tenant server is ${server.engine}, not ${spec.engine}`, [
        {
          path: 'database.engine',
          message: `SALESFLEET_TENANT_SERVER_URL is a ${server.engine} server; give a ${spec.engine} URL or host`,
        },
      ]);
    }
    if (!spec.host) spec.host = '127.0.0.1';
    if (!spec.port) spec.port = DEFAULT_PORTS[spec.engine];
    if (!spec.database) return { spec: { ...spec, database: managedDatabaseName(slug) }, origin: 'managed', maintenanceDatabase: null };
    return { spec, origin: 'explicit', maintenanceDatabase: null };
  }

  async #checkTenantLimit(): Promise<void> {
    const max = this.#config.maxTenants;
    if (max === null) return;
    const count = await this.#registry.countTenants();
    if (count >= max) throw new LimitReached(`The platform allows at most ${max} tenants (it has ${count})`, { maxTenants: max });
  }

  async #dryRun(input: CreateTenantInput): Promise<DryRunResult> {
    const checks: DryRunCheck[] = [];
    const add = (name: string, ok: boolean, message: string) => checks.push({ name, ok, message });
    let v: ValidatedInput | null = null;
    try {
      v = this.#validate(input);
      add('input', true, 'name, subdomain, admin and limits are valid');
    } catch (err) {
      add('input', false, (err as Error).message);
    }
    try {
      const ms = await this.#registry.ping();
      add('registry', true, `registry reachable (${ms.toFixed(1)} ms)`);
    } catch (err) {
      add('registry', false, `registry unreachable: ${redact((err as Error).message)}`);
    }
    if (v) {
      const existing = await this.#registry.findTenant(v.slug);
      if (existing && existing.status !== 'failed') add('subdomain', false, `"${v.slug}" is already taken`);
      else add('subdomain', true, existing ? `"${v.slug}" is held by a failed attempt that will be cleaned up` : `"${v.slug}" is free`);
      try {
        await this.#checkTenantLimit();
        add('tenant limit', true, this.#config.maxTenants === null ? 'no platform limit' : `below the limit of ${this.#config.maxTenants}`);
      } catch (err) {
        add('tenant limit', false, (err as Error).message);
      }
      const { spec } = v.database;
      const where = describeSpec(spec);
      try {
        const inspection = await driverFor(spec.engine).inspect(spec, this.#dbContext(v.database));
        if (spec.engine !== 'sqlite' && v.database.origin === 'managed') {
          const ms = await this.#pingServer(v.database);
          add('database server', true, `${spec.engine} server reachable (${ms.toFixed(1)} ms)`);
        }
        if (v.database.origin === 'managed') {
          add('database', !inspection.exists, inspection.exists ? `${where} already exists` : `${where} will be created`);
        } else if (!inspection.exists) {
          add('database', true, `${where} does not exist and will be created`);
        } else {
          const ownOk = existing?.status === 'failed' && sameDatabase(this.#registry.databaseSpecOf(existing), spec);
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

  async #pingServer(db: ResolvedDatabase): Promise<number> {
    const maintenance = { ...db.spec, database: db.maintenanceDatabase || (db.spec.engine === 'postgres' ? 'postgres' : '') };
    if (db.spec.engine === 'mysql') maintenance.database = db.maintenanceDatabase || 'mysql';
    return driverFor(db.spec.engine).ping(maintenance, this.#driverContext);
  }

  #dbContext(db: ResolvedDatabase): DriverContext {
    return { ...this.#driverContext, maintenanceDatabase: db.maintenanceDatabase };
  }

  #sequelizeOptions(extra: { poolMax?: number } = {}) {
    return {
      dataDir: this.#config.dataDir,
      connectTimeoutMs: this.#config.dbConnectTimeoutMs,
      acquireTimeoutMs: this.#config.dbConnectTimeoutMs,
      tenant: true,
      ...extra,
    };
  }

  // ── delete ────────────────────────────────────────────────────────────────────────────────────

  /**
   * Deletes a tenant: marks it `deleting` (the router stops routing to it), closes its handles, drops
   * its database unless `keepDatabase` (never one Salesfleet did not create), removes the row.
   * A failure leaves the row `deleting`; running it again finishes the job.
   */
  async deleteTenant(slug: string, options: DeleteTenantOptions): Promise<DeletedTenant> {
    const tenant = await this.#registry.getTenant(slug);
    const spec = this.#registry.databaseSpecOf(tenant);
    const dropping = !options.keepDatabase && tenant.db.managed;
    const run = await this.#ops.begin('delete-tenant', {
      actor: options.actor,
      tenantId: tenant.id,
      tenantSlug: tenant.slug,
      details: {
        keepDatabase: !dropping,
        requestedKeep: options.keepDatabase === true,
        managed: tenant.db.managed,
        database: describeSpec(spec),
      },
      secrets: [spec.password],
    });
    try {
      await run.step('mark_deleting', async () => {
        if (tenant.status !== 'deleting') await this.#registry.updateTenant(tenant.id, { status: 'deleting' });
      });
      await run.step('close_connections', () => this.#connections.evict(tenant.id));
      if (dropping) {
        await run.step('drop_database', () => driverFor(spec.engine).drop(spec, this.#serverContextFor(spec)));
      }
      await run.step('remove_row', async () => {
        await this.#registry.deleteTenant(tenant.id);
      });
      await run.succeed({ keptDatabase: !dropping });
      return { deleted: true, keptDatabase: !dropping, database: describeSpec(spec) };
    } catch (err) {
      await run.fail(err);
      throw err;
    }
  }

  /** The driver context for an existing tenant's database (maintenance DB from the tenant server). */
  #serverContextFor(spec: DatabaseSpec): DriverContext {
    let maintenanceDatabase: string | null = null;
    if (this.#config.tenantServerUrl) {
      const server = parseDatabaseUrl(this.#config.tenantServerUrl);
      if (server.engine === spec.engine && server.host === spec.host && server.port === spec.port)
        maintenanceDatabase = server.database || null;
    }
    return { ...this.#driverContext, maintenanceDatabase };
  }

  // ── migrate ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Migrates the registry, then every tenant (or one) with bounded concurrency. A tenant's failure
   * is reported in its result and does not stop the others. `check`/`dryRun` change nothing.
   */
  async migrateTenants(options: MigrateTenantsOptions): Promise<FleetMigrationResult> {
    const started = performance.now();
    const readOnly = options.check === true || options.dryRun === true;
    const registry: FleetMigrationResult['registry'] = { applied: [], pending: [], ok: true };
    if (!options.skipRegistry) {
      try {
        if (readOnly) registry.pending = (await this.#registry.migrationStatus()).pending;
        else registry.applied = (await this.#registry.migrate()).applied;
      } catch (err) {
        registry.ok = false;
        registry.error = redact((err as Error).message);
      }
    }
    const tenants = options.slug ? [await this.#registry.getTenant(options.slug)] : await this.#registry.listTenants();
    const run = readOnly
      ? null
      : await this.#ops.begin('migrate-tenants', {
          actor: options.actor,
          tenantSlug: options.slug ?? null,
          details: { tenants: tenants.length },
        });
    let done = 0;
    // Schema versions are written to the registry in batches, off the per-tenant critical path.
    let versions: { tenantId: number; slug: string; schemaVersion: string | null }[] = [];
    const flushVersions = async () => {
      const batch = versions;
      versions = [];
      if (batch.length > 0) await this.#registry.setSchemaVersions(batch);
    };
    const concurrency = Math.max(1, options.concurrency ?? 4);
    // A tenant's connection closes while the next tenant starts (closing waits for the server to end
    // the backend: ~2.5 ms of ~14 ms per PostgreSQL tenant measured sequentially); at most
    // `concurrency` closes are pending, so connections stay ≤ 2 × concurrency.
    const closing = new Set<Promise<void>>();
    const closeLater = (close: Promise<void>) => {
      closing.add(close);
      void close.finally(() => closing.delete(close));
    };
    const results = await mapLimit(tenants, concurrency, async (tenant) => {
      while (closing.size >= concurrency) await Promise.race(closing);
      const result = await this.#migrateOne(tenant, readOnly, run, closeLater);
      if (!readOnly && result.ok && !result.skipped && result.schemaVersion !== tenant.schemaVersion) {
        versions.push({ tenantId: tenant.id, slug: tenant.slug, schemaVersion: result.schemaVersion });
        if (versions.length >= 200) await flushVersions();
      }
      done++;
      options.onProgress?.(done, tenants.length, result);
      return result;
    });
    await Promise.all(closing);
    await flushVersions();
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

  /** Migrates one tenant (the API's `POST /tenants/:slug/migrate`). */
  async migrateTenant(slug: string, options: ActorOptions & { check?: boolean }): Promise<MigrationResult> {
    const result = await this.migrateTenants({ ...options, slug, skipRegistry: true, concurrency: 1 });
    return result.results[0]!;
  }

  async #migrateOne(
    tenant: TenantRecord,
    readOnly: boolean,
    run: OperationRun | null,
    closeLater: (close: Promise<void>) => void,
  ): Promise<MigrationResult> {
    const started = performance.now();
    const base = { slug: tenant.slug, applied: [] as string[], pending: [] as string[], schemaVersion: tenant.schemaVersion };
    if (tenant.status === 'provisioning' || tenant.status === 'deleting' || tenant.status === 'failed') {
      return { ...base, ok: true, skipped: `status ${tenant.status}`, durationMs: 0 };
    }
    let spec: DatabaseSpec | null = null;
    let sequelize: Sequelize | null = null;
    const migrations = this.#hooks.tenantMigrations?.();
    const list = migrations ? { migrations } : {};
    try {
      spec = this.#registry.databaseSpecOf(tenant);
      if (spec.engine === 'sqlite' && !(await driverFor('sqlite').exists(spec, this.#driverContext))) {
        throw new DatabaseUnreachable(describeSpec(spec), 'the file does not exist');
      }
      if (readOnly && spec.engine !== 'sqlite') {
        // A check only reads the bookkeeping table: one plain connection, no Sequelize instance.
        const status = await readServerMigrationStatus(
          spec,
          this.#driverContext.connectTimeoutMs,
          migrations?.map((m) => m.name),
        );
        return {
          ...base,
          ok: true,
          pending: status.pending,
          schemaVersion: status.applied.at(-1) ?? null,
          durationMs: Math.round(performance.now() - started),
        };
      }
      sequelize = openSequelize(spec, this.#sequelizeOptions({ poolMax: 1 }));
      let applied: string[] = [];
      let status = await migrationStatus(sequelize, 'tenant', list);
      if (!readOnly && status.pending.length > 0) {
        applied = (await migrateUp(sequelize, 'tenant', list)).applied;
        const done = new Set(applied);
        status = { applied: [...status.applied, ...applied], pending: status.pending.filter((name) => !done.has(name)) };
      }
      const schemaVersion = status.applied.at(-1) ?? null;
      if (run && applied.length > 0) await run.note(`tenant:${tenant.slug}`, 'succeeded', { applied });
      return { ...base, ok: true, applied, pending: status.pending, schemaVersion, durationMs: Math.round(performance.now() - started) };
    } catch (err) {
      const message = unreachableMessage(err, spec);
      if (run) await run.note(`tenant:${tenant.slug}`, 'failed', {}, new Error(message));
      return { ...base, ok: false, error: message, durationMs: Math.round(performance.now() - started) };
    } finally {
      closeLater(closeQuietly(sequelize));
    }
  }

  // ── health ────────────────────────────────────────────────────────────────────────────────────

  async tenantHealth(slug: string): Promise<TenantHealth> {
    return this.#health(await this.#registry.getTenant(slug));
  }

  /** Health of every tenant, `concurrency` at a time (default 8); never more handles than that. */
  async fleetHealth(options: { concurrency?: number } = {}): Promise<TenantHealth[]> {
    const tenants = await this.#registry.listTenants();
    return mapLimit(tenants, Math.max(1, options.concurrency ?? 8), (t) => this.#health(t));
  }

  async #health(tenant: TenantRecord): Promise<TenantHealth> {
    const out: TenantHealth = {
      slug: tenant.slug,
      status: tenant.status,
      reachable: false,
      latencyMs: null,
      schemaVersion: tenant.schemaVersion,
      pendingMigrations: null,
      sizeBytes: null,
      userCount: null,
      maxUsers: tenant.maxUsers,
      checkedAt: new Date().toISOString(),
    };
    let spec: DatabaseSpec | null = null;
    let sequelize: Sequelize | null = null;
    try {
      spec = this.#registry.databaseSpecOf(tenant);
      if (spec.engine === 'sqlite' && !(await driverFor('sqlite').exists(spec, this.#driverContext))) {
        throw new DatabaseUnreachable(describeSpec(spec), 'the file does not exist');
      }
      sequelize = openSequelize(spec, this.#sequelizeOptions({ poolMax: 1 }));
      const t0 = performance.now();
      await sequelize.query('SELECT 1');
      out.latencyMs = Math.round((performance.now() - t0) * 100) / 100;
      out.reachable = true;
      const status = await migrationStatus(sequelize, 'tenant');
      out.schemaVersion = status.applied.at(-1) ?? null;
      out.pendingMigrations = status.pending.length;
      out.sizeBytes = await databaseSize(sequelize, spec, this.#driverContext);
      if (status.applied.length > 0) out.userCount = await countActiveUsers(defineTenantModels(sequelize));
    } catch (err) {
      out.error = unreachableMessage(err, spec);
    } finally {
      await closeQuietly(sequelize);
    }
    return out;
  }

  // ── status and settings ───────────────────────────────────────────────────────────────────────

  async suspendTenant(slug: string, options: ActorOptions & { reason?: string | null }): Promise<TenantRecord> {
    const tenant = await this.#registry.getTenant(slug);
    if (tenant.status !== 'active' && tenant.status !== 'suspended') {
      throw new Conflict(`Tenant "${slug}" is ${tenant.status}; only active tenants can be suspended`);
    }
    const reason = options.reason?.trim().slice(0, 500) || null;
    return this.#change('suspend-tenant', tenant, options.actor, { status: 'suspended', suspendedReason: reason }, { reason });
  }

  async resumeTenant(slug: string, options: ActorOptions): Promise<TenantRecord> {
    const tenant = await this.#registry.getTenant(slug);
    if (tenant.status !== 'suspended' && tenant.status !== 'active') {
      throw new Conflict(`Tenant "${slug}" is ${tenant.status}; only suspended tenants can be resumed`);
    }
    return this.#change('resume-tenant', tenant, options.actor, { status: 'active', suspendedReason: null }, {});
  }

  /** Changes name, admin email, limits and billing dates. `expectedVersion` makes it optimistic. */
  async updateTenant(slug: string, update: TenantUpdate, options: ActorOptions & { expectedVersion?: number }): Promise<TenantRecord> {
    const tenant = await this.#registry.getTenant(slug);
    const problems: { path: string; message: string }[] = [];
    const patch: TenantPatch = {};
    if (update.name !== undefined) {
      const name = String(update.name).trim();
      if (name.length === 0 || name.length > 200) problems.push({ path: 'name', message: 'must be 1–200 characters' });
      patch.name = name;
    }
    if (update.adminEmail !== undefined) {
      const email = String(update.adminEmail).trim().toLowerCase();
      if (!EMAIL.test(email)) problems.push({ path: 'adminEmail', message: 'must be an email address' });
      patch.adminEmail = email;
    }
    if (update.maxUsers !== undefined) {
      if (!Number.isInteger(update.maxUsers) || update.maxUsers < 1)
        problems.push({ path: 'maxUsers', message: 'must be a whole number from 1' });
      patch.maxUsers = update.maxUsers;
    }
    if (update.multiLocation !== undefined) patch.multiLocation = update.multiLocation === true;
    if (update.trialEndsAt !== undefined) patch.trialEndsAt = parseDate(update.trialEndsAt, 'trialEndsAt', problems);
    if (update.paidUntil !== undefined) patch.paidUntil = parseDate(update.paidUntil, 'paidUntil', problems);
    if (problems.length)
      throw new ValidationFailed(`Invalid tenant update: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);
    return this.#change('update-tenant', tenant, options.actor, patch, { ...patch }, options.expectedVersion);
  }

  async #change(
    action: string,
    tenant: TenantRecord,
    actor: string,
    patch: TenantPatch,
    details: Record<string, unknown>,
    expectedVersion?: number,
  ): Promise<TenantRecord> {
    const run = await this.#ops.begin(action, { actor, tenantId: tenant.id, tenantSlug: tenant.slug, details });
    try {
      const updated = await this.#registry.updateTenant(tenant.id, patch, expectedVersion === undefined ? {} : { expectedVersion });
      await run.succeed({ version: updated.version });
      return updated;
    } catch (err) {
      await run.fail(err);
      throw err;
    }
  }

  // ── domains ───────────────────────────────────────────────────────────────────────────────────

  async listDomains(slug: string): Promise<DomainRecord[]> {
    const tenant = await this.#registry.getTenant(slug);
    return this.#registry.listDomains(tenant.id);
  }

  /** Adds a custom domain (not under a base domain: those are subdomains already). */
  async addDomain(slug: string, domain: string, options: ActorOptions & { primary?: boolean }): Promise<DomainRecord> {
    const tenant = await this.#registry.getTenant(slug);
    const host = normalizeDomain(domain);
    for (const base of this.#config.baseDomains) {
      if (host === base || host.endsWith(`.${base}`)) {
        throw new ValidationFailed(`${host} is under the base domain ${base}; tenants get <slug>.${base} without registering it`, [
          { path: 'domain', message: `must not be under ${base}` },
        ]);
      }
    }
    if (isIpHost(host)) throw new ValidationFailed('A domain cannot be an IP address', [{ path: 'domain', message: 'must be a name' }]);
    const run = await this.#ops.begin('add-domain', {
      actor: options.actor,
      tenantId: tenant.id,
      tenantSlug: slug,
      details: { domain: host, primary: options.primary === true },
    });
    try {
      const record = await this.#registry.addDomain(tenant.id, host, { primary: options.primary });
      await run.succeed();
      return record;
    } catch (err) {
      await run.fail(err);
      throw err;
    }
  }

  async removeDomain(slug: string, domain: string, options: ActorOptions): Promise<void> {
    const tenant = await this.#registry.getTenant(slug);
    const run = await this.#ops.begin('remove-domain', {
      actor: options.actor,
      tenantId: tenant.id,
      tenantSlug: slug,
      details: { domain },
    });
    try {
      await this.#registry.removeDomain(tenant.id, domain);
      await run.succeed();
    } catch (err) {
      await run.fail(err);
      throw err;
    }
  }

  // ── tenant users ──────────────────────────────────────────────────────────────────────────────

  /** The tenant's users with their group names (the CLI's `tenant-users`). */
  async tenantUsers(slug: string): Promise<TenantUser[]> {
    const tenant = await this.#usableTenant(slug);
    return this.#connections.withTenant(tenant, async ({ models }) => {
      const users = await models.User.findAll({
        include: [{ model: models.Group, as: 'groups', attributes: ['name'], through: { attributes: [] } }],
        order: [['username', 'ASC']],
      });
      return users.map((u) => ({
        id: u.id,
        username: u.username,
        email: u.email,
        isActive: Boolean(u.isActive),
        isSuperuser: Boolean(u.isSuperuser),
        mustChangePassword: Boolean(u.mustChangePassword),
        lastLoginAt: u.lastLoginAt ?? null,
        groups: (u.groups ?? []).map((g) => g.name).sort(),
      }));
    });
  }

  /**
   * Puts the tenant's admin (by `username`, else the superuser with the tenant's admin email, else
   * the first superuser) back into every default group, restoring missing default groups and
   * permissions. Returns the admin's username and groups.
   */
  async fixAdminGroups(slug: string, options: ActorOptions & { username?: string }): Promise<{ username: string; groups: string[] }> {
    const tenant = await this.#usableTenant(slug);
    const run = await this.#ops.begin('fix-admin-groups', {
      actor: options.actor,
      tenantId: tenant.id,
      tenantSlug: slug,
      details: { username: options.username ?? null },
    });
    try {
      const result = await this.#connections.withTenant(tenant, async ({ models }) => {
        const admin = await findAdmin(models, tenant, options.username);
        // seedTenant is idempotent: for an existing user it keeps the password and only restores
        // permissions, default groups and the admin's memberships. The hash below is never stored.
        await seedTenant(models, {
          admin: { username: admin.username, email: admin.email, passwordHash: '!', mustChangePassword: false },
        });
        const groups = (
          await models.Group.findAll({
            include: [{ model: models.User, as: 'users', where: { id: admin.id }, attributes: [], through: { attributes: [] } }],
          })
        ).map((g) => g.name);
        return { username: admin.username, groups: groups.sort() };
      });
      await run.succeed(result);
      return result;
    } catch (err) {
      await run.fail(err);
      throw err;
    }
  }

  async #usableTenant(slug: string): Promise<TenantRecord> {
    const tenant = await this.#registry.getTenant(slug);
    if (tenant.status !== 'active' && tenant.status !== 'suspended') {
      throw new Conflict(`Tenant "${slug}" is ${tenant.status}`);
    }
    return tenant;
  }
}

async function findAdmin(models: TenantModels, tenant: TenantRecord, username?: string) {
  if (username) {
    const user = await models.User.findOne({ where: { username } });
    if (!user) throw new TenantNotFound(`${tenant.slug} user ${username}`);
    return user;
  }
  const byEmail = await models.User.findOne({ where: { email: tenant.adminEmail, isSuperuser: true }, order: [['id', 'ASC']] });
  if (byEmail) return byEmail;
  const first = await models.User.findOne({ where: { isSuperuser: true }, order: [['id', 'ASC']] });
  if (first) return first;
  throw new Conflict(`Tenant "${tenant.slug}" has no admin user; pass the username`);
}

/** Empty: no tables, or only an empty migrations table (left behind by reverting every migration). */
export function isEmptyDatabase(inspection: DatabaseInspection): boolean {
  if (inspection.tables.length === 0) return true;
  return inspection.tables.length === 1 && inspection.tables[0] === MIGRATIONS_TABLE && (inspection.migrationRows ?? 0) === 0;
}

function parseDate(value: Date | string | null | undefined, path: string, problems: { path: string; message: string }[]): Date | null {
  if (value === undefined || value === null || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    problems.push({ path, message: 'must be a date (ISO 8601)' });
    return null;
  }
  return date;
}

function unreachableMessage(err: unknown, spec: DatabaseSpec | null): string {
  const message = err instanceof Error ? err.message : String(err);
  return redact(message, [spec?.password]);
}

async function databaseSize(sequelize: Sequelize, spec: DatabaseSpec, ctx: DriverContext): Promise<number | null> {
  if (spec.engine === 'sqlite') return driverFor('sqlite').sizeBytes(spec, ctx);
  const sql =
    spec.engine === 'postgres'
      ? 'SELECT pg_database_size(current_database()) AS size'
      : 'SELECT COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) AS size FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()';
  const [rows] = await sequelize.query(sql);
  const size = (rows as { size: string | number }[])[0]?.size;
  return size === undefined ? null : Number(size);
}

async function closeQuietly(sequelize: Sequelize | null): Promise<void> {
  await closeSequelize(sequelize);
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
