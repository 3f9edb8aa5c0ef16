import {
  creditStatus,
  type DocumentLineJson,
  type InvoiceJson,
  type InvoiceSummaryJson,
  type Party,
  type PaymentJson,
  type ProductJson,
  type StockLevelJson,
  type StockMovementJson,
} from '@salesfleet/contracts';
import {
  quantityNumber,
  type Customer,
  type Invoice,
  type InvoiceLine,
  type Payment,
  type Product,
  type ProductRow,
  type QuoteLine,
  type StockLevel,
  type StockMovement,
  type Supplier,
} from '@salesfleet/models';

/** The sales rows as the API answers them (the shapes are @salesfleet/contracts' schemas). */

/** Drops absent optional fields of a parsed body (the models take them absent, not undefined). */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** An instant as ISO 8601. */
export const iso = (d: Date | string) => new Date(d).toISOString();
/** A DATEONLY column as YYYY-MM-DD (null stays null). */
export const day = (d: unknown) => (d === null || d === undefined ? null : String(d).slice(0, 10));

// ── customers and suppliers ──────────────────────────────────────────────────────────────────────

/** A customer or a supplier: the same contact card. */
export function partyJson(c: Customer | Supplier): Party {
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

export function productJson(p: Product | ProductRow, stockInThousandths: { locationId: number; quantity: number }[]): ProductJson {
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

export function stockLevelJson(s: StockLevel): StockLevelJson {
  return {
    productId: s.productId as number,
    sku: s.product?.sku ?? '',
    name: s.product?.name ?? '',
    locationId: s.locationId as number,
    quantity: quantityNumber(s.quantity),
    updatedAt: iso(s.updatedAt),
  };
}

export function stockMovementJson(m: StockMovement): StockMovementJson {
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

export function paymentJson(p: Payment): PaymentJson {
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

/** A line of an invoice or a quote (the same columns). */
export function documentLineJson(l: InvoiceLine | QuoteLine): DocumentLineJson {
  return {
    id: l.id,
    productId: (l.productId as number | null | undefined) ?? null,
    description: l.description,
    quantity: quantityNumber(Number(l.quantity)),
    unitPrice: Number(l.unitPrice),
    taxRateBp: l.taxRateBp,
    taxInclusive: Boolean(l.taxInclusive),
    discountBp: l.discountBp ?? null,
    discountAmount: Number(l.discountAmount ?? 0),
    invoiceDiscount: Number(l.invoiceDiscount ?? 0),
    lineSubtotal: Number(l.lineSubtotal),
    lineTax: Number(l.lineTax),
    lineTotal: Number(l.lineTotal),
  };
}

export function invoiceSummaryJson(i: Invoice): InvoiceSummaryJson {
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
    creditedTotal: i.creditedTotal ?? 0,
    creditStatus: creditStatus(i.total, i.creditedTotal ?? 0),
    amountDue: i.status === 'void' ? 0 : i.total - i.amountPaid - (i.amountCredited ?? 0),
    notes: i.notes ?? null,
    quoteId: (i.quoteId as number | null | undefined) ?? null,
    createdBy: i.createdBy as number,
    createdAt: iso(i.createdAt),
    updatedAt: iso(i.updatedAt),
  };
}

export function invoiceJson(i: Invoice): InvoiceJson {
  return { ...invoiceSummaryJson(i), lines: (i.lines ?? []).map(documentLineJson), payments: (i.payments ?? []).map(paymentJson) };
}
