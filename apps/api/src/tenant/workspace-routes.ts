import { countActiveUsers, dashboardSummary, dateInTimeZone, getSettings, tenantToday } from '@salesfleet/models';
import type { TenantApiRoutes } from '../http/api-routes';
import { DashboardQuerySchema, DashboardResultSchema, WorkspaceResultSchema } from '@salesfleet/contracts';

/** `/api/workspace` (what every signed-in user's app needs to start) and `/api/dashboard`. */
export function tenantWorkspaceRoutes(routes: TenantApiRoutes): void {
  routes.add(
    {
      method: 'get',
      path: '/workspace',
      summary: 'The workspace: name, currency, locale, time zone, today, user limit and tax rates (any signed-in user)',
      responses: { 200: { description: 'The workspace', schema: WorkspaceResultSchema } },
    },
    async (c) => {
      const tenant = c.var.tenant;
      const models = c.var.db;
      const settings = await getSettings(models);
      const activeUsers = await countActiveUsers(models);
      const rates = await models.TaxRate.findAll({ attributes: ['id', 'rateBp', 'isInclusive'], raw: true });
      return c.json({
        workspace: {
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
        },
      });
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
