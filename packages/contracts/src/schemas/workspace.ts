import { z } from 'zod';
import { MeSchema } from './auth';
import { idQuery, reportAmountSchema } from './common';

/** `/api/workspace` (what every signed-in user's app needs to start), `/api/session` and `/api/dashboard`. */

export const WorkspaceSchema = z
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
export type WorkspaceJson = z.infer<typeof WorkspaceSchema>;

export const DashboardSchema = z
  .object({
    today: z.string(),
    from: z.string().describe('first day of the chart'),
    locationId: z.number().int().nullable(),
    sales: z.object({ today: reportAmountSchema, month: reportAmountSchema, todayCount: z.number().int(), monthCount: z.number().int() }),
    receivables: z.object({ open: reportAmountSchema.describe('cents owed on issued invoices'), count: z.number().int() }),
    lowStock: z.array(
      z.object({
        productId: z.number().int(),
        sku: z.string(),
        name: z.string(),
        locationId: z.number().int(),
        quantity: z.number().describe('units, at most 3 decimals'),
      }),
    ),
    days: z.array(z.object({ date: z.string(), total: reportAmountSchema, count: z.number().int() })),
  })
  .meta({ id: 'Dashboard' });
export type DashboardJson = z.infer<typeof DashboardSchema>;

export const WorkspaceResultSchema = z.object({ workspace: WorkspaceSchema });

/** `/api/session`: what the app needs to open, in one request — `/api/auth/me` and `/api/workspace` together. */
export const WorkspaceSessionSchema = z
  .object({
    me: MeSchema,
    workspace: WorkspaceSchema.nullable().describe('null while the user must change a one-time password (as /api/workspace refuses then)'),
  })
  .meta({ id: 'WorkspaceSession' });
export type WorkspaceSessionJson = z.infer<typeof WorkspaceSessionSchema>;
export const DashboardQuerySchema = z.object({ locationId: idQuery.optional() });
export const DashboardResultSchema = z.object({ dashboard: DashboardSchema });
