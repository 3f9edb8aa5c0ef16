import { closePeriod, dateInTimeZone, getSettings, type TenantSettingsView, updateSettings } from '@salesfleet/models';
import { ClosePeriodInputSchema, SettingsPatchInputSchema, SettingsResultSchema, type TenantSettingsJson } from '@salesfleet/contracts';
import type { TenantRouteMount } from '../domain-routes';

const json = (s: Awaited<ReturnType<typeof getSettings>>) => settingsJson(s, dateInTimeZone(s.timeZone));

/** Company settings (every signed-in user reads them: the workspace formats money and dates with them) and period close. */
export const settingsRoutes: TenantRouteMount = (routes) => {
  routes.add(
    {
      method: 'get',
      path: '/settings',
      summary: "The tenant's settings: company profile, currency, locale, time zone, number prefixes, closed period",
      responses: { 200: { description: 'Settings', schema: SettingsResultSchema } },
    },
    async (c) => c.json({ settings: json(await getSettings(c.var.db)) }),
  );

  routes.add(
    {
      method: 'patch',
      path: '/settings',
      summary: 'Change settings (the currency only while nothing is posted)',
      permission: 'settings.change_settings',
      body: SettingsPatchInputSchema,
      responses: {
        200: { description: 'Updated', schema: SettingsResultSchema },
        409: { description: 'Conflict: currency change once the books have postings (details.reason booksNotEmpty)' },
      },
    },
    async (c, { body }) => c.json({ settings: json(await updateSettings(c.var.db, body)) }),
  );

  routes.add(
    {
      method: 'post',
      path: '/periods/close',
      summary: 'Close the books through a date: no posting may be dated on or before it afterwards (one-way)',
      permission: 'accounting.close_period',
      body: ClosePeriodInputSchema,
      responses: {
        200: { description: 'Closed', schema: SettingsResultSchema },
        409: { description: 'Conflict: the books are already closed through a later date (details.reason periodClosed)' },
      },
    },
    async (c, { body }) => c.json({ settings: json(await closePeriod(c.var.db, body)) }),
  );
};

function settingsJson(s: TenantSettingsView, today: string): TenantSettingsJson {
  return { ...s, today, updatedAt: new Date(s.updatedAt).toISOString() };
}
