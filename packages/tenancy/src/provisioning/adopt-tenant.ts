import { existsSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Sequelize } from 'sequelize';
import sqlite3 from 'sqlite3';
import { countActiveUsers, defineTenantModels } from '@salesfleet/models';
import { migrateUp, migrationNames, migrationStatus } from '@salesfleet/migrations';
import {
  DEFAULT_PORTS,
  MIGRATIONS_TABLE,
  closeSequelize,
  describeSpec,
  driverFor,
  openSequelize,
  resolveSqlitePath,
  specFromParams,
  sqliteTenantPath,
  type DatabaseParams,
  type DatabaseSpec,
} from '../drivers/index';
import { makePrivate, makePrivateDir } from '../private-files';
import type { TenantRecord } from '../registry/records';
import { driverContext, sequelizeOptions, type ProvisioningContext } from './context';
import { validateTenantFields, type TenantFields } from './create-tenant';
import { keepLease, leaseUntil, newProvisioningOwner } from './lease';
import { tenantMigrationLock } from './tenant-migration';
import type { ActorOptions } from './types';
import { SchemaTooNew, validateSlug, ValidationFailed } from '@salesfleet/contracts';

/** Tables every Salesfleet tenant database has had since its first migration. */
const CORE_TABLES = ['users', 'auth_groups'] as const;

export interface AdoptTenantInput {
  name: string;
  subdomain: string;
  adminEmail: string;
  /**
   * The database that already holds a Salesfleet tenant's schema: a PostgreSQL/MySQL database (used
   * where it is), or a SQLite file anywhere (copied to `<data dir>/tenants/<slug>.sqlite`, the original
   * left alone, unless it is that file already).
   */
  database: DatabaseParams;
  maxUsers?: number;
  multiLocation?: boolean;
  trialDays?: number;
  paidUntil?: Date | string | null;
}

export interface AdoptTenantOptions extends ActorOptions {
  onStep?: (step: AdoptStep) => void;
}

export type AdoptStep = 'validate' | 'copy' | 'inspect' | 'register' | 'migrate' | 'activate';

export interface AdoptedTenant {
  tenant: TenantRecord;
  database: string;
  /** The SQLite file the tenant's data was copied from (null when used in place). */
  copiedFrom: string | null;
  /** The schema version the database had, and the migrations applied to bring it up to date. */
  schemaVersionBefore: string | null;
  applied: string[];
  activeUsers: number;
  url: string;
  durationMs: number;
}

interface Adoption {
  slug: string;
  spec: DatabaseSpec;
  /** A SQLite file outside the tenant's place, copied into it. */
  sourceFile: string | null;
  /** This adoption made the SQLite copy (its undo removes it). */
  copied: boolean;
  tenant: TenantRecord | null;
  stopLease: (() => void) | null;
  sequelize: Sequelize | null;
  schemaVersionBefore: string | null;
  applied: string[];
  activeUsers: number;
}

/**
 * Registers a database that already holds a Salesfleet tenant (restored by other tools, or a copy):
 * checks that it is one (its migrations table and core tables), refuses a schema newer than this
 * version knows, claims it for this tenant alone (the registry's database key), migrates it up and
 * activates the tenant. No row of the tenant's data is touched besides what the migrations change.
 * Any failure removes the registry row (and a SQLite copy this call made); the database is left as
 * it was, save for migrations that completed.
 */
