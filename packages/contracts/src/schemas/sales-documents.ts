import { z } from 'zod';
import { MAX_AMOUNT, MAX_BASIS_POINTS } from '../rules/money';

/**
 * Discounts and quotes of the tenant API (issue 13): the discount fields that invoice and quote lines
 * and documents accept, and the quote as the API answers it. Amounts are integer cents; quantities
 * are decimal units with at most three decimals.
 */

/** A discount: a percentage in basis points or a fixed amount of cents, not both. */
export const DiscountFields = {
  discountBp: z.number().int().min(0).max(MAX_BASIS_POINTS).nullable().optional().describe('basis points: 1000 = 10 % off'),
  discountAmount: z.number().int().min(0).max(MAX_AMOUNT).nullable().optional().describe('cents off (not with discountBp)'),
};

/** Refinement of an object with DiscountFields: at most one kind of discount. */
export function oneDiscountKind(value: { discountBp?: number | null; discountAmount?: number | null }): boolean {
  return value.discountBp === undefined || value.discountBp === null || value.discountAmount === undefined || value.discountAmount === null;
}
export const ONE_DISCOUNT_KIND = { path: ['discountAmount'], message: 'a percentage (discountBp) or an amount, not both' };

/** Whether a document or any of its lines carries a discount (cashiers may not give one). */
export function hasDiscount(document: {
  discountBp?: number | null;
  discountAmount?: number | null;
  lines?: readonly { discountBp?: number | null; discountAmount?: number | null }[];
}): boolean {
  const gives = (d: { discountBp?: number | null; discountAmount?: number | null }) => Boolean(d.discountBp) || Boolean(d.discountAmount);
  return gives(document) || (document.lines ?? []).some(gives);
}

export const QUOTE_STATUSES = ['open', 'expired', 'converted'] as const;
export const QuoteStatusSchema = z.enum(QUOTE_STATUSES);

const quantityOut = z.number().describe('units, at most 3 decimals');

export const QuoteLineSchema = z
  .object({
    id: z.number().int(),
    productId: z.number().int().nullable(),
    description: z.string(),
    quantity: quantityOut,
    unitPrice: z.number().int().describe('cents; including tax when taxInclusive'),
    taxRateBp: z.number().int(),
    taxInclusive: z.boolean(),
    discountBp: z.number().int().nullable(),
    discountAmount: z.number().int().describe("the line's own discount, cents"),
    invoiceDiscount: z.number().int().describe("the line's share of the quote's discount, cents"),
    lineSubtotal: z.number().int().describe('net of discounts and tax'),
    lineTax: z.number().int(),
    lineTotal: z.number().int(),
  })
  .meta({ id: 'QuoteLine' });

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
