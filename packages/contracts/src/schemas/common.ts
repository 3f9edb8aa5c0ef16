import { z } from 'zod';
import { isCalendarDate } from '../rules/calendar-date';
import { MAX_INT32, MAX_PAGE_SIZE } from '../rules/limits';
import { MAX_AMOUNT } from '../rules/money';
import { MAX_QUANTITY, parseQuantity, QUANTITY_SCALE } from '../rules/quantity';

/** Pieces every area's schemas share: the error body, ids, dates, money, quantities, pages. */

/** The one error body of every failure. */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('Stable error code, e.g. ValidationFailed, NotFound, TenantSuspended'),
      message: z.string(),
      requestId: z.string(),
      details: z.unknown().optional().describe('For ValidationFailed: [{ path, message }]'),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** An instant in a response. */
export const isoDate = z.string().describe('ISO 8601 date-time');

/**
 * A report figure in minor units (rules/money.ts ReportAmount): a JSON number while it is a safe
 * integer, else the exact decimal string, so sums past 2^53 − 1 (≈ 90 billion in a 2-decimal currency) are
 * never rounded by a JS reader.
 */
export const reportAmountSchema = z
  .union([
    z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
    z.string().regex(/^-?\d+$/, 'an integer of minor units as decimal text'),
  ])
  .meta({
    id: 'ReportAmount',
    description:
      'Integer minor units (cents). A number when |amount| ≤ 2^53 − 1 (Number.MAX_SAFE_INTEGER), otherwise the exact decimal string, e.g. "9007199254740993"; read it as a big integer, never as a float.',
  });

/** A row id in a path (`/invoices/:id`). */
export const idParam = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/)
    .transform(Number),
});

/** A row id in a body or a query string. */
export const id = z.number().int().min(1).max(MAX_INT32);
export const idQuery = z.coerce.number<number | string>().int().min(1).max(MAX_INT32);

/** A calendar day in a request. */
export const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine(isCalendarDate, 'a calendar date YYYY-MM-DD')
  .describe('YYYY-MM-DD');

/** Integer cents, never negative. */
export const cents = z.number().int('integer cents').min(0).max(Number.MAX_SAFE_INTEGER);

/** Integer cents of one document's amount: more than zero, at most MAX_AMOUNT. */
export const amount = z.number().int('integer cents').min(1).max(MAX_AMOUNT);

/** Integer cents of one unit (a product's price or cost): an INTEGER column. */
export const unitCents = z.number().int('integer cents').min(0).max(MAX_INT32);

/** A required line of text, trimmed. */
export const requiredText = (max: number) => z.string().trim().min(1, 'required').max(max, `at most ${max} characters`);
/** An optional line of text, trimmed; null clears it. */
export const optionalText = (max: number) => z.string().trim().max(max, `at most ${max} characters`).nullable().optional();

/**
 * A quantity in a request: a decimal number or string with at most three decimals ("1.5", 0.25),
 * read from its decimal text into integer thousandths (never by float arithmetic).
 */
function quantityIn(options: { signed: boolean }) {
  return z
    .union([z.number(), z.string()])
    .transform((value, ctx) => {
      const q = parseQuantity(value);
      if (q === null) {
        ctx.addIssue({ code: 'custom', message: 'a decimal number with at most 3 decimals' });
        return z.NEVER;
      }
      if (Math.abs(q) > MAX_QUANTITY) ctx.addIssue({ code: 'custom', message: `at most ${MAX_QUANTITY / QUANTITY_SCALE} units` });
      else if (options.signed ? q === 0 : q <= 0) ctx.addIssue({ code: 'custom', message: options.signed ? 'not zero' : 'more than zero' });
      return q;
    })
    .describe('units, a decimal with at most 3 decimals (number or string); as fine as the product’s unit allows');
}

/** A positive quantity (lines). */
export const quantity = quantityIn({ signed: false });
/** A signed, non-zero quantity (stock adjustments). */
export const signedQuantity = quantityIn({ signed: true });
/** A quantity in a response: decimal units (integer thousandths in the database). */
export const quantityOut = z.number().describe('units, at most 3 decimals');

export const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/** A query parameter that an empty form field may send as `''`, which reads as not given. */
export function optionalParam<T extends z.ZodType>(schema: T) {
  return z.union([z.literal('').transform(() => undefined), schema]).optional();
}

export const pageQuery = {
  limit: z.coerce.number<number | string>().int().min(1).max(MAX_PAGE_SIZE).default(50),
  offset: z.coerce.number<number | string>().int().min(0).max(10_000_000).default(0),
};

/** `?active=`: the unit, category, account and tax-rate lists. */
export const ActiveQuerySchema = z.object({ active: boolQuery.optional() });

/** `?q=&active=` and a page: the customer, product and supplier lists. */
export const SearchQuerySchema = z.object({
  q: z.string().trim().max(100).optional().describe('case-insensitive "contains"'),
  active: boolQuery.optional(),
  ...pageQuery,
});

export const PageFields = { total: z.number().int(), limit: z.number().int(), offset: z.number().int() };
/** Where a page of a list is: its `total`, `limit` and `offset`. */
export type Page = z.infer<z.ZodObject<typeof PageFields>>;

/** `from` ≤ `to` when both are given. */
export function dateRange<T extends z.ZodRawShape>(shape: T) {
  return z.object({ from: date.optional(), to: date.optional(), ...shape }).refine(
    (q) => {
      const { from, to } = q as { from?: string; to?: string };
      return !from || !to || from <= to;
    },
    { message: 'from must not be after to', path: ['from'] },
  );
}
