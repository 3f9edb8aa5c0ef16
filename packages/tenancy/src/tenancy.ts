import { SESSION_MODEL_NAMES, defineTenantModels, generatePassword } from '@salesfleet/models';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger, type Logger } from './logger';
import { type Config, platformUrl, registrySpec, tenantUrl } from './config';
import { TenantConnections, type OpenedTenant } from './connections';
import { SchemaPools } from './schema-pools';
import { TenantInstances } from './tenant-instances';
import { SecretBox } from './crypto';
import {
  closeSequelize,
  connectSequelize,
  driverFor,
  openSequelize,
  parseDatabaseUrl,
  resolveSqlitePath,
  throughPooler,
  type DatabaseSpec,
} from './drivers/index';
import { redact } from './mask';
import { FleetJobs } from './fleet-jobs/fleet-jobs';
import { OperationsLog } from './operations';
import { Provisioner, type ProvisionerTestHooks } from './provisioning/index';
import { connectPolledChangeFeed, type RegistryChangeFeed } from './registry/change-feed';
import { connectRegistryNotifications } from './registry/notify';
import { RegistryLocks } from './registry/locks';
import { Registry } from './registry/registry';
import type { PlatformAdminRecord } from './registry/records';
import { HostRouter } from './router';
import { SpareSchemas } from './spare-schemas';
import { TemplateCache } from './templates';
import { ProcessCensus, shareOfBudget } from './process-census';
import { DatabaseExists, DatabaseUnreachable, RegistryNotReady, validatePasswordStrength, ValidationFailed } from '@salesfleet/contracts';

/** Everything tenancy offers, wired together for one process. */
export interface Tenancy {
  readonly config: Config;
  readonly registry: Registry;
  readonly connections: TenantConnections;
  readonly router: HostRouter;
  readonly provisioner: Provisioner;
  /** Fleet jobs (migrate, health, backup) recorded in the registry; the API also runs `startSweeper()`. */
  readonly jobs: FleetJobs;
  readonly operations: OperationsLog;
  /**
   * Other processes' registry changes as this process receives them (opened with `listen`; null
   * otherwise): `confirmedAt` is the epoch ms before which every change has been delivered, and a
   * resync (the PostgreSQL listener came back after a gap whose notifications are lost) tells every
   * cache that trusted the feed to drop what it holds. The router, the API's session cache.
   */
  readonly changeFeed: TenancyChangeFeed | null;
  /** Where tenancy reports failures it handled (the `logger` option; silent by default). */
  readonly logger: Logger;
  /** Registry migrations applied by `openTenancy` itself (with `migrateRegistry`). */
  readonly registryMigrationsApplied: string[];
  /** The registry's PostgreSQL/MySQL database did not exist and `openTenancy` created it (with `migrateRegistry`). */
  readonly registryDatabaseCreated: boolean;
  /** `http://<slug>.<first base domain>:<port>/` (https and no port in production). */
  tenantUrl(slug: string): string;
  /** The platform's own URL (`http://localhost:8000/`). */
  platformUrl(): string;
  /** Closes tenant handles (after in-flight work), notifications and the registry. */
  close(): Promise<void>;
}

export interface TenancyChangeFeed {
  confirmedAt(): number;
  /** Called after a resync; returns the unsubscribe function. */
  onResync(listener: () => void): () => void;
}

export interface OpenTenancyOptions {
  /**
   * Apply pending registry migrations (the API at start-up, CLI `init`). Default false: pending → RegistryNotReady.
   * Also creates the registry's PostgreSQL/MySQL database when the server does not have it yet.
   */
  migrateRegistry?: boolean;
  /** Clone new tenant databases from migrated templates (default true). */
  templates?: boolean;
  /** Router cache TTL (default 5000 ms). */
  routerTtlMs?: number;
  /** Registry on PostgreSQL: listen for other processes' changes (the API sets it). */
  listen?: boolean;
  /**
   * SQLite/MySQL registry: the change-feed origin this process shares with processes that relay
   * changes to it themselves (see PolledChangeFeedOptions.origin); their changes are not polled.
   */
  changeOrigin?: string;
  /**
   * Where tenancy reports failures it handles without throwing (a pino logger fits); default silent.
   * The API passes its pino logger, the CLI one that writes warnings to stderr.
   */
  logger?: Logger;
}

