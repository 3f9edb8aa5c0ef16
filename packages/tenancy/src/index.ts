/**
 * @salesfleet/tenancy — the multi-tenant core: configuration, the registry (control plane), database
 * drivers, the connection cache, the host router and the provisioner. No HTTP here.
 *
 * Typical use (the API's start-up, a CLI command):
 *
 *   loadDotEnv();
 *   const config = loadConfig();                                   // ConfigError names the variable
 *   const tenancy = await openTenancy(config, { migrateRegistry: true });
 *   const where = await tenancy.router.resolveHost(hostHeader);    // platform | tenant | unavailable | unknown
 *   if (where.kind === 'tenant') await tenancy.connections.withTenant(where.tenant, ({ models }) => …);
 *   await tenancy.provisioner.createTenant({ name, subdomain, adminEmail }, { actor: 'cli:alice' });
 *   await tenancy.close();
 *
 * Public API
 * - Config: `loadDotEnv(path?)`, `loadConfig(env?) → Config` (ConfigError names the variable; the
 *   development secret key is generated once into `<dataDir>/secret.key`, 0600), `makeConfig(values)`
 *   (tests/embedding), `describeConfig(config)` (masked), `trustedProxyMatcher(entries) → (peer) => boolean`.
 * - Wiring: `openTenancy(config, { migrateRegistry?, templates?, routerTtlMs?, listen?, logger? }) → Tenancy`
 *   `{ config, registry, connections, router, provisioner, operations, registryMigrationsApplied,
 *   tenantUrl(slug), platformUrl(), close() }` (without `migrateRegistry` a pending registry throws
 *   RegistryNotReady); `initRegistry(tenancy, { actor, admin?: { username?, email?, password? } })
 *   → { migrated, admin: PlatformAdminRecord & { oneTimePassword? } | null, platformAdmins }`;
 *   `tenantUrl(config, slug)`, `platformUrl(config)`, `registrySpec(config)`.
 * - Router: `new HostRouter({ baseDomains, lookup, ttlMs?, staleMs? })`, `resolveHost(host) → HostResolution`
 *   (`platform` | `tenant` | `unavailable` with reason | `unknown` with reason — see router.ts),
 *   `invalidate({ slug?, tenantId?, domain? })`, `clear()`, `stats()` (hits, misses, staleServed,
 *   refreshes, refreshErrors, cached); pure helpers `normalizeHost(raw)`,
 *   `matchHost(host, bases)`, `tenantAvailability(tenant, now?)`,
 *   `effectiveHost(host, xForwardedHost, peer, isTrustedProxy)`.
 * - Connections: `TenantConnections#acquire(tenant) → TenantLease { handle: { tenant, sequelize, models, version }, release() }`,
 *   `withTenant(tenant, fn)`, `invalidate(idOrSlug)`, `evict(idOrSlug)` (waits until closed), `has`,
 *   `stats() → { hits, misses, evictions, open, opening, waiting, maxOpen, serverRefusals }`, `sweepIdle()`,
 *   `closeAll()`; a server refusing a new connection for too many clients (PG 53300, MySQL 1040) makes the
 *   cache close its least recently used idle handles on that server and open once more.
 * - Connection budget: `checkConnectionBudget({ config, registry }) → ServerBudget[]` (per tenant server:
 *   min(max open, tenants there) × pool max vs the server's max_connections − reserved, with the fix when it
 *   can exceed it), `connectionBudgetWarnings(tenancy) → string[]` (one line per server that can be exceeded).
 * - Provisioner: `createTenant(input, { actor, dryRun?, onStep? }) → CreatedTenant | DryRunResult`,
 *   `deleteTenant(slug, { actor, keepDatabase? })`, `migrateTenants({ actor, slug?, check?, dryRun?,
 *   concurrency?, skipRegistry?, onProgress? }) → FleetMigrationResult`, `migrateTenant(slug, { actor, check? })`,
 *   `tenantHealth(slug)`, `fleetHealth({ concurrency? })`, `suspendTenant(slug, { actor, reason? })`,
 *   `resumeTenant(slug, { actor })`, `updateTenant(slug, patch, { actor, expectedVersion? })`,
 *   `listDomains(slug)`, `addDomain(slug, domain, { actor, primary? })`, `removeDomain(slug, domain, { actor })`,
 *   `tenantUsers(slug)`, `fixAdminGroups(slug, { actor, username? })`. `PROVISION_STEPS` lists the steps.
 * - Registry: tenants (`listTenants`, `countTenants`, `findTenant`/`getTenant`, `findTenantById`,
 *   `findTenantByDomain`, `insertTenant`, `updateTenant(id, patch, { expectedVersion? })`,
 *   `setSchemaVersions`, `deleteTenant`, `sealPassword`, `databaseSpecOf` — decrypts), domains
 *   (`listDomains`, `addDomain`, `removeDomain`), platform admins (`createPlatformAdmin`,
 *   `findPlatformAdmin`, `getPlatformAdmin`, `authenticatePlatformAdmin`, `verifyPlatformAdminPassword`,
 *   `setPlatformAdminPassword`, `setPlatformAdminActive`, `recordPlatformAdminLogin`, `countPlatformAdmins`,
 *   `listPlatformAdmins`), platform sessions (`createPlatformSession → { token, session }`,
 *   `findPlatformSession(token)`, `revokePlatformSession`, `revokePlatformSessionsOf`,
 *   `purgeExpiredPlatformSessions`), operations (`insertOperations`, `listOperations(filter)`),
 *   `migrate()`, `migrationStatus()`, `ping()`, change events (`onChange(listener) → unsubscribe`).
 * - Operations log: `OperationsLog#begin(action, ctx) → OperationRun` (`step`, `note`, `succeed`, `fail`),
 *   `record`, `list`; rows in the registry and JSON lines in `<dataDir>/logs/tenant_operations.log`.
 * - Drivers: `parseDatabaseUrl`, `specFromParams`, `normalizeEngine`, `describeSpec`, `specToUrl`, `maskUrl`,
 *   `driverFor(engine)` (exists/inspect/create/drop/ping/sizeBytes), `openSequelize(spec, opts)`,
 *   `closeSequelize`, `managedDatabaseName(slug)`, `sqliteTenantPath(slug)`, `resolveSqlitePath`.
 * - Logging: `Logger` (pino-compatible `{ error, warn, info, debug, child? }`, passed as `openTenancy`'s
 *   `logger`; every failure tenancy handles without throwing is logged there), `silentLogger`,
 *   `lineLogger(level, write?)` (one line per entry, stderr by default), `childLogger`, `errorText(err, secrets)`.
 * - Secrets: `SecretBox` (AES-256-GCM), `maskSecrets`, `redact`, `maskUrlsInText`, `isSecretKey`.
 * - Errors, slug/email/username/password rules, engines and tenant statuses: @salesfleet/contracts.
 *
 * - Fleet jobs: `tenancy.jobs` (`FleetJobs`): `start(kind, options, { actor }) → { job, started }` (one job per
 *   kind across every process; a second start answers the running job with `started: false`), `list`, `get`,
 *   `tenants(id)`, `settled(id)`, `resumeAbandoned()`, `startSweeper()`; `startHealthSchedule(jobs, intervalMs)`;
 *   health history: `registry.healthHistory(tenantId, { since })`, `pruneHealthSamples()`.
 *
 * Test helpers: `@salesfleet/tenancy/testing` — `createTestTenancy({ engine?, registryEngine?, dataDir?,
 * failAt?, config?, …OpenTenancyOptions }) → TestTenancy` (a Tenancy on a temporary data dir;
 * `cleanup()` drops what it made) and `testSlug(prefix?)`.
 */

