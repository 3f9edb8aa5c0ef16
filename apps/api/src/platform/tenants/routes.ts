import type { Context } from 'hono';
import { migrationNames } from '@salesfleet/migrations';
import {
  type Config,
  type DomainRecord,
  type Logger,
  type MigrationResult,
  type TenantHealth,
  type TenantRecord,
  pendingMigrationCount,
  tenantServerOf,
} from '@salesfleet/tenancy';
import type { PlatformAdminEnv } from '../../app-env';
import type { PlatformApiRoutes } from '../../http/api-routes';
import type { AppTenancy } from '../../tenancy';
import { UserCounts } from './user-counts';
import {
  AddDomainInputSchema,
  CreateTenantInputSchema,
  CreateTenantResultSchema,
  DeleteTenantInputSchema,
  DeleteTenantResultSchema,
  DomainListSchema,
  DomainParamSchema,
  DomainResultSchema,
  type Domain,
  DryRunResultSchema,
  MigrationResultBodySchema,
  type MigrationResult as MigrationResultJson,
  OperationListQuerySchema,
  OperationListSchema,
  SlugParamSchema,
  SuspendTenantInputSchema,
  type TenantDetail,
  TenantDetailResultSchema,
  type TenantHealth as TenantHealthJson,
  TenantHealthResultSchema,
  TenantListQuerySchema,
  TenantPageSchema,
  type TenantSummary,
  UpdateTenantInputSchema,
  ValidationFailed,
} from '@salesfleet/contracts';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function domainJson(d: DomainRecord): Domain {
  return { id: d.id, domain: d.domain, primary: d.primary, createdAt: d.createdAt.toISOString() };
}

function migrationJson(r: MigrationResult): MigrationResultJson {
  return {
    slug: r.slug,
    ok: r.ok,
    applied: r.applied,
    schemaVersion: r.schemaVersion,
    ...(r.error !== undefined ? { error: r.error } : r.skipped !== undefined ? { error: `skipped: ${r.skipped}` } : {}),
    durationMs: r.durationMs,
  };
}

function healthJson(h: TenantHealth): TenantHealthJson {
  return { ...h };
}

const actorOf = (c: Context<PlatformAdminEnv>) => `admin:${c.var.admin.admin.username}`;

