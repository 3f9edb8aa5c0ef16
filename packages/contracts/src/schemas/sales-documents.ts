import { z } from 'zod';
import { MAX_INVOICE_LINES } from '../rules/limits';
import { date, dateRange, id, idQuery, PageFields, pageQuery } from './common';
import { DiscountFields, ONE_DISCOUNT_KIND, oneDiscountKind } from './discounts';
import { DocumentLineFields, LineInputSchema, ONE_PAYMENT_FORM, onePaymentForm, TillPaymentFields } from './sales';

/**
 * Quotes of the tenant API (issue 13): offered prices and discounts, priced like invoices, converted
 * once into an invoice. Amounts are integer cents; quantities are decimal units with at most three
 * decimals.
 */

export const QUOTE_STATUSES = ['open', 'expired', 'converted'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];
export const QuoteStatusSchema = z.enum(QUOTE_STATUSES);

export const QuoteLineSchema = z.object(DocumentLineFields).meta({ id: 'QuoteLine' });

const QuoteFields = {
  id: z.number().int(),
  number: z.string().describe('QT-000001 (prefix from the settings)'),
  status: QuoteStatusSchema,
  locationId: z.number().int(),
  customerId: z.number().int().nullable(),
  issueDate: z.string(),
  validUntil: z.string(),
  discountBp: z.number().int().nullable(),
  discountAmount: z.number().int().describe('the quote-level discount, cents'),
  discountTotal: z.number().int().describe('every discount: the lines’ own and the quote-level one'),
  subtotal: z.number().int(),
  tax: z.number().int(),
  total: z.number().int(),
  notes: z.string().nullable(),
  invoiceId: z.number().int().nullable().describe('the invoice it was converted into'),
  createdBy: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const QuoteSummarySchema = z.object(QuoteFields).meta({ id: 'QuoteSummary' });
export const QuoteSchema = z.object({ ...QuoteFields, lines: z.array(QuoteLineSchema) }).meta({ id: 'Quote' });
export type QuoteSummaryJson = z.infer<typeof QuoteSummarySchema>;
export type QuoteJson = z.infer<typeof QuoteSchema>;

const QuoteInputFields = {
  customerId: id.nullable().optional(),
  issueDate: date.optional().describe("default today in the tenant's time zone"),
  validUntil: date.optional().describe('default 30 days after the issue date'),
  notes: z.string().trim().max(5000).nullable().optional(),
  lines: z.array(LineInputSchema).min(1, 'at least one line').max(MAX_INVOICE_LINES),
  ...DiscountFields,
};
export const CreateQuoteInputSchema = z
  .object({ locationId: id, ...QuoteInputFields })
  .strict()
  .refine(oneDiscountKind, ONE_DISCOUNT_KIND);
export type CreateQuoteInput = z.input<typeof CreateQuoteInputSchema>;
export const UpdateQuoteInputSchema = z
  .object({ locationId: id.optional(), ...QuoteInputFields, lines: QuoteInputFields.lines.optional() })
  .strict()
  .refine(oneDiscountKind, ONE_DISCOUNT_KIND);
export type UpdateQuoteInput = z.input<typeof UpdateQuoteInputSchema>;
export const ConvertQuoteInputSchema = z
  .object({
    issueDate: date.optional().describe("the invoice's date; default today in the tenant's time zone"),
    ...TillPaymentFields,
  })
  .strict()
  .refine(onePaymentForm, ONE_PAYMENT_FORM);

export const QuoteListQuerySchema = dateRange({
  q: z.string().trim().max(100).optional().describe('quote number contains (case-insensitive)'),
  status: QuoteStatusSchema.optional(),
  customerId: idQuery.optional(),
  ...pageQuery,
});
export const QuotePageSchema = z.object({ quotes: z.array(QuoteSummarySchema), ...PageFields });
export const QuoteResultSchema = z.object({ quote: QuoteSchema });