export async function adoptTenant(ctx: ProvisioningContext, input: AdoptTenantInput, options: AdoptTenantOptions): Promise<AdoptedTenant> {
  const started = performance.now();
  const v = validateAdoption(ctx, input);
  const run = await ctx.operations.begin('adopt-tenant', {
    actor: options.actor,
    tenantSlug: v.slug,
    details: {
      name: v.name,
      adminEmail: v.adminEmail,
      database: describeSpec(v.spec),
      ...(v.sourceFile ? { copiedFrom: v.sourceFile } : {}),
      maxUsers: v.maxUsers,
      multiLocation: v.multiLocation,
    },
    secrets: [v.spec.password],
  });
  const a: Adoption = {
    slug: v.slug,
    spec: v.spec,
    sourceFile: v.sourceFile,
    copied: false,
    tenant: null,
    stopLease: null,
    sequelize: null,
    schemaVersionBefore: null,
    applied: [],
    activeUsers: 0,
  };
  const dctx = driverContext(ctx);
  const step = async (name: AdoptStep, fn: () => Promise<void>) => {
    options.onStep?.(name);
    await run.step(name, fn);
  };
  try {
    if (a.sourceFile) {
      const sourceFile = a.sourceFile;
      await step('copy', async () => {
        await copySqlite(sourceFile, resolveSqlitePath(ctx.config.dataDir, a.spec.database));
        a.copied = true;
      });
    }
    await step('inspect', async () => {
      const inspection = await driverFor(a.spec.engine).inspect(a.spec, dctx);
      const where = describeSpec(a.spec);
      if (!inspection.exists) throw notSalesfleet(where, 'it does not exist');
      const missing = [MIGRATIONS_TABLE, ...CORE_TABLES].filter((t) => !inspection.tables.includes(t));
      if (inspection.tables.length === 0 || (inspection.migrationRows ?? 0) === 0) {
        throw notSalesfleet(where, 'it is empty (for a new tenant, leave out --adopt-database)');
      }
      if (missing.length > 0) throw notSalesfleet(where, `it has no ${missing.join(', ')} table`);
      a.sequelize = openSequelize(a.spec, sequelizeOptions(ctx, { poolMax: 1 }));
      const [rows] = await a.sequelize.query(`SELECT name FROM ${a.sequelize.getQueryInterface().quoteIdentifier(MIGRATIONS_TABLE)}`);
      const applied = (rows as { name: string }[]).map((r) => r.name).sort();
      const known = migrationNames('tenant');
      const unknown = applied.filter((m) => !known.includes(m));
      const latest = known.at(-1) ?? null;
      if (unknown.length > 0) {
        if (latest === null || unknown.some((m) => m > latest)) throw new SchemaTooNew(where, unknown.at(-1)!, latest);
        throw notSalesfleet(where, `it has migrations this version never had (${unknown.join(', ')})`);
      }
      a.schemaVersionBefore = applied.at(-1) ?? null;
    });
    await step('register', async () => {
      const owner = newProvisioningOwner();
      a.tenant = await ctx.registry.insertTenant({
        slug: v.slug,
        name: v.name,
        adminEmail: v.adminEmail,
        status: 'provisioning',
        maxUsers: v.maxUsers,
        multiLocation: v.multiLocation,
        trialEndsAt: v.trialEndsAt,
        paidUntil: v.paidUntil,
        db: {
          engine: a.spec.engine,
          host: a.spec.host,
          port: a.spec.port,
          name: a.spec.database,
          user: a.spec.user,
          passwordEncrypted: a.spec.password ? ctx.registry.sealPassword(a.spec.password) : null,
          // Ours to drop only when it is our own copy.
          managed: a.copied,
        },
        provisioning: { owner, leaseUntil: leaseUntil() },
      });
      a.stopLease = keepLease(ctx.registry, a.tenant.id, owner, ctx.logger);
      run.setTenant(a.tenant.id, a.tenant.slug);
    });
    await step('migrate', async () => {
      const db = a.sequelize!;
      const lock = tenantMigrationLock(a.tenant!);
      await ctx.registry.locks.withLock(
        lock.name,
        async () => {
          const { pending } = await migrationStatus(db, 'tenant');
          if (pending.length > 0) a.applied = (await migrateUp(db, 'tenant')).applied;
        },
        lock.options,
      );
    });
    await step('activate', async () => {
      const db = a.sequelize!;
      a.activeUsers = await countActiveUsers(defineTenantModels(db));
      await closeSequelize(db);
      a.sequelize = null;
      a.stopLease?.();
      a.tenant = await ctx.registry.updateTenant(a.tenant!.id, {
        status: 'active',
        schemaVersion: migrationNames('tenant').at(-1) ?? null,
        userCount: a.activeUsers,
        provisioning: null,
      });
    });
  } catch (err) {
    a.stopLease?.();
    await closeSequelize(a.sequelize);
    const cleanup = await undoAdoption(ctx, a);
    await run.fail(err, { cleanup });
    throw err;
  }
  const durationMs = Math.round(performance.now() - started);
  await run.succeed({ durationMs, schemaVersionBefore: a.schemaVersionBefore, applied: a.applied, activeUsers: a.activeUsers });
  return {
    tenant: a.tenant!,
    database: describeSpec(a.spec),
    copiedFrom: a.sourceFile,
    schemaVersionBefore: a.schemaVersionBefore,
    applied: a.applied,
    activeUsers: a.activeUsers,
    url: ctx.tenantUrl(a.slug),
    durationMs,
  };
}