/** A tenant as the console lists it: registry figures only, no tenant database opened. */
export function tenantSummaryJson(
  tenancy: Pick<AppTenancy, 'tenantUrl'>,
  t: TenantRecord,
  userCount: number | null = t.userCount,
): TenantSummary {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    status: t.status,
    engine: t.db.engine,
    adminEmail: t.adminEmail,
    url: tenancy.tenantUrl(t.slug),
    userCount,
    maxUsers: t.maxUsers,
    multiLocation: t.multiLocation,
    server: tenantServerOf(t),
    health: t.health
      ? {
          reachable: t.health.reachable,
          latencyMs: t.health.latencyMs,
          sizeBytes: t.health.sizeBytes,
          error: t.health.error,
          checkedAt: t.health.checkedAt.toISOString(),
        }
      : null,
    schemaVersion: t.schemaVersion,
    pendingMigrations: pendingMigrationCount(t, migrationNames('tenant')),
    trialEndsAt: iso(t.trialEndsAt),
    paidUntil: iso(t.paidUntil),
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

/**
 * `/api/platform/tenants…`, `/api/platform/health`, `/api/platform/operations`: the tenant lifecycle
 * for the admin console, per the Platform API contract (the whole fleet is migrated by a fleet job,
 * `POST /api/platform/jobs` with kind migrate). Every change goes
 * through the provisioner, which writes the registry; the registry's change events invalidate the
 * router and the connection cache before the response is sent.
 */
export function platformTenantRoutes(routes: PlatformApiRoutes, deps: { tenancy: AppTenancy; config: Config }): PlatformApiRoutes {
  const { tenancy } = deps;
  const { registry, provisioner } = tenancy;
  const userCounts = new UserCounts(tenancy);

  const summary = (t: TenantRecord, userCount: number | null = t.userCount): TenantSummary => tenantSummaryJson(tenancy, t, userCount);

  /** With `fresh`, the user count is read from the tenant's database (failures go to that logger). */
  const detail = async (t: TenantRecord, options: { fresh?: Logger } = {}): Promise<TenantDetail> => {
    const [count, domains] = await Promise.all([options.fresh ? userCounts.of(t, options.fresh) : t.userCount, registry.listDomains(t.id)]);
    return {
      ...summary(t, count),
      database: {
        engine: t.db.engine,
        host: t.db.host,
        port: t.db.port,
        name: t.db.name,
        schema: t.db.schema ?? null,
        user: t.db.user,
        passwordSet: t.db.passwordEncrypted !== null,
      },
      domains: domains.map(domainJson),
    };
  };

  routes.add(
    {
      method: 'get',
      path: '/tenants',
      summary:
        'One page of tenants, filtered (status, engine, server), searched and sorted by the registry alone — no tenant database is opened',
      query: TenantListQuerySchema,
      responses: {
        200: {
          description: 'The page and how many tenants match in all',
          schema: TenantPageSchema,
        },
      },
    },
    async (c, { query }) => {
      const { tenants, total } = await registry.pageTenants({
        limit: query.limit,
        offset: query.offset,
        sort: query.sort,
        direction: query.dir,
        ...(query.q ? { q: query.q } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.engine ? { engine: query.engine } : {}),
        ...(query.server ? { server: query.server } : {}),
      });
      return c.json({ tenants: tenants.map((t) => summary(t)), total, limit: query.limit, offset: query.offset });
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/tenants',
      summary: 'Create a tenant (database, schema, seed, admin); with dryRun only validate and check the database',
      body: CreateTenantInputSchema,
      responses: {
        201: {
          description: 'Created; the one-time password is shown only this once',
          schema: CreateTenantResultSchema,
        },
        200: { description: 'Dry run: what would happen', schema: DryRunResultSchema },
        409: { description: 'SlugTaken, LimitReached, DatabaseNotEmpty, DatabaseExists' },
        503: { description: 'DatabaseUnreachable' },
      },
    },
    async (c, { body }) => {
      const { dryRun, ...input } = body;
      const args = {
        name: input.name,
        subdomain: input.subdomain,
        adminEmail: input.adminEmail,
        ...(input.adminUsername !== undefined ? { adminUsername: input.adminUsername } : {}),
        ...(input.adminPassword !== undefined ? { adminPassword: input.adminPassword } : {}),
        ...(input.database !== undefined ? { database: input.database } : {}),
        ...(input.maxUsers !== undefined ? { maxUsers: input.maxUsers } : {}),
        ...(input.multiLocation !== undefined ? { multiLocation: input.multiLocation } : {}),
        ...(input.trialDays !== undefined ? { trialDays: input.trialDays } : {}),
        ...(input.demoData !== undefined ? { demoData: input.demoData } : {}),
      };
      if (dryRun) {
        const result = await provisioner.createTenant(args, { actor: actorOf(c), dryRun: true });
        return c.json({ dryRun: true as const, ok: result.ok, checks: result.checks }, 200);
      }
      const created = await provisioner.createTenant(args, { actor: actorOf(c) });
      c.var.logger.info({ slug: created.tenant.slug }, 'tenant created');
      return c.json(
        {
          tenant: summary(created.tenant),
          admin: created.admin,
          url: created.url,
        },
        201,
      );
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/tenants/:slug',
      summary: 'One tenant with its database (password never shown) and custom domains',
      params: SlugParamSchema,
      responses: {
        200: { description: 'The tenant', schema: TenantDetailResultSchema },
        404: { description: 'TenantNotFound' },
      },
    },
    async (c, { params }) => c.json({ tenant: await detail(await registry.getTenant(params.slug), { fresh: c.var.logger }) }),
  );

  routes.add(
    {
      method: 'patch',
      path: '/tenants/:slug',
      summary: 'Change name, user limit, multi-location, trial end or paid-until',
      params: SlugParamSchema,
      body: UpdateTenantInputSchema,
      responses: {
        200: { description: 'Updated', schema: TenantDetailResultSchema },
        404: { description: 'TenantNotFound' },
      },
    },
    async (c, { params, body }) => {
      const update = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
      const tenant = await provisioner.updateTenant(params.slug, update, { actor: actorOf(c) });
      return c.json({ tenant: await detail(tenant) });
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/tenants/:slug/suspend',
      summary: 'Suspend a tenant: its host answers 403 from the next request on',
      params: SlugParamSchema,
      body: SuspendTenantInputSchema,
      responses: {
        200: { description: 'Suspended', schema: TenantDetailResultSchema },
        404: { description: 'TenantNotFound' },
        409: { description: 'Conflict: the tenant is not active' },
      },
    },
    async (c, { params, body }) => {
      const tenant = await provisioner.suspendTenant(params.slug, { actor: actorOf(c), reason: body.reason ?? null });
      return c.json({ tenant: await detail(tenant) });
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/tenants/:slug/resume',
      summary: 'Resume a suspended tenant',
      params: SlugParamSchema,
      responses: {
        200: { description: 'Active again', schema: TenantDetailResultSchema },
        404: { description: 'TenantNotFound' },
        409: { description: 'Conflict: the tenant is not suspended' },
      },
    },
    async (c, { params }) => {
      const tenant = await provisioner.resumeTenant(params.slug, { actor: actorOf(c) });
      return c.json({ tenant: await detail(tenant) });
    },
  );

  routes.add(
    {
      method: 'delete',
      path: '/tenants/:slug',
      summary: 'Delete a tenant; confirm must repeat the slug; keepDatabase keeps its database (or SQLite file)',
      params: SlugParamSchema,
      body: DeleteTenantInputSchema,
      responses: {
        200: { description: 'Deleted', schema: DeleteTenantResultSchema },
        404: { description: 'TenantNotFound' },
      },
    },
    async (c, { params, body }) => {
      if (body.confirm !== params.slug) {
        throw new ValidationFailed(`Type the subdomain "${params.slug}" to confirm the deletion`, [
          { path: 'confirm', message: `must be "${params.slug}"` },
        ]);
      }
      const result = await provisioner.deleteTenant(params.slug, { actor: actorOf(c), keepDatabase: body.keepDatabase });
      c.var.logger.info({ slug: params.slug, keptDatabase: result.keptDatabase }, 'tenant deleted');
      return c.json({ deleted: true as const, keptDatabase: result.keptDatabase });
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/tenants/:slug/migrate',
      summary: "Apply the tenant's pending migrations",
      params: SlugParamSchema,
      responses: {
        200: { description: 'The outcome (ok false with error when it failed)', schema: MigrationResultBodySchema },
      },
    },
    async (c, { params }) => {
      await registry.getTenant(params.slug);
      const result = await provisioner.migrateTenant(params.slug, { actor: actorOf(c) });
      return c.json({ result: migrationJson(result) });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/tenants/:slug/health',
      summary: "A tenant's health: reachable, latency, schema, pending migrations, size, users",
      params: SlugParamSchema,
      responses: {
        200: { description: 'Health', schema: TenantHealthResultSchema },
        404: { description: 'TenantNotFound' },
      },
    },
    async (c, { params }) => c.json({ health: healthJson(await provisioner.tenantHealth(params.slug)) }),
  );

  routes.add(
    {
      method: 'get',
      path: '/tenants/:slug/domains',
      summary: "A tenant's custom domains",
      params: SlugParamSchema,
      responses: {
        200: { description: 'Domains', schema: DomainListSchema },
        404: { description: 'TenantNotFound' },
      },
    },
    async (c, { params }) => c.json({ domains: (await provisioner.listDomains(params.slug)).map(domainJson) }),
  );

  routes.add(
    {
      method: 'post',
      path: '/tenants/:slug/domains',
      summary: 'Add a custom domain (primary makes it the only primary one)',
      params: SlugParamSchema,
      body: AddDomainInputSchema,
      responses: {
        201: { description: 'Added', schema: DomainResultSchema },
        404: { description: 'TenantNotFound' },
        409: { description: 'Conflict: the domain is in use' },
      },
    },
    async (c, { params, body }) => {
      const domain = await provisioner.addDomain(params.slug, body.domain, {
        actor: actorOf(c),
        ...(body.primary !== undefined ? { primary: body.primary } : {}),
      });
      return c.json({ domain: domainJson(domain) }, 201);
    },
  );

  routes.add(
    {
      method: 'delete',
      path: '/tenants/:slug/domains/:domain',
      summary: 'Remove a custom domain',
      params: DomainParamSchema,
      responses: { 204: { description: 'Removed' }, 404: { description: 'TenantNotFound, NotFound' } },
    },
    async (c, { params }) => {
      await provisioner.removeDomain(params.slug, params.domain, { actor: actorOf(c) });
      return c.body(null, 204);
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/operations',
      summary: 'The operations log, newest first, filtered by tenant, action and outcome',
      query: OperationListQuerySchema,
      responses: { 200: { description: 'Operations', schema: OperationListSchema } },
    },
    async (c, { query }) => {
      const rows = await registry.listOperations({
        ...(query.tenant ? { tenant: query.tenant } : {}),
        ...(query.action ? { action: query.action } : {}),
        ...(query.outcome ? { outcome: query.outcome } : {}),
        limit: query.limit,
      });
      return c.json({
        operations: rows.map((o) => ({
          id: o.id,
          tenantSlug: o.tenantSlug,
          action: o.action,
          step: o.step,
          outcome: o.outcome,
          actor: o.actor,
          details: o.details,
          error: o.error,
          durationMs: o.durationMs,
          createdAt: o.createdAt.toISOString(),
        })),
      });
    },
  );

  return routes;
}
