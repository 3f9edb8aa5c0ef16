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
 * - Config: `loadDotEnv()`, `loadConfig(env?) → Config`, `makeConfig(values)`, `describeConfig(config)`,
 *   `trustedProxyMatcher(entries) → (peer) => boolean`.
 * - Wiring: `openTenancy(config, { migrateRegistry?, templates?, routerTtlMs?, listen? }) → Tenancy`
 *   `{ config, registry, connections, router, provisioner, operations, tenantUrl(slug), platformUrl(), close() }`;
 *   `initRegistry(tenancy, { admin?: { username?, email?, password? }, actor })` → `{ migrated, admin (+oneTimePassword), platformAdmins }`;
 *   `tenantUrl(config, slug)`, `platformUrl(config)`, `registrySpec(config)`.
 * - Router: `HostRouter#resolveHost(host) → HostResolution`, `normalizeHost(raw)`, `matchHost(host, bases)`,
 *   `tenantAvailability(tenant, now?)`, `effectiveHost(host, xForwardedHost, peer, isTrustedProxy)`.
 * - Connections: `TenantConnections#acquire(tenant) → TenantLease { handle: { tenant, sequelize, models, version }, release() }`,
 *   `withTenant(tenant, fn)`, `invalidate(idOrSlug)`, `evict(idOrSlug)`, `stats()`, `closeAll()`.
 * - Provisioner: `createTenant(input, { actor, dryRun?, onStep? })`, `deleteTenant(slug, { actor, keepDatabase? })`,
 *   `migrateTenants({ actor, slug?, check?, dryRun?, concurrency?, onProgress? })`, `migrateTenant(slug, …)`,
 *   `tenantHealth(slug)`, `fleetHealth({ concurrency? })`, `suspendTenant(slug, { actor, reason? })`,
 *   `resumeTenant`, `updateTenant(slug, patch, { actor, expectedVersion? })`, `listDomains`, `addDomain`,
 *   `removeDomain`, `tenantUsers(slug)`, `fixAdminGroups(slug, { actor, username? })`.
 * - Registry: tenants (list/find/get/by id/by domain/insert/update/delete, `databaseSpecOf`), domains,
 *   platform admins (`createPlatformAdmin`, `authenticatePlatformAdmin`, `setPlatformAdminPassword`…),
 *   platform sessions (`createPlatformSession → { token }`, `findPlatformSession(token)`, `revoke…`),
 *   operations (`listOperations(filter)`), change events (`onChange`).
 * - Operations log: `OperationsLog#begin(action, ctx) → OperationRun`, `record`, `list`.
 * - Drivers: `parseDatabaseUrl`, `specFromParams`, `normalizeEngine`, `describeSpec`, `maskUrl`,
 *   `driverFor(engine)` (exists/inspect/create/drop/ping/sizeBytes), `openSequelize(spec, opts)`,
 *   `managedDatabaseName(slug)`, `sqliteTenantPath(slug)`.
 * - Slugs: `validateSlug(slug)`, `isValidSlug`, `RESERVED_LABELS`.
 * - Secrets: `SecretBox` (AES-256-GCM), `maskSecrets`, `redact`, `maskUrlsInText`.
 * - Errors (stable codes): TenantNotFound, SlugTaken, SlugInvalid (code ValidationFailed),
 *   DatabaseUnreachable, DatabaseNotEmpty, DatabaseExists, ProvisioningFailed (`step`),
 *   TenantUnavailable (code TenantSuspended | TrialExpired | PaymentRequired | TenantUnavailable),
 *   ConfigError (`variable`), RegistryNotReady, SecretUndecryptable, ConnectionBudgetExhausted
 *   (code DatabaseUnreachable); LimitReached, ValidationFailed, Conflict, NotFound from @salesfleet/models.
 */

export { loadConfig, loadDotEnv, makeConfig, describeConfig, trustedProxyMatcher, type Config, type NodeEnv } from './config';
export {
  ConfigError,
  ConnectionBudgetExhausted,
  DatabaseExists,
  DatabaseNotEmpty,
  DatabaseUnreachable,
  ProvisioningFailed,
  RegistryNotReady,
  SecretUndecryptable,
  SlugInvalid,
  SlugTaken,
  TenantNotFound,
  TenantUnavailable,
  type UnavailableReason,
} from './errors';
export { LimitReached, ValidationFailed, Conflict, NotFound, SalesfleetError, isSalesfleetError } from '@salesfleet/models';
export { SecretBox } from './crypto';
export { MASK, maskSecrets, maskUrlsInText, redact, isSecretKey } from './mask';
export { validateSlug, isValidSlug, RESERVED_LABELS } from './slug';
export {
  DEFAULT_PORTS,
  ENGINES,
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
  type Engine,
  type OpenSequelizeOptions,
} from './drivers/index';
export {
  Registry,
  normalizeDomain,
  type NewPlatformAdmin,
  type NewTenant,
  type OperationFilter,
  type OperationInsert,
  type PlatformSessionOptions,
  type RegistryChange,
  type RegistryListener,
  type TenantPatch,
} from './registry/registry';
export { defineRegistryModels, TENANT_STATUSES, type OperationOutcome, type RegistryModels, type TenantStatus } from './registry/models';
export type {
  DomainRecord,
  OperationRecord,
  PlatformAdminRecord,
  PlatformSessionRecord,
  TenantDatabaseRecord,
  TenantRecord,
} from './registry/records';
export { OperationsLog, OperationRun, type OperationContext, type OperationLogLine } from './operations';
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
  type TenantLookup,
} from './router';
export {
  PROVISION_STEPS,
  Provisioner,
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
  type MigrationResult,
  type ProvisionStep,
  type TenantHealth,
  type TenantUpdate,
  type TenantUser,
} from './provisioner';
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
} from './tenancy';
