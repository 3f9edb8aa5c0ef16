import { z } from 'zod';
import { isCurrencyCode, isLocaleTag, isTimeZone, NUMBER_PREFIX, type TenantSettingsView } from '@salesfleet/models';
import { date } from '../sales/schemas';

const prefix = z
  .string()
  .regex(NUMBER_PREFIX, '1–10 letters, digits or / _ . -, not ending in a digit')
  .refine((v) => !v.toUpperCase().startsWith('DRAFT'), 'DRAFT is reserved for drafts');

export const SettingsPatchBody = z
  .object({
    companyName: z.string().trim().max(200),
    companyAddress: z.string().trim().max(2000).nullable(),
    companyTaxNumber: z.string().trim().max(50).nullable(),
    currency: z.string().refine(isCurrencyCode, 'an ISO 4217 currency code such as EUR').describe('ISO 4217; only while nothing is posted'),
    locale: z.string().refine(isLocaleTag, 'a BCP 47 locale such as en-GB'),
    timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Africa/Lagos'),
    fiscalYearStartMonth: z.number().int().min(1).max(12),
    invoicePrefix: prefix,
    creditNotePrefix: prefix,
    quotePrefix: prefix,
    purchasePrefix: prefix,
  })
  .partial()
  .strict();

export const ClosePeriodBody = z.object({ through: date.describe('last day of the closed period (inclusive), before today') }).strict();

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

export function settingsJson(s: TenantSettingsView, today: string): z.infer<typeof SettingsSchema> {
  return { ...s, today, updatedAt: new Date(s.updatedAt).toISOString() };
}
