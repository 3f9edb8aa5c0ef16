import { z } from 'zod';
import {
  quantityNumber,
  type Customer,
  type Invoice,
  type InvoiceLine,
  type Payment,
  type Product,
  type ProductRow,
  type StockLevel,
  type StockMovement,
} from '@salesfleet/models';

// Shared pieces (ids, dates, quantities, pages) are @salesfleet/contracts'; re-exported until these schemas move there too.
import { quantityOut } from '@salesfleet/contracts';
export {
  boolQuery,
  cents,
  date,
  dateRange,
  id,
  idParam,
  idQuery,
  PageFields,
  pageQuery,
  quantity,
  quantityOut,
  signedQuantity,
} from '@salesfleet/contracts';

/** Drops absent optional fields of a parsed body (the models take them absent, not undefined). */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const iso = (d: Date | string) => new Date(d).toISOString();

// ── customers ────────────────────────────────────────────────────────────────────────────────────

export const CustomerSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    taxNumber: z.string().nullable(),
    address: z.string().nullable(),
    isActive: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Customer' });

export function customerJson(c: Customer): z.infer<typeof CustomerSchema> {
  return {
    id: c.id,
    name: c.name,
    email: c.email ?? null,
    phone: c.phone ?? null,
    taxNumber: c.taxNumber ?? null,
    address: c.address ?? null,
    isActive: Boolean(c.isActive),
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}

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

export function productJson(
  p: Product | ProductRow,
  stockInThousandths: { locationId: number; quantity: number }[],
): z.infer<typeof ProductSchema> {
  const stock = stockInThousandths.map((s) => ({ locationId: s.locationId, quantity: quantityNumber(s.quantity) }));
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description ?? null,
    unitPrice: p.unitPrice,
    costPrice: p.costPrice ?? null,
    taxRateId: (p.taxRateId as number | null | undefined) ?? null,
    unitId: (p.unitId as number | null | undefined) ?? null,
    categoryId: (p.categoryId as number | null | undefined) ?? null,
    barcode: p.barcode ?? null,
    onHand: quantityNumber(Number(p.inventoryQuantity ?? 0)),
    inventoryValue: Number(p.inventoryValue ?? 0),
    allowNegativeStock: Boolean(p.allowNegativeStock),
    trackBatches: Boolean(p.trackBatches),
    isActive: Boolean(p.isActive),
    stock,
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
  };
}

// ── stock ────────────────────────────────────────────────────────────────────────────────────────

export const StockLevelSchema = z
  .object({
    productId: z.number().int(),
    sku: z.string(),
    name: z.string(),
    locationId: z.number().int(),
    quantity: quantityOut,
    updatedAt: z.string(),
  })
  .meta({ id: 'StockLevel' });

export function stockLevelJson(s: StockLevel): z.infer<typeof StockLevelSchema> {
  return {
    productId: s.productId as number,
    sku: s.product?.sku ?? '',
    name: s.product?.name ?? '',
    locationId: s.locationId as number,
    quantity: quantityNumber(s.quantity),
    updatedAt: iso(s.updatedAt),
  };
}

export const StockMovementSchema = z
  .object({
    id: z.number().int(),
    productId: z.number().int(),
    locationId: z.number().int(),
    quantity: quantityOut.describe('signed units: negative when goods leave'),
    reason: z.string(),
    reference: z.string().nullable(),
    createdBy: z.number().int().nullable(),
    batchId: z.number().int().nullable().describe('the batch moved (batch-tracked products)'),
    createdAt: z.string(),
  })
  .meta({ id: 'StockMovement' });

export function stockMovementJson(m: StockMovement): z.infer<typeof StockMovementSchema> {
  return {
    id: m.id,
    productId: m.productId as number,
    locationId: m.locationId as number,
    quantity: quantityNumber(m.quantity),
    reason: m.reason,
    reference: m.reference ?? null,
    createdBy: (m.createdBy as number | null | undefined) ?? null,
    batchId: (m.batchId as number | null | undefined) ?? null,
    createdAt: iso(m.createdAt),
  };
}

// ── invoices and payments ────────────────────────────────────────────────────────────────────────