async function undoAdoption(ctx: ProvisioningContext, a: Adoption): Promise<'complete' | 'incomplete'> {
  let complete = true;
  if (a.tenant) {
    try {
      await ctx.connections.evict(a.tenant.id, { graceMs: 2000 });
      await ctx.registry.deleteTenant(a.tenant.id);
    } catch (err) {
      complete = false;
      ctx.logger.error({ err: (err as Error).message, tenant: a.slug }, 'adopted tenant row could not be removed');
    }
  }
  if (a.copied) {
    const path = resolveSqlitePath(ctx.config.dataDir, a.spec.database);
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
  }
  return complete ? 'complete' : 'incomplete';
}

function notSalesfleet(where: string, why: string): ValidationFailed {
  return new ValidationFailed(`${where} is not a Salesfleet tenant database: ${why}`, [{ path: 'database', message: why }]);
}

interface ValidatedAdoption extends TenantFields {
  slug: string;
  multiLocation: boolean;
  spec: DatabaseSpec;
  sourceFile: string | null;
}

function validateAdoption(ctx: ProvisioningContext, input: AdoptTenantInput): ValidatedAdoption {
  const slug = validateSlug(input.subdomain);
  const problems: { path: string; message: string }[] = [];
  const fields = validateTenantFields(input, problems);
  let spec: DatabaseSpec | null = null;
  let sourceFile: string | null = null;
  try {
    spec = specFromParams(input.database);
    if (spec.engine === 'sqlite' && !spec.database) {
      problems.push({ path: 'database', message: 'give the SQLite file to adopt (sqlite:/path/to/file.sqlite)' });
    } else if (spec.engine === 'sqlite') {
      const own = sqliteTenantPath(slug);
      const given = resolve(spec.database);
      sourceFile = given === resolveSqlitePath(ctx.config.dataDir, own) ? null : given;
      if (sourceFile && !existsSync(sourceFile)) problems.push({ path: 'database', message: `${sourceFile} does not exist` });
      spec = { ...spec, database: own };
    } else {
      if (!spec.database) problems.push({ path: 'database', message: 'name the database to adopt (…/<database> in the URL)' });
      spec.host ??= '127.0.0.1';
      spec.port ??= DEFAULT_PORTS[spec.engine];
    }
  } catch (err) {
    if (err instanceof ValidationFailed) problems.push(...((err.details as { path: string; message: string }[]) ?? []));
    else throw err;
  }
  if (problems.length > 0 || !spec) {
    throw new ValidationFailed(`Invalid tenant: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, problems);
  }
  return { slug, ...fields, multiLocation: input.multiLocation === true, spec, sourceFile };
}

/** A consistent copy of a SQLite file (VACUUM INTO reads one snapshot), private like every tenant file. */
async function copySqlite(source: string, target: string): Promise<void> {
  if (existsSync(target)) throw new ValidationFailed(`${target} already exists`, [{ path: 'database', message: 'the tenant file exists' }]);
  makePrivateDir(dirname(target));
  const db = await new Promise<sqlite3.Database>((ok, fail) => {
    const opened = new sqlite3.Database(source, sqlite3.OPEN_READONLY, (err) => (err ? fail(err) : ok(opened)));
  });
  try {
    await new Promise<void>((ok, fail) => db.run('VACUUM INTO ?', [target], (err) => (err ? fail(err) : ok())));
  } finally {
    await new Promise<void>((ok) => db.close(() => ok()));
  }
  makePrivate(target);
}
