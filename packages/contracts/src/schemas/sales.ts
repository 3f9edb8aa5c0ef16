import { z } from 'zod';
import { BARCODE_MAX_LENGTH, BARCODE_MESSAGE, BARCODE_PATTERN, SKU_MAX_LENGTH, SKU_MESSAGE, SKU_PATTERN } from '../rules/codes';
import { MAX_INVOICE_LINES, MAX_UNIT_PRICE } from '../rules/limits';
import { MAX_TILL_PAYMENTS } from '../rules/till-payments';
import { MAX_AMOUNT, MAX_BASIS_POINTS } from '../rules/money';
import { QUANTITY_SCALE } from '../rules/quantity';
import {
  amount,
  date,
  dateRange,
  id,
  idQuery,
  optionalText,
  PageFields,
  pageQuery,
  quantity,
  quantityOut,
  requiredText,
  SearchQuerySchema,
  unitCents,
} from './common';
import { PartyFields, PartyInputSchema } from './parties';
import { DiscountFields, ONE_DISCOUNT_KIND, oneDiscountKind } from './discounts';

/**
 * Sales in the tenant API: customers, products, units and categories, invoices and their payments,
 * credit notes, CSV import. Amounts are integer cents; quantities decimal units (at most 3 decimals).
 */

export const INVOICE_STATUSES = ['draft', 'issued', 'paid', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export const PAYMENT_METHODS = ['cash', 'card', 'transfer', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

// ── customers ────────────────────────────────────────────────────────────────────────────────────

export const CustomerSchema = z.object(PartyFields).meta({ id: 'Customer' });
export type CustomerJson = z.infer<typeof CustomerSchema>;
export const CustomerInputSchema = PartyInputSchema;

export const CustomerPageSchema = z.object({ customers: z.array(CustomerSchema), ...PageFields });
export const CustomerResultSchema = z.object({ customer: CustomerSchema });

// ── products ─────────────────────────────────────────────────────────────────────────────────────

export const StockAtLocationSchema = z.object({ locationId: z.number().int(), quantity: quantityOut });

export const ProductSchema = z
  .object({
    id: z.number().int(),
    sku: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    unitPrice: z.number().int().describe('cents, before tax'),
    costPrice: z.number().int().nullable().describe('average cost per unit in cents (moving average of the stock); null when unknown'),
    taxRateId: z.number().int().nullable(),
    unitId: z.number().int().nullable().describe('unit of measure; null = whole units'),
    categoryId: z.number().int().nullable(),
    barcode: z.string().nullable(),
    onHand: quantityOut.describe('units on hand at every location'),
    inventoryValue: z.number().int().describe('value of the units on hand at cost, cents'),
    allowNegativeStock: z.boolean(),
    trackBatches: z.boolean().describe('stock kept in batches with expiry dates, sold first-expiry-first-out'),
    isActive: z.boolean(),
    stock: z.array(StockAtLocationSchema).describe('units on hand per location'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Product' });
export type ProductJson = z.infer<typeof ProductSchema>;

export const ProductInputSchema = z
  .object({
    sku: requiredText(SKU_MAX_LENGTH).regex(SKU_PATTERN, SKU_MESSAGE),
    name: requiredText(200),
    description: optionalText(5000),
    unitPrice: unitCents.describe('cents per unit, before tax'),
    costPrice: unitCents
      .nullable()
      .optional()
      .describe('cents per unit: the cost of new stock while none is on hand (then the moving average)'),
    unitId: id.nullable().optional().describe('unit of measure (GET /api/units); null = whole units'),
    categoryId: id.nullable().optional().describe('GET /api/categories'),
    barcode: z
      .string()
      .trim()
      .max(BARCODE_MAX_LENGTH)
      .regex(BARCODE_PATTERN, BARCODE_MESSAGE)
      .nullable()
      .optional()
      .describe('unique when set'),
    taxRateId: id.nullable().optional().describe('omit for the standard rate, null for untaxed'),
    allowNegativeStock: z.boolean().optional(),
    trackBatches: z
      .boolean()
      .optional()
      .describe('keep stock in batches with expiry dates, sold first-expiry-first-out; chosen while the product has no stock'),
    isActive: z.boolean().optional(),
  })
  .strict();
export type ProductInput = z.input<typeof ProductInputSchema>;

export const ProductListQuerySchema = SearchQuerySchema.extend({
  locationId: idQuery.optional().describe('only the stock of this location'),
  barcode: z
    .string()
    .trim()
    .min(1)
    .max(BARCODE_MAX_LENGTH)
    .optional()
    .describe('exactly this barcode: the till’s scan lookup (0 or 1 product)'),
  categoryId: idQuery.optional(),
});

export const ProductPageSchema = z.object({ products: z.array(ProductSchema), ...PageFields });
export const ProductResultSchema = z.object({ product: ProductSchema });

// ── units of measure and categories ──────────────────────────────────────────────────────────────

export const UnitSchema = z
  .object({ id: z.number().int(), code: z.string(), name: z.string(), decimals: z.number().int().describe('0–3'), isActive: z.boolean() })
  .meta({ id: 'Unit' });
export type UnitJson = z.infer<typeof UnitSchema>;
export const CategorySchema = z
  .object({ id: z.number().int(), name: z.string(), isActive: z.boolean(), createdAt: z.string(), updatedAt: z.string() })
  .meta({ id: 'Category' });
export type CategoryJson = z.infer<typeof CategorySchema>;

export const UnitInputSchema = z
  .object({
    code: z.string().trim().min(1).max(16),
    name: z.string().trim().min(1).max(50),
    decimals: z.number().int().min(0).max(3),
    isActive: z.boolean().optional(),
  })
  .strict();
export const CategoryInputSchema = z.object({ name: z.string().trim().min(1).max(100), isActive: z.boolean().optional() }).strict();

export const UnitListSchema = z.object({ units: z.array(UnitSchema) });
export const UnitResultSchema = z.object({ unit: UnitSchema });
export const CategoryListSchema = z.object({ categories: z.array(CategorySchema) });
export const CategoryResultSchema = z.object({ category: CategorySchema });

// ── CSV ──────────────────────────────────────────────────────────────────────────────────────────

export const CsvImportInputSchema = z
  .object({ csv: z.string().min(1).max(900_000).describe('the whole file, UTF-8, header row first') })
  .strict();
export const CsvImportResultSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  openingStock: z.number().int().describe('stock levels opened (products × locations)'),
});
export type CsvImportResult = z.infer<typeof CsvImportResultSchema>;

// ── invoices and payments ────────────────────────────────────────────────────────────────────────

export const PaymentSchema = z
  .object({
    id: z.number().int(),
    invoiceId: z.number().int(),
    amount: z.number().int(),
    method: z.enum(PAYMENT_METHODS),
    reference: z.string().nullable(),
    receivedAt: z.string(),
    createdBy: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'Payment' });
export type PaymentJson = z.infer<typeof PaymentSchema>;

/** A line of an invoice or a quote, priced (rules/pricing.ts priceLines). */
export const DocumentLineFields = {
  id: z.number().int(),
  productId: z.number().int().nullable(),
  description: z.string(),
  quantity: quantityOut,
  unitPrice: z.number().int().describe('cents; including tax when taxInclusive'),
  taxRateBp: z.number().int().describe('basis points: 2000 = 20 %'),
  taxInclusive: z.boolean().describe('the unit price includes the tax'),
  discountBp: z.number().int().nullable(),
  discountAmount: z.number().int().describe("the line's own discount, cents"),
  invoiceDiscount: z.number().int().describe("the line's share of the document's discount, cents"),
  lineSubtotal: z.number().int().describe('net of discounts and tax'),
  lineTax: z.number().int(),
  lineTotal: z.number().int(),
};
export type DocumentLineJson = z.infer<z.ZodObject<typeof DocumentLineFields>>;
export const InvoiceLineSchema = z.object(DocumentLineFields).meta({ id: 'InvoiceLine' });
export type InvoiceLineJson = z.infer<typeof InvoiceLineSchema>;

/** How much of an invoice its credit notes took back. */
export const CREDIT_STATUSES = ['none', 'partial', 'full'] as const;
export type CreditStatus = (typeof CREDIT_STATUSES)[number];

/** Whether credit notes took back none, part or all of an invoice of `total` cents. */
export function creditStatus(total: number, credited: number): CreditStatus {
  return credited <= 0 ? 'none' : credited >= total ? 'full' : 'partial';
}

const InvoiceFields = {
  id: z.number().int(),
  number: z.string().describe('INV-000123 once issued; DRAFT-… for drafts'),
  status: z.enum(INVOICE_STATUSES),
  locationId: z.number().int(),
  customerId: z.number().int().nullable(),
  issueDate: z.string(),
  discountBp: z.number().int().nullable().describe('invoice discount in basis points, when given as one'),
  discountAmount: z.number().int().describe('the invoice-level discount, cents'),
  discountTotal: z.number().int().describe('every discount: the lines’ own and the invoice-level one'),
  subtotal: z.number().int().describe('net of discounts and tax'),
  tax: z.number().int(),
  total: z.number().int(),
  amountPaid: z.number().int(),
  amountCredited: z.number().int().describe('of what was owed, settled by credit notes (not paid back)'),
  creditedTotal: z.number().int().describe('every credit note of the invoice: applied and refunded, cents'),
  creditStatus: z
    .enum(CREDIT_STATUSES)
    .describe('how much of the invoice its credit notes took back: status says whether it is paid, this whether it still stands'),
  amountDue: z.number().int(),
  notes: z.string().nullable(),
  quoteId: z.number().int().nullable().describe('the quote it was converted from'),
  createdBy: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const InvoiceSummarySchema = z.object(InvoiceFields).meta({ id: 'InvoiceSummary' });
export type InvoiceSummaryJson = z.infer<typeof InvoiceSummarySchema>;
export const InvoiceSchema = z
  .object({ ...InvoiceFields, lines: z.array(InvoiceLineSchema), payments: z.array(PaymentSchema) })
  .meta({ id: 'Invoice' });
export type InvoiceJson = z.infer<typeof InvoiceSchema>;

/** A line of an invoice or a quote as sent: a product (priced from it) or free text. */
export const LineInputSchema = z
  .object({
    productId: id.nullable().optional().describe('omit or null for a free-text line'),
    description: z.string().trim().min(1).max(255).nullable().optional().describe('required on free-text lines'),
    quantity,
    unitPrice: z.number().int().min(0).max(MAX_UNIT_PRICE).optional().describe("cents; default the product's price"),
    taxRateBp: z.number().int().min(0).max(MAX_BASIS_POINTS).optional().describe('free-text lines only; basis points'),
    taxInclusive: z.boolean().optional().describe('free-text lines only: the unit price includes the tax'),
    ...DiscountFields,
  })
  .strict()
  .refine(oneDiscountKind, ONE_DISCOUNT_KIND)
  // quantity (thousandths) × unit price / 1000, in BigInt; the line total with its tax and the invoice
  // total are checked against MAX_AMOUNT where the products' prices and rates are known.
  .refine((l) => l.unitPrice === undefined || BigInt(l.quantity) * BigInt(l.unitPrice) <= BigInt(MAX_AMOUNT) * BigInt(QUANTITY_SCALE), {
    path: ['unitPrice'],
    message: `quantity × unitPrice at most ${MAX_AMOUNT} cents`,
  });
export type LineInput = z.input<typeof LineInputSchema>;

/** One payment taken at the till when an invoice is issued (see settleTillPayments in rules/till-payments.ts). */
export const TillPaymentInputSchema = z
  .object({
    method: z.enum(PAYMENT_METHODS),
    amount: amount.optional().describe('cents; on a single payment default the invoice total'),
    reference: z.string().trim().max(100).nullable().optional(),
    tendered: amount.nullable().optional().describe('cash only: cents handed over, at least the amount; the difference is the change'),
  })
  .strict();
export type TillPaymentInput = z.input<typeof TillPaymentInputSchema>;

/** Money taken when a sale is issued: `payment` (one) or `payments` (in parts, e.g. card + cash), not both. */
export const TillPaymentFields = {
  payment: TillPaymentInputSchema.optional().describe('one payment taken when issuing (the same as payments: [payment])'),
  payments: z
    .array(TillPaymentInputSchema)
    .min(1)
    .max(MAX_TILL_PAYMENTS)
    .optional()
    .describe('money taken when issuing, in parts, in the one transaction; the amounts together at most the total'),
};
export const ONE_PAYMENT_FORM = { path: ['payments'], message: 'payment or payments, not both' };
export const onePaymentForm = (b: { payment?: unknown; payments?: unknown }) => !(b.payment && b.payments);

export const CreateInvoiceInputSchema = z
  .object({
    locationId: id.optional().describe('default: the only active location'),
    customerId: id.nullable().optional(),
    issueDate: date.optional().describe("default today in the tenant's time zone"),
    notes: z.string().trim().max(5000).nullable().optional(),
    draft: z.boolean().optional().describe('save without issuing: no number, stock or posting yet'),
    lines: z.array(LineInputSchema).min(1, 'at least one line').max(MAX_INVOICE_LINES),
    ...TillPaymentFields,
    ...DiscountFields,
  })
  .strict()
  .refine(oneDiscountKind, ONE_DISCOUNT_KIND)
  .refine(onePaymentForm, ONE_PAYMENT_FORM);
export type CreateInvoiceInput = z.input<typeof CreateInvoiceInputSchema>;

export const IssueInvoiceInputSchema = z
  .object({ issueDate: date.optional(), ...TillPaymentFields })
  .strict()
  .refine(onePaymentForm, ONE_PAYMENT_FORM);
export const VoidInvoiceInputSchema = z
  .object({ reason: z.string().trim().max(200).nullable().optional(), date: date.optional().describe('posting date of the reversal') })
  .strict();
export const PaymentInputSchema = z
  .object({
    amount: amount.describe('cents, at most what is owed'),
    method: z.enum(PAYMENT_METHODS),
    reference: z.string().trim().max(100).nullable().optional(),
    receivedAt: z.iso.datetime({ offset: true }).optional().describe('ISO 8601; default now'),
  })
  .strict();
export type PaymentInput = z.input<typeof PaymentInputSchema>;

export const InvoiceListQuerySchema = dateRange({
  q: z.string().trim().max(100).optional().describe('invoice number contains (case-insensitive)'),
  status: z.enum(INVOICE_STATUSES).optional(),
  locationId: idQuery.optional(),
  customerId: idQuery.optional(),
  ...pageQuery,
});
export const PaymentListQuerySchema = dateRange({
  invoiceId: idQuery.optional(),
  method: z.enum(PAYMENT_METHODS).optional(),
  ...pageQuery,
});

export const InvoicePageSchema = z.object({ invoices: z.array(InvoiceSummarySchema), ...PageFields });
export const InvoiceResultSchema = z.object({ invoice: InvoiceSchema });
/** A sale issued (created, a draft issued, a quote converted) and the cash to hand back. */
export const SaleResultSchema = z.object({
  invoice: InvoiceSchema,
  change: z.number().int().min(0).describe('cents of cash to hand back: Σ (tendered − amount) over the cash payments'),
});
export type SaleResultJson = z.infer<typeof SaleResultSchema>;
export const PaymentListSchema = z.object({ payments: z.array(PaymentSchema) });
export const PaymentPageSchema = z.object({ payments: z.array(PaymentSchema), ...PageFields });
export const PaymentRecordedSchema = z.object({ payment: PaymentSchema, invoice: InvoiceSummarySchema });

// ── credit notes ─────────────────────────────────────────────────────────────────────────────────

export const CreditNoteSchema = z
  .object({
    id: z.number().int(),
    number: z.string().describe('CN-000001 (prefix from the settings)'),
    invoiceId: z.number().int(),
    issueDate: z.string(),
    subtotal: z.number().int(),
    tax: z.number().int(),
    total: z.number().int(),
    applied: z.number().int().describe('reduced what the customer owed'),
    refunded: z.number().int().describe('paid back in money'),
    refundMethod: z.enum(PAYMENT_METHODS).nullable(),
    reason: z.string().nullable(),
    createdBy: z.number().int(),
    createdAt: z.string(),
    lines: z
      .array(
        z.object({
          id: z.number().int(),
          invoiceLineId: z.number().int(),
          productId: z.number().int().nullable(),
          description: z.string(),
          quantity: quantityOut,
          taxRateBp: z.number().int(),
          lineSubtotal: z.number().int(),
          lineTax: z.number().int(),
          lineTotal: z.number().int(),
          costAmount: z.number().int().nullable().describe('value returned to stock; null when written off or free text'),
        }),
      )
      .optional(),
  })
  .meta({ id: 'CreditNote' });
export type CreditNoteJson = z.infer<typeof CreditNoteSchema>;

export const CreateCreditNoteInputSchema = z
  .object({
    lines: z
      .array(z.object({ invoiceLineId: id, quantity }).strict())
      .min(1)
      .max(MAX_INVOICE_LINES),
    date: date.optional().describe("default today in the tenant's time zone; not before the invoice"),
    reason: z.string().trim().max(200).nullable().optional(),
    refundMethod: z.enum(PAYMENT_METHODS).optional().describe('required when the credit exceeds what is still owed (money goes back)'),
    restock: z.boolean().optional().describe('put the goods back into stock (default true)'),
  })
  .strict();
export type CreateCreditNoteInput = z.input<typeof CreateCreditNoteInputSchema>;

export const CreditNoteListQuerySchema = dateRange({ invoiceId: idQuery.optional(), ...pageQuery });
export const CreditNotePageSchema = z.object({ creditNotes: z.array(CreditNoteSchema), ...PageFields });
export const CreditNoteResultSchema = z.object({ creditNote: CreditNoteSchema });