/** Internal extras for `@salesfleet/tenancy/testing`. */
export interface OpenTenancyInternals {
  provisionerHooks?: ProvisionerTestHooks;
  templateNamespace?: string;
  /** The process census's heartbeat (default 5 s). */
  censusBeatMs?: number;
}

// registrySpec, tenantUrl and platformUrl live with the configuration (no database layer there).
export { platformUrl, registrySpec, tenantUrl } from './config';

/**
 * A registry on a PostgreSQL/MySQL server whose database does not exist yet (the old system's
 * DATABASE_URL naming a fresh database, a new deployment) is created, and said so in the log. When
 * the existence check itself fails (no right to the maintenance database), the registry's own
 * connection reports the problem next.
 */
async function createRegistryDatabase(config: Config, spec: DatabaseSpec, logger: Logger): Promise<boolean> {
  if (spec.engine === 'sqlite') return false;
  const driver = driverFor(spec.engine);
  const ctx = { dataDir: config.dataDir, connectTimeoutMs: config.dbConnectTimeoutMs };
  try {
    if (await driver.exists(spec, ctx)) return false;
    await driver.create(spec, ctx);
  } catch (err) {
    if (err instanceof DatabaseExists) return false; // another process created it meanwhile
    logger.warn(
      { database: spec.database, err: redact((err as Error).message, [spec.password]) },
      'could not create the registry database',
    );
    return false;
  }
  logger.info({ database: spec.database, engine: spec.engine, host: spec.host }, 'registry database created (it did not exist)');
  return true;
}

/**
 * A `postgres-schema` tenant's handle: the shared database's instance and models, its work bound to
 * its schema by `run`. The first handle on a database proves it reachable; later ones are free.
 */
