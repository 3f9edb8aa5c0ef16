export { Provisioner } from './provisioner';
export { defaultMigrationWorkers, FLEET_WORKERS_FROM_TENANTS, MigrateWorkers } from './migrate-workers';
export type { AdoptStep, AdoptTenantInput, AdoptTenantOptions, AdoptedTenant } from './adopt-tenant';
export { isEmptyDatabase } from './create-tenant';
export { withOperation } from './operation';
export { PROVISIONING_LEASE_MS, creatorGone } from './lease';
export type { MissingDatabasesReport, TenantWithoutDatabase } from './missing-databases';
export type { AbandonedTenant, OrphanDatabase, OrphanReport, RemovedOrphans } from './orphans';
export {
  PROVISION_STEPS,
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
  type ProvisionerDeps,
  type ProvisionerTestHooks,
  type TenantHealth,
  type TenantUpdate,
  type TenantUser,
} from './types';
