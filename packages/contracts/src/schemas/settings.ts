import { z } from 'zod';
import { currencyCodeSchema, localeSchema, timeZoneSchema } from '../rules/currency';
import { numberPrefixSchema } from '../rules/number-prefix';
import { date } from './common';

/** The tenant's settings (`/api/settings`): company, currency, locale, time zone, document numbers, closed periods. */

export const SettingsPatchInputSchema = z
  .object({
    companyName: z.string().trim().max(200),
    companyAddress: z.string().trim().max(2000).nullable(),
    companyTaxNumber: z.string().trim().max(50).nullable(),
    currency: currencyCodeSchema.describe('ISO 4217; only while nothing is posted'),
    locale: localeSchema,
    timeZone: timeZoneSchema,
    fiscalYearStartMonth: z.number().int().min(1).max(12),
    invoicePrefix: numberPrefixSchema,
    creditNotePrefix: numberPrefixSchema,
    quotePrefix: numberPrefixSchema,
    purchasePrefix: numberPrefixSchema,
  })
  .partial()
  .strict();
export type SettingsPatchInput = z.input<typeof SettingsPatchInputSchema>;

export const ClosePeriodInputSchema = z
  .object({ through: date.describe('last day of the closed period (inclusive), before today') })
  .strict();

export const SettingsSchema = z
  .object({
    companyName: z.string(),
    companyAddress: z.string().nullable(),
    companyTaxNumber: z.string().nullable(),
    currency: z.string().describe('ISO 4217'),
    currencyMinorUnits: z.number().int().describe('digits after the decimal point: every amount is an integer of the minor unit'),
    locale: z.string(),
    timeZone: z.string().describe('IANA; "today" and report dates are days in this zone'),
    fiscalYearStartMonth: z.number().int(),
    invoicePrefix: z.string(),
    creditNotePrefix: z.string(),
    quotePrefix: z.string(),
    purchasePrefix: z.string(),
    closedThrough: z.string().nullable().describe('nothing can be posted dated on or before this day'),
    today: z.string().describe("today's date in the tenant's time zone"),
    updatedAt: z.string(),
  })
  .meta({ id: 'TenantSettings' });
export type TenantSettingsJson = z.infer<typeof SettingsSchema>;

export const SettingsResultSchema = z.object({ settings: SettingsSchema });
