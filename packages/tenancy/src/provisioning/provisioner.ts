import { silentLogger } from '../logger';
import type { DomainRecord, TenantRecord } from '../registry/records';
import { adoptTenant, type AdoptedTenant, type AdoptTenantInput, type AdoptTenantOptions } from './adopt-tenant';
import type { ProvisioningContext } from './context';
import { createTenant } from './create-tenant';
import { deleteTenant } from './delete-tenant';
import { migrateTenant, migrateTenants } from './migrate-tenants';
import {
  findTenantsWithoutDatabase,
  removeTenantsWithoutDatabase,
  type MissingDatabasesReport,
  type TenantWithoutDatabase,
} from './missing-databases';
import { findOrphans, removeOrphans, type OrphanReport, type RemovedOrphans } from './orphans';
import { fleetHealth, tenantHealth, type FleetHealthOptions } from './tenant-health';
import { addDomain, listDomains, removeDomain } from './tenant-domains';
import { addTenantServer, removeTenantServer, updateTenantServer } from './tenant-servers';
import type { NewTenantServer, TenantServerPatch, TenantServerRecord } from '../registry/tenant-servers';
import { resumeTenant, suspendTenant, updateTenant } from './tenant-lifecycle';
import { fixAdminGroups, tenantUsers } from './tenant-users';
import type {
  ActorOptions,
  CreatedTenant,
  CreateTenantInput,
  CreateTenantOptions,
  DeletedTenant,
  DeleteTenantOptions,
  DryRunResult,
  FleetMigrationResult,
  MigrateTenantsOptions,
  MigrationResult,
  ProvisionerDeps,
  TenantHealth,
  TenantUpdate,
  TenantUser,
} from './types';

/**
 * Tenant lifecycle, one use case per file of this folder: create (create-tenant.ts), delete,
 * fleet migrations, health, suspend/resume/update (tenant-lifecycle.ts), domains and tenant users.
 * This class only binds them to one tenancy's parts; every operation is recorded in the operations log.
 */
export class Provisioner {
  readonly #ctx: ProvisioningContext;

  constructor(deps: ProvisionerDeps) {
    this.#ctx = { ...deps, hooks: deps.hooks ?? {}, logger: deps.logger ?? silentLogger };
  }

  /** Resolves when the spare schemas being made in the background (after schema-tenant creations) are made. */
  spareSchemasSettled(): Promise<void> {
    return this.#ctx.spares?.settled() ?? Promise.resolve();
  }

  createTenant(input: CreateTenantInput, options: CreateTenantOptions & { dryRun: true }): Promise<DryRunResult>;
  createTenant(input: CreateTenantInput, options: CreateTenantOptions & { dryRun?: false }): Promise<CreatedTenant>;
  createTenant(input: CreateTenantInput, options: CreateTenantOptions): Promise<CreatedTenant | DryRunResult>;
  createTenant(input: CreateTenantInput, options: CreateTenantOptions): Promise<CreatedTenant | DryRunResult> {
    return createTenant(this.#ctx, input, options);
  }

  /** Registers a database that already holds a Salesfleet tenant (the old manual_setup_tenant). */
  adoptTenant(input: AdoptTenantInput, options: AdoptTenantOptions): Promise<AdoptedTenant> {
    return adoptTenant(this.#ctx, input, options);
  }

  deleteTenant(slug: string, options: DeleteTenantOptions): Promise<DeletedTenant> {
    return deleteTenant(this.#ctx, slug, options);
  }

  migrateTenants(options: MigrateTenantsOptions): Promise<FleetMigrationResult> {
    return migrateTenants(this.#ctx, options);
  }

  migrateTenant(slug: string, options: ActorOptions & { check?: boolean }): Promise<MigrationResult> {
    return migrateTenant(this.#ctx, slug, options);
  }

  tenantHealth(slug: string): Promise<TenantHealth> {
    return tenantHealth(this.#ctx, slug);
  }

  fleetHealth(options: FleetHealthOptions = {}): Promise<TenantHealth[]> {
    return fleetHealth(this.#ctx, options);
  }

  suspendTenant(slug: string, options: ActorOptions & { reason?: string | null }): Promise<TenantRecord> {
    return suspendTenant(this.#ctx, slug, options);
  }

  resumeTenant(slug: string, options: ActorOptions): Promise<TenantRecord> {
    return resumeTenant(this.#ctx, slug, options);
  }

  updateTenant(slug: string, update: TenantUpdate, options: ActorOptions & { expectedVersion?: number }): Promise<TenantRecord> {
    return updateTenant(this.#ctx, slug, update, options);
  }

  listDomains(slug: string): Promise<DomainRecord[]> {
    return listDomains(this.#ctx, slug);
  }

  addDomain(slug: string, domain: string, options: ActorOptions & { primary?: boolean }): Promise<DomainRecord> {
    return addDomain(this.#ctx, slug, domain, options);
  }

  removeDomain(slug: string, domain: string, options: ActorOptions): Promise<void> {
    return removeDomain(this.#ctx, slug, domain, options);
  }

  /** The registered tenant servers, with how many tenants each holds. */
  listTenantServers(): Promise<TenantServerRecord[]> {
    return this.#ctx.registry.servers.list();
  }

  addTenantServer(input: NewTenantServer, options: ActorOptions): Promise<TenantServerRecord> {
    return addTenantServer(this.#ctx, input, options);
  }

  updateTenantServer(name: string, patch: TenantServerPatch, options: ActorOptions): Promise<TenantServerRecord> {
    return updateTenantServer(this.#ctx, name, patch, options);
  }

  removeTenantServer(name: string, options: ActorOptions): Promise<void> {
    return removeTenantServer(this.#ctx, name, options);
  }

  /** Databases named like ours that no tenant owns, and rows whose creator crashed (check-tenants). */
  async findOrphans(): Promise<OrphanReport> {
    const { specs: _specs, ...report } = await findOrphans(this.#ctx);
    return report;
  }

  /** Drops orphan databases and deletes abandoned tenants (all, or those named in `only`). */
  removeOrphans(options: ActorOptions & { only?: readonly string[] }): Promise<RemovedOrphans> {
    return removeOrphans(this.#ctx, options);
  }

  /** Registry rows whose database is gone (the old clean_main_database lists them first). */
  findTenantsWithoutDatabase(): Promise<MissingDatabasesReport> {
    return findTenantsWithoutDatabase(this.#ctx);
  }

  /** Deletes those rows (all, or the slugs in `only`); databases that came back keep theirs. */
  removeTenantsWithoutDatabase(options: ActorOptions & { only?: readonly string[] }): Promise<{ removed: TenantWithoutDatabase[] }> {
    return removeTenantsWithoutDatabase(this.#ctx, options);
  }

  tenantUsers(slug: string): Promise<TenantUser[]> {
    return tenantUsers(this.#ctx, slug);
  }

  fixAdminGroups(slug: string, options: ActorOptions & { username?: string }): Promise<{ username: string; groups: string[] }> {
    return fixAdminGroups(this.#ctx, slug, options);
  }
}