export const PaymentSchema = z
  .object({
    id: z.number().int(),
    invoiceId: z.number().int(),
    amount: z.number().int(),
    method: z.string(),
    reference: z.string().nullable(),
    receivedAt: z.string(),
    createdBy: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'Payment' });

export function paymentJson(p: Payment): z.infer<typeof PaymentSchema> {
  return {
    id: p.id,
    invoiceId: p.invoiceId as number,
    amount: p.amount,
    method: p.method,
    reference: p.reference ?? null,
    receivedAt: iso(p.receivedAt),
    createdBy: p.createdBy as number,
    createdAt: iso(p.createdAt),
  };
}

export const InvoiceLineSchema = z
  .object({
    id: z.number().int(),
    productId: z.number().int().nullable(),
    description: z.string(),
    quantity: quantityOut,
    unitPrice: z.number().int(),
    taxRateBp: z.number().int().describe('basis points: 2000 = 20 %'),
    taxInclusive: z.boolean().describe('the unit price includes the tax'),
    discountBp: z.number().int().nullable(),
    discountAmount: z.number().int().describe("the line's own discount, cents"),
    invoiceDiscount: z.number().int().describe("the line's share of the invoice discount, cents"),
    lineSubtotal: z.number().int().describe('net of discounts and tax'),
    lineTax: z.number().int(),
    lineTotal: z.number().int(),
  })
  .meta({ id: 'InvoiceLine' });

function lineJson(l: InvoiceLine): z.infer<typeof InvoiceLineSchema> {
  return {
    id: l.id,
    productId: (l.productId as number | null | undefined) ?? null,
    description: l.description,
    quantity: quantityNumber(l.quantity),
    unitPrice: l.unitPrice,
    taxRateBp: l.taxRateBp,
    taxInclusive: Boolean(l.taxInclusive),
    discountBp: l.discountBp ?? null,
    discountAmount: Number(l.discountAmount ?? 0),
    invoiceDiscount: Number(l.invoiceDiscount ?? 0),
    lineSubtotal: l.lineSubtotal,
    lineTax: l.lineTax,
    lineTotal: l.lineTotal,
  };
}

const InvoiceFields = {
  id: z.number().int(),
  number: z.string().describe('INV-000123 once issued; DRAFT-… for drafts'),
  status: z.enum(['draft', 'issued', 'paid', 'void']),
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
  amountCredited: z.number().int().describe('settled by credit notes'),
  amountDue: z.number().int(),
  notes: z.string().nullable(),
  quoteId: z.number().int().nullable().describe('the quote it was converted from'),
  createdBy: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const InvoiceSummarySchema = z.object(InvoiceFields).meta({ id: 'InvoiceSummary' });
export const InvoiceSchema = z
  .object({ ...InvoiceFields, lines: z.array(InvoiceLineSchema), payments: z.array(PaymentSchema) })
  .meta({ id: 'Invoice' });

export function invoiceSummaryJson(i: Invoice): z.infer<typeof InvoiceSummarySchema> {
  return {
    id: i.id,
    number: i.number,
    status: i.status,
    locationId: i.locationId as number,
    customerId: (i.customerId as number | null | undefined) ?? null,
    issueDate: String(i.issueDate).slice(0, 10),
    discountBp: i.discountBp ?? null,
    discountAmount: Number(i.discountAmount ?? 0),
    discountTotal: Number(i.discountTotal ?? 0),
    subtotal: i.subtotal,
    tax: i.tax,
    total: i.total,
    amountPaid: i.amountPaid,
    amountCredited: i.amountCredited ?? 0,
    amountDue: i.status === 'void' ? 0 : i.total - i.amountPaid - (i.amountCredited ?? 0),
    notes: i.notes ?? null,
    quoteId: (i.quoteId as number | null | undefined) ?? null,
    createdBy: i.createdBy as number,
    createdAt: iso(i.createdAt),
    updatedAt: iso(i.updatedAt),
  };
}

export function invoiceJson(i: Invoice): z.infer<typeof InvoiceSchema> {
  return { ...invoiceSummaryJson(i), lines: (i.lines ?? []).map(lineJson), payments: (i.payments ?? []).map(paymentJson) };
}
