import { countActiveUsers, dashboardSummary, dateInTimeZone, getSettings, type TenantModels, tenantToday } from '@salesfleet/models';
import type { TenantEnv } from '../app-env';
import type { TenantApiRoutes } from '../http/api-routes';
import { meJson } from './auth/routes';
import {
  DashboardQuerySchema,
  DashboardResultSchema,
  type WorkspaceJson,
  WorkspaceResultSchema,
  WorkspaceSessionSchema,
} from '@salesfleet/contracts';

/** What `/api/workspace` (and `/api/session`) say of the workspace. */
async function workspaceJson(models: TenantModels, tenant: TenantEnv['Variables']['tenant']): Promise<WorkspaceJson> {
  const settings = await getSettings(models);
  const activeUsers = await countActiveUsers(models);
  const rates = await models.TaxRate.findAll({ attributes: ['id', 'rateBp', 'isInclusive'], raw: true });
  return {
    name: settings.companyName || tenant.name,
    slug: tenant.slug,
    currency: settings.currency,
    locale: settings.locale,
    timeZone: settings.timeZone,
    multiLocation: tenant.multiLocation,
    maxUsers: tenant.maxUsers,
    activeUsers,
    today: dateInTimeZone(settings.timeZone),
    taxRates: rates.map((r) => ({ id: r.id, rateBp: r.rateBp, isInclusive: Boolean(r.isInclusive) })),
  };
}

/** `/api/workspace` (what every signed-in user's app needs to start), `/api/session` (that and the user) and `/api/dashboard`. */
export function tenantWorkspaceRoutes(routes: TenantApiRoutes): void {
  routes.add(
    {
      method: 'get',
      path: '/workspace',
      summary: 'The workspace: name, currency, locale, time zone, today, user limit and tax rates (any signed-in user)',
      responses: { 200: { description: 'The workspace', schema: WorkspaceResultSchema } },
    },
    async (c) => c.json({ workspace: await workspaceJson(c.var.db, c.var.tenant) }),
  );

  routes.add(
    {
      method: 'get',
      path: '/session',
      summary:
        'What the app needs to open, in one request: the signed-in user (as /auth/me) and the workspace (as /workspace; null until a one-time password is changed)',
      allowDuringPasswordChange: true,
      responses: { 200: { description: 'The user and the workspace', schema: WorkspaceSessionSchema } },
    },
    async (c) => {
      const principal = c.var.user;
      const me = await meJson(c.var.db, principal);
      const workspace = principal.user.mustChangePassword ? null : await workspaceJson(c.var.db, c.var.tenant);
      return c.json({ me, workspace });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/dashboard',
      summary: "Today's and this month's sales, open receivables, low stock and 30 days of sales per day (optionally of one location)",
      permission: 'accounting.view_reports',
      query: DashboardQuerySchema,
      responses: { 200: { description: 'The figures', schema: DashboardResultSchema } },
    },
    async (c, { query }) => {
      const models = c.var.db;
      const dashboard = await dashboardSummary(models, {
        today: await tenantToday(models),
        ...(query.locationId !== undefined ? { locationId: query.locationId } : {}),
      });
      return c.json({ dashboard });
    },
  );
}