export {
  loadConfig,
  loadDotEnv,
  makeConfig,
  describeConfig,
  parseHealthInterval,
  trustedProxyMatcher,
  type Config,
  type NodeEnv,
} from './config';
export { SecretBox } from './crypto';
export { childLogger, errorText, lineLogger, silentLogger, type LogFn, type LogLevel, type Logger } from './logger';
export { MASK, maskSecrets, maskUrlsInText, redact, isSecretKey } from './mask';
export {
  DEFAULT_PORTS,
  databaseKey,
  MIGRATIONS_TABLE,
  describeSpec,
  driverFor,
  managedDatabaseName,
  maskUrl,
  normalizeEngine,
  openSequelize,
  parseDatabaseUrl,
  resolveSqlitePath,
  sameDatabase,
  specFromParams,
  specToUrl,
  sqliteTenantPath,
  type CreateDatabaseOptions,
  type DatabaseDriver,
  type DatabaseInspection,
  type DatabaseParams,
  type DatabaseSpec,
  type DriverContext,
  type OpenSequelizeOptions,
} from './drivers/index';
export {
  Registry,
  TENANT_SORT_KEYS,
  normalizeDomain,
  tenantServerOf,
  type NewPlatformAdmin,
  type NewTenant,
  type OperationFilter,
  type OperationInsert,
  type PlatformSessionOptions,
  type RegistryChange,
  type RegistryListener,
  type TenantHealthUpdate,
  type HealthSampleRecord,
  type FleetHealthSummaryRecord,
  HEALTH_HISTORY_DAYS,
  type TenantListFilter,
  type TenantListQuery,
  type TenantPatch,
  type TenantSortKey,
} from './registry/registry';
export { defineRegistryModels, type OperationOutcome, type RegistryModels } from './registry/models';
export {
  PLACEMENT_LOCK,
  TenantServers,
  parseTenantServers,
  type NewTenantServer,
  type TenantServerPatch,
  type TenantServerRecord,
} from './registry/tenant-servers';
export { pendingMigrationCount } from './registry/records';
export type {
  DomainRecord,
  OperationRecord,
  PlatformAdminRecord,
  PlatformSessionRecord,
  TenantDatabaseRecord,
  TenantHealthRecord,
  TenantRecord,
} from './registry/records';
export { OperationsLog, OperationRun, type OperationContext, type OperationLogLine } from './operations';
export { checkConnectionBudget, connectionBudgetWarnings, type BudgetSource, type ServerBudget } from './connection-budget';
export {
  TenantConnections,
  type ConnectionStats,
  type OpenedTenant,
  type TenantConnectionsOptions,
  type TenantHandle,
  type TenantLease,
} from './connections';
export {
  HostRouter,
  effectiveHost,
  matchHost,
  normalizeHost,
  tenantAvailability,
  type HostMatch,
  type HostResolution,
  type HostRouterOptions,
  type HostRouterStats,
  type TenantLookup,
} from './router';
export {
  PROVISION_STEPS,
  PROVISIONING_LEASE_MS,
  Provisioner,
  MigrateWorkers,
  defaultMigrationWorkers,
  FLEET_WORKERS_FROM_TENANTS,
  creatorGone,
  type AbandonedTenant,
  type AdoptStep,
  type AdoptTenantInput,
  type AdoptTenantOptions,
  type AdoptedTenant,
  type MissingDatabasesReport,
  type OrphanDatabase,
  type TenantWithoutDatabase,
  type OrphanReport,
  type RemovedOrphans,
  isEmptyDatabase,
  type ActorOptions,
  type CreateTenantInput,
  type CreateTenantOptions,
  type CreatedTenant,
  type DeleteTenantOptions,
  type DeletedTenant,
  type DryRunCheck,
  type DryRunResult,
  type FleetMigrationResult,
  type MigrateTenantsOptions,
  type MigrationSource,
  type MigrationResult,
  type ProvisionStep,
  type TenantHealth,
  type TenantUpdate,
  type TenantUser,
} from './provisioning/index';
export { TemplateCache } from './templates';
export {
  initRegistry,
  openTenancy,
  platformUrl,
  registrySpec,
  tenantUrl,
  type InitRegistryOptions,
  type InitRegistryResult,
  type OpenTenancyOptions,
  type Tenancy,
  type TenancyChangeFeed,
} from './tenancy';
export * from './data-safety/index';
export {
  FLEET_JOB_KINDS,
  FleetJobs,
  type FleetJobCounts,
  type FleetJobKind,
  type FleetJobOptions,
  type FleetJobRecord,
  type FleetJobState,
  type FleetJobTenantRecord,
  type FleetJobTenantState,
} from './fleet-jobs/fleet-jobs';
export { startHealthSchedule, type HealthSchedule } from './fleet-jobs/health-schedule';
export { BACKUP_SCHEDULE_SYNTAX, nextBackupTime, parseBackupSchedule, type BackupSchedule } from './backup-schedule';
