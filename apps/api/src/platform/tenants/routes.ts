import type { Logger } from 'pino';
import type { Context } from 'hono';
import { z } from 'zod';
import { migrationNames } from '@salesfleet/migrations';
import {
  type Config,
  type DomainRecord,
  type MigrationResult,
  type TenantHealth,
  type TenantRecord,
  pendingMigrationCount,
  tenantServerOf,
} from '@salesfleet/tenancy';
import type { PlatformAdminEnv } from '../../app-env';
import type { PlatformApiRoutes } from '../../http/api-routes';
import type { AppTenancy } from '../../tenancy';
import {
  CreateTenantInputSchema,
  DomainSchema,
  DryRunResultSchema,
  MigrationResultSchema,
  OperationSchema,
  TenantDetailSchema,
  TenantHealthSchema,
  TenantSummarySchema,
  UpdateTenantInputSchema,
} from '../schemas';
import { TenantListQuerySchema } from '../tenant-list-schemas';
import { UserCounts } from './user-counts';
import { slugSchema, ValidationFailed } from '@salesfleet/contracts';

type TenantSummary = z.infer<typeof TenantSummarySchema>;
type TenantDetail = z.infer<typeof TenantDetailSchema>;

const slugParam = z.object({ slug: slugSchema });
const domainParam = slugParam.extend({ domain: z.string().min(1).max(253) });

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function domainJson(d: DomainRecord): z.infer<typeof DomainSchema> {
  return { id: d.id, domain: d.domain, primary: d.primary, createdAt: d.createdAt.toISOString() };
}

function migrationJson(r: MigrationResult): z.infer<typeof MigrationResultSchema> {
  return {
    slug: r.slug,
    ok: r.ok,
    applied: r.applied,
    schemaVersion: r.schemaVersion,
    ...(r.error !== undefined ? { error: r.error } : r.skipped !== undefined ? { error: `skipped: ${r.skipped}` } : {}),
    durationMs: r.durationMs,
  };
}

function healthJson(h: TenantHealth): z.infer<typeof TenantHealthSchema> {
  return { ...h };
}

const actorOf = (c: Context<PlatformAdminEnv>) => `admin:${c.var.admin.admin.username}`;

/**
 * `/api/platform/tenants…`, `/api/platform/migrate`, `/api/platform/health`, `/api/platform/operations`:
 * the tenant lifecycle for the admin console, per the Platform API contract. Every change goes
 * through the provisioner, which writes the registry; the registry's change events invalidate the
 * router and the connection cache before the response is sent.
 */
export function platformTenantRoutes(routes: PlatformApiRoutes, deps: { tenancy: AppTenancy; config: Config }): PlatformApiRoutes {
  const { tenancy } = deps;
  const { registry, provisioner } = tenancy;
  const userCounts = new UserCounts(tenancy);
  const names = () => migrationNames('tenant');

  const summary = (t: TenantRecord, userCount: number | null = t.userCount): TenantSummary => ({
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
    pendingMigrations: pendingMigrationCount(t, names()),
    trialEndsAt: iso(t.trialEndsAt),
    paidUntil: iso(t.paidUntil),
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  });

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
          schema: z.object({
            tenants: z.array(TenantSummarySchema),
            total: z.number().int(),
            limit: z.number().int(),
            offset: z.number().int(),
          }),
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
          schema: z.object({
            tenant: TenantSummarySchema,
            admin: z.object({ username: z.string(), email: z.string(), oneTimePassword: z.string().optional() }),
            url: z.string(),
          }),
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
      params: slugParam,
      responses: {
        200: { description: 'The tenant', schema: z.object({ tenant: TenantDetailSchema }) },
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
      params: slugParam,
      body: UpdateTenantInputSchema,
      responses: {
        200: { description: 'Updated', schema: z.object({ tenant: TenantDetailSchema }) },
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
      params: slugParam,
      body: z.object({ reason: z.string().trim().max(500).optional() }).strict(),
      responses: {
        200: { description: 'Suspended', schema: z.object({ tenant: TenantDetailSchema }) },
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
      params: slugParam,
      responses: {
        200: { description: 'Active again', schema: z.object({ tenant: TenantDetailSchema }) },
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
      params: slugParam,
      body: z.object({ confirm: z.string().max(63), keepDatabase: z.boolean() }).strict(),
      responses: {
        200: { description: 'Deleted', schema: z.object({ deleted: z.literal(true), keptDatabase: z.boolean() }) },
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
      params: slugParam,
      responses: {
        200: { description: 'The outcome (ok false with error when it failed)', schema: z.object({ result: MigrationResultSchema }) },
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
      method: 'post',
      path: '/migrate',
      summary: 'Migrate the registry and every tenant (bounded concurrency; one failure does not stop the others)',
      responses: { 200: { description: 'Per-tenant outcomes', schema: z.object({ results: z.array(MigrationResultSchema) }) } },
    },
    async (c) => {
      const fleet = await provisioner.migrateTenants({ actor: actorOf(c) });
      return c.json({ results: fleet.results.map(migrationJson) });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/tenants/:slug/health',
      summary: "A tenant's health: reachable, latency, schema, pending migrations, size, users",
      params: slugParam,
      responses: {
        200: { description: 'Health', schema: z.object({ health: TenantHealthSchema }) },
        404: { description: 'TenantNotFound' },
      },
    },
    async (c, { params }) => c.json({ health: healthJson(await provisioner.tenantHealth(params.slug)) }),
  );

  routes.add(
    {
      method: 'get',
      path: '/health',
      summary: "Every tenant's health",
      responses: { 200: { description: 'Health of every tenant', schema: z.object({ tenants: z.array(TenantHealthSchema) }) } },
    },
    async (c) => c.json({ tenants: (await provisioner.fleetHealth()).map(healthJson) }),
  );

  routes.add(
    {
      method: 'get',
      path: '/tenants/:slug/domains',
      summary: "A tenant's custom domains",
      params: slugParam,
      responses: {
        200: { description: 'Domains', schema: z.object({ domains: z.array(DomainSchema) }) },
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
      params: slugParam,
      body: z.object({ domain: z.string().trim().min(1).max(253), primary: z.boolean().optional() }).strict(),
      responses: {
        201: { description: 'Added', schema: z.object({ domain: DomainSchema }) },
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
      params: domainParam,
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
      query: z.object({
        tenant: z.string().max(63).optional(),
        action: z.string().max(64).optional(),
        outcome: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['started', 'succeeded', 'failed']).optional()),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
      responses: { 200: { description: 'Operations', schema: z.object({ operations: z.array(OperationSchema) }) } },
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
