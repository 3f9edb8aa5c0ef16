import { z } from 'zod';
import { countActiveUsers, dashboardSummary, dateInTimeZone, getSettings, tenantToday } from '@salesfleet/models';
import type { TenantApiRoutes } from '../http/api-routes';
import { idQuery } from './sales/schemas';

const WorkspaceSchema = z
  .object({
    name: z.string(),
    slug: z.string(),
    currency: z.string().describe('ISO 4217; amounts are integer minor units of it'),
    locale: z.string().describe('BCP 47'),
    timeZone: z.string().describe('IANA'),
    multiLocation: z.boolean(),
    maxUsers: z.number().int().describe('active users allowed'),
    activeUsers: z.number().int(),
    today: z.string().describe('YYYY-MM-DD in the time zone'),
    taxRates: z
      .array(z.object({ id: z.number().int(), rateBp: z.number().int(), isInclusive: z.boolean().describe('prices include the tax') }))
      .describe('every tax rate, for a till to show tax before the sale'),
  })
  .meta({ id: 'Workspace' });

const DashboardSchema = z
  .object({
    today: z.string(),
    from: z.string().describe('first day of the chart'),
    locationId: z.number().int().nullable(),
    sales: z.object({ today: z.number().int(), month: z.number().int(), todayCount: z.number().int(), monthCount: z.number().int() }),
    receivables: z.object({ open: z.number().int().describe('cents owed on issued invoices'), count: z.number().int() }),
    lowStock: z.array(
      z.object({
        productId: z.number().int(),
        sku: z.string(),
        name: z.string(),
        locationId: z.number().int(),
        quantity: z.number().describe('units, at most 3 decimals'),
      }),
    ),
    days: z.array(z.object({ date: z.string(), total: z.number().int(), count: z.number().int() })),
  })
  .meta({ id: 'Dashboard' });

/** `/api/workspace` (what every signed-in user's app needs to start) and `/api/dashboard`. */
export function tenantWorkspaceRoutes(routes: TenantApiRoutes): void {
  routes.add(
    {
      method: 'get',
      path: '/workspace',
      summary: 'The workspace: name, currency, locale, time zone, today, user limit and tax rates (any signed-in user)',
      responses: { 200: { description: 'The workspace', schema: z.object({ workspace: WorkspaceSchema }) } },
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
      query: z.object({ locationId: idQuery.optional() }),
      responses: { 200: { description: 'The figures', schema: z.object({ dashboard: DashboardSchema }) } },
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