async function openSchemaTenant(pools: SchemaPools, spec: DatabaseSpec, slug: string): Promise<OpenedTenant> {
  const db = pools.acquire(spec);
  const schema = spec.schema!;
  try {
    if (db.refs === 1) await connectSequelize(db.sequelize);
  } catch (err) {
    pools.release(db);
    throw new DatabaseUnreachable(`of tenant "${slug}"`, redact((err as Error).message, [spec.password]));
  }
  let released = false;
  return {
    sequelize: db.sequelize,
    models: db.models,
    run: (fn) => db.run(schema, fn),
    close: async () => {
      if (released) return;
      released = true;
      pools.release(db);
    },
  };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A PostgreSQL tenant's handle (a database of its own) on a spare instance of its server when there
 * is one — its models already defined, only its pool rebound (tenant-instances.ts) — else on a new one.
 * The first connection proves the database (no separate `SELECT 1` round trip) and stays in the pool
 * (poolMin 1) for the first query. While a new instance's first connection is being established, the
 * models every signed-in request reads are defined — one per event-loop turn, so the driver's socket
 * callbacks keep the connection moving between them.
 */
async function openPostgresTenant(instances: TenantInstances, spec: DatabaseSpec, slug: string): Promise<OpenedTenant> {
  const bound = instances.acquire(spec, slug);
  const { instance, binding } = bound;
  const connected = instance
    .run(binding, () => connectSequelize(instance.sequelize))
    .then(
      () => null,
      (err: unknown) => err as Error,
    );
  if (bound.fresh) {
    for (const name of SESSION_MODEL_NAMES) {
      await nextTurn();
      void instance.models[name];
    }
  }
  const failure = await connected;
  if (failure) {
    await instances.release(bound);
    throw new DatabaseUnreachable(`of tenant "${slug}"`, redact(failure.message, [spec.password]));
  }
  return {
    sequelize: instance.sequelize,
    models: instance.models,
    run: (fn) => instance.run(binding, fn),
    close: () => instances.release(bound),
  };
}

/** Opens the registry and wires the connection cache, router, provisioner and operations log. */
export async function openTenancy(config: Config, options: OpenTenancyOptions = {}): Promise<Tenancy> {
  return openTenancyWith(config, options, {});
}

export async function openTenancyWith(config: Config, options: OpenTenancyOptions, internals: OpenTenancyInternals): Promise<Tenancy> {
  const secrets = new SecretBox(config.secretKey);
  const spec = registrySpec(config);
  const logger = options.logger ?? silentLogger;
  const registryDatabaseCreated = options.migrateRegistry === true && (await createRegistryDatabase(config, spec, logger));
  const sequelize = openSequelize(spec, {
    dataDir: config.dataDir,
    create: true,
    poolMax: 5,
    connectTimeoutMs: config.dbConnectTimeoutMs,
  });
  const locks = new RegistryLocks(spec, { dataDir: config.dataDir, connectTimeoutMs: config.dbConnectTimeoutMs, logger });
  const registry = new Registry(sequelize, secrets, { logger, locks });
  try {
    await sequelize.authenticate();
  } catch (err) {
    await sequelize.close().catch(() => undefined);
    throw new DatabaseUnreachable('of the registry', redact((err as Error).message, [spec.password]));
  }

  let registryMigrationsApplied: string[] = [];
  try {
    if (options.migrateRegistry) {
      registryMigrationsApplied = (await registry.migrate()).applied;
    } else {
      const { pending } = await registry.migrationStatus();
      if (pending.length > 0) throw new RegistryNotReady(pending);
    }
    if (config.tenantServers.length > 0) {
      const seeded = await registry.servers.seed(config.tenantServers);
      if (seeded.length > 0) logger.info({ servers: seeded }, 'tenant servers registered from SALESFLEET_TENANT_SERVERS');
    }
  } catch (err) {
    await registry.close().catch(() => undefined);
    throw err;
  }

  // Tenants on the pooled server are served through the pooler (provisioning and maintenance go direct).
  const tenantServer = config.tenantServerUrl ? parseDatabaseUrl(config.tenantServerUrl) : null;
  const tenantPooler = config.tenantPoolerUrl ? parseDatabaseUrl(config.tenantPoolerUrl) : null;
  // `postgres-schema` tenants: one pool and one model set per shared database, bound per request.
  const schemaPools = new SchemaPools({
    dataDir: config.dataDir,
    poolMax: config.schemaPoolMax,
    poolMin: 1,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    acquireTimeoutMs: config.dbConnectTimeoutMs,
    idleMs: config.tenantIdleMs,
    logger,
  });
  // PostgreSQL tenants with a database of their own: instances and model sets reused between handles.
  const instances = new TenantInstances({
    dataDir: config.dataDir,
    poolMax: config.tenantPoolMax,
    // A cached handle keeps one connection as long as the handle itself (burst connections above it
    // still close after the pool's 10 s idle): with min 0, a tenant seen less often than every 10 s
    // reconnected on every request while "warm". Backends stay ≤ open handles × poolMax.
    poolMin: 1,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    acquireTimeoutMs: config.dbConnectTimeoutMs,
    // As many as handles open at once while the cache cycles; a spare holds no connection, only its
    // model set (≤ ~340 KB with every model defined).
    spares: config.spareTenantInstances,
    logger,
  });
  const connections = new TenantConnections({
    maxOpen: config.maxOpenTenants,
    idleMs: config.tenantIdleMs,
    slotWaitMs: config.dbConnectTimeoutMs,
    logger,
    open: async (tenant) => {
      const tenantSpec = throughPooler(registry.databaseSpecOf(tenant), tenantServer, tenantPooler);
      if (tenantSpec.schema) return openSchemaTenant(schemaPools, tenantSpec, tenant.slug);
      if (tenantSpec.engine === 'postgres') return openPostgresTenant(instances, tenantSpec, tenant.slug);
      if (
        tenantSpec.engine === 'sqlite' &&
        !(await driverFor('sqlite').exists(tenantSpec, { dataDir: config.dataDir, connectTimeoutMs: 0 }))
      ) {
        throw new DatabaseUnreachable(`of tenant "${tenant.slug}"`, 'its SQLite file does not exist');
      }
      const tenantSequelize = openSequelize(tenantSpec, {
        dataDir: config.dataDir,
        tenant: true,
        poolMax: config.tenantPoolMax,
        // A cached handle keeps one connection as long as the handle itself (burst connections above it
        // still close after the pool's 10 s idle): with min 0, a tenant seen less often than every 10 s
        // reconnected on every request while "warm". Backends stay ≤ open handles × poolMax.
        poolMin: 1,
        connectTimeoutMs: config.dbConnectTimeoutMs,
        acquireTimeoutMs: config.dbConnectTimeoutMs,
      });
      // The first connection proves the database (no separate `SELECT 1` round trip) and stays in the
      // pool (poolMin 1) for the first query. While it is being established, the models every
      // signed-in request reads are defined — one per event-loop turn, so the driver's socket or
      // file-open callbacks keep the connection moving between them.
      const connected = connectSequelize(tenantSequelize).then(
        () => null,
        (err: unknown) => err as Error,
      );
      const models = defineTenantModels(tenantSequelize);
      for (const name of SESSION_MODEL_NAMES) {
        await nextTurn();
        void models[name];
      }
      const failure = await connected;
      if (failure) {
        await closeSequelize(tenantSequelize, 1000);
        throw new DatabaseUnreachable(`of tenant "${tenant.slug}"`, redact(failure.message, [tenantSpec.password]));
      }
      if (tenantSpec.engine !== 'sqlite') return { sequelize: tenantSequelize, models };
      // The file this handle writes to; deleted (unlinked) or replaced by another process → not there.
      const path = resolveSqlitePath(config.dataDir, tenantSpec.database);
      const opened = statSync(path);
      const stillThere = () => {
        try {
          const now = statSync(path);
          return now.ino === opened.ino && now.dev === opened.dev;
        } catch {
          return false;
        }
      };
      return { sequelize: tenantSequelize, models, stillThere };
    },
  });

  let feed: RegistryChangeFeed | null = null;
  const resyncListeners = new Set<() => void>();
  const router = new HostRouter({
    baseDomains: config.baseDomains,
    lookup: registry,
    ttlMs: options.routerTtlMs ?? 5000,
    logger,
    changesConfirmedAt: () => feed?.confirmedAt() ?? 0,
  });
  // Counts the API processes sharing a server's connection budget (set further down when there is one).
  let census: ProcessCensus | null = null;
  registry.onChange((change) => {
    // Another process started or stopped: its share of the budget is counted again now.
    if (change.kind === 'processes-changed') {
      if (change.remote) census?.recount();
      return;
    }
    // Users of a tenant changed (sessions, permissions): no concern of the router or the connections.
    if (change.kind === 'tenant-users-changed') return;
    router.applyChange(change);
    // Only a change that may move the database or stop its service (or a deletion) closes the tenant's
    // connections in every process. Others reach an open handle through the newer record the router
    // resolves next (acquire compares it): a fleet migration's schema versions no longer make every
    // process reconnect to every tenant.
    if (change.kind === 'tenant-deleted' || change.keepConnections !== true) connections.invalidate(change.tenantId);
  });

  // How other processes' changes arrive: LISTEN/NOTIFY on PostgreSQL, the polled change table elsewhere.
  feed =
    spec.engine === 'postgres'
      ? await connectRegistryNotifications(registry, spec, {
          listen: options.listen === true,
          connectTimeoutMs: config.dbConnectTimeoutMs,
          logger,
          onResync: () => {
            router.clear();
            for (const listener of resyncListeners) listener();
          },
        })
      : await connectPolledChangeFeed(registry, {
          listen: options.listen === true,
          logger,
          ...(options.changeOrigin ? { origin: options.changeOrigin } : {}),
        });

  const operations = new OperationsLog(registry, join(config.dataDir, 'logs', 'tenant_operations.log'), logger);
  const templates =
    options.templates === false
      ? undefined
      : new TemplateCache({
          dataDir: config.dataDir,
          connectTimeoutMs: config.dbConnectTimeoutMs,
          namespace: internals.templateNamespace,
          logger,
        });
  const spares = templates && config.spareSchemas > 0 ? new SpareSchemas({ templates, count: config.spareSchemas, logger }) : undefined;
  const provisioner = new Provisioner({
    config,
    registry,
    operations,
    connections,
    templates,
    spares,
    tenantUrl: (slug) => tenantUrl(config, slug),
    hooks: internals.provisionerHooks,
    logger,
  });

  const jobs = new FleetJobs({ config, registry, operations, provisioner, logger });

  // A tenant server's connection budget shared by every API process: each serving process counts the
  // live ones (registry heartbeats) and keeps its share of handles open.
  const budget = config.serverConnectionBudget;
  if (options.listen === true && budget !== null) {
    census = new ProcessCensus(registry, {
      ...(internals.censusBeatMs ? { beatMs: internals.censusBeatMs } : {}),
      logger,
      onCount: (live) => {
        const share = shareOfBudget(budget, config.tenantPoolMax, live, config.maxOpenTenants);
        if (share !== connections.maxOpen) {
          logger.info({ live, budget, openTenants: share }, 'connection budget share changed');
          connections.setMaxOpen(share);
        }
      },
    });
    try {
      await census.start();
    } catch (err) {
      await connections.closeAll().catch(() => undefined);
      await instances.closeAll().catch(() => undefined);
      await feed?.stop().catch(() => undefined);
      await registry.close().catch(() => undefined);
      throw err;
    }
  }

  let closing: Promise<void> | null = null;
  return {
    config,
    registry,
    connections,
    router,
    provisioner,
    jobs,
    operations,
    changeFeed:
      options.listen === true
        ? {
            confirmedAt: () => feed?.confirmedAt() ?? 0,
            onResync(listener) {
              resyncListeners.add(listener);
              return () => resyncListeners.delete(listener);
            },
          }
        : null,
    logger,
    registryMigrationsApplied,
    registryDatabaseCreated,
    tenantUrl: (slug) => tenantUrl(config, slug),
    platformUrl: () => platformUrl(config),
    close() {
      closing ??= (async () => {
        await census?.stop();
        await spares?.close();
        await jobs.close();
        await connections.closeAll();
        await schemaPools.closeAll();
        await instances.closeAll();
        await feed?.stop();
        await registry.close();
      })();
      return closing;
    },
  };
}

export interface InitRegistryOptions {
  /** The first platform admin; created only when there is none. */
  admin?: { username?: string; email?: string; password?: string };
  actor: string;
}

export interface InitRegistryResult {
  /** Registry migrations applied by this process: when the tenancy was opened and by this call. */
  migrated: string[];
  /** The admin created now (null when one existed); `oneTimePassword` only when generated. */
  admin: (PlatformAdminRecord & { oneTimePassword?: string }) | null;
  platformAdmins: number;
}

/**
 * Migrates the registry and creates the first platform admin when there is none — with the given
 * password (strength-checked) or a generated one-time password that must be changed at first login.
 * Idempotent: a second run applies nothing and creates nobody. For CLI `init` and `pnpm start`.
 */
export async function initRegistry(tenancy: Tenancy, options: InitRegistryOptions): Promise<InitRegistryResult> {
  const { registry } = tenancy;
  const { applied } = await registry.migrate();
  const migrated = [...tenancy.registryMigrationsApplied, ...applied];
  const run = await tenancy.operations.begin('init-registry', {
    actor: options.actor,
    details: { migrated, username: options.admin?.username ?? 'admin', passwordGiven: Boolean(options.admin?.password) },
    secrets: [options.admin?.password],
  });
  try {
    // Two processes starting on a new registry: one creates the first admin, the other then sees it.
    const { existing, admin } = await registry.locks.withLock(
      'first-platform-admin',
      async () => {
        const existing = await registry.countPlatformAdmins();
        let admin: InitRegistryResult['admin'] = null;
        if (existing === 0) {
          const username = (options.admin?.username ?? 'admin').trim().toLowerCase();
          const base = tenancy.config.baseDomains[0]!;
          const email = (options.admin?.email ?? `admin@${base.includes('.') ? base : 'salesfleet.local'}`).trim().toLowerCase();
          const given = options.admin?.password;
          if (given) {
            const problems = validatePasswordStrength(given, { username, email });
            if (problems.length) {
              throw new ValidationFailed(
                `Weak platform admin password: ${problems.join(' ')}`,
                problems.map((message) => ({ path: 'password', message })),
              );
            }
          }
          const password = given || generatePassword();
          const record = await registry.createPlatformAdmin({ username, email, password, mustChangePassword: !given });
          admin = given ? record : { ...record, oneTimePassword: password };
          await run.note('create_platform_admin', 'succeeded', { username, email, passwordGiven: Boolean(given) });
        }
        return { existing, admin };
      },
      { busy: 'creating the first platform admin' },
    );
    await run.succeed();
    return { migrated, admin, platformAdmins: existing + (admin ? 1 : 0) };
  } catch (err) {
    await run.fail(err);
    throw err;
  }
}
