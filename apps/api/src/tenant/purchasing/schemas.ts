import {
  MAX_AMOUNT,
  PURCHASE_ORDER_STATUSES,
  quantityNumber,
  SUPPLIER_BILL_STATUSES,
  type PurchaseOrder,
  type Supplier,
  type SupplierBill,
  type SupplierPayment,
} from '@salesfleet/models';
import { z } from 'zod';
import { quantityOut } from '../sales/schemas';

/** Shapes of the purchasing routes' responses. */

const iso = (d: Date | string) => new Date(d).toISOString();
const day = (d: unknown) => (d === null || d === undefined ? null : String(d).slice(0, 10));

export const amount = z.number().int('integer cents').min(1).max(MAX_AMOUNT);
export const unitCost = z.number().int('integer cents').min(0).max(2_147_483_647).describe('cents per unit');

export const SupplierSchema = z
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
  .meta({ id: 'Supplier' });

export function supplierJson(s: Supplier): z.infer<typeof SupplierSchema> {
  return {
    id: s.id,
    name: s.name,
    email: s.email ?? null,
    phone: s.phone ?? null,
    taxNumber: s.taxNumber ?? null,
    address: s.address ?? null,
    isActive: Boolean(s.isActive),
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
  };
}

export const PurchaseOrderLineSchema = z
  .object({
    id: z.number().int(),
    productId: z.number().int(),
    quantity: quantityOut,
    quantityReceived: quantityOut,
    unitCost: z.number().int(),
    lineTotal: z.number().int(),
  })
  .meta({ id: 'PurchaseOrderLine' });

const PurchaseOrderFields = {
  id: z.number().int(),
  number: z.string().describe('PO-000123'),
  status: z.enum(PURCHASE_ORDER_STATUSES),
  supplierId: z.number().int(),
  locationId: z.number().int(),
  orderDate: z.string(),
  expectedDate: z.string().nullable(),
  total: z.number().int().describe('cents: Σ quantity ordered × unit cost'),
  notes: z.string().nullable(),
  createdBy: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
};
export const PurchaseOrderSummarySchema = z.object(PurchaseOrderFields).meta({ id: 'PurchaseOrderSummary' });
export const PurchaseOrderSchema = z
  .object({ ...PurchaseOrderFields, lines: z.array(PurchaseOrderLineSchema) })
  .meta({ id: 'PurchaseOrder' });

export function purchaseOrderSummaryJson(o: PurchaseOrder): z.infer<typeof PurchaseOrderSummarySchema> {
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    supplierId: o.supplierId as number,
    locationId: o.locationId as number,
    orderDate: day(o.orderDate)!,
    expectedDate: day(o.expectedDate),
    total: Number(o.total),
    notes: o.notes ?? null,
    createdBy: o.createdBy as number,
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
  };
}

export function purchaseOrderJson(o: PurchaseOrder): z.infer<typeof PurchaseOrderSchema> {
  return {
    ...purchaseOrderSummaryJson(o),
    lines: (o.lines ?? []).map((l) => ({
      id: l.id,
      productId: l.productId as number,
      quantity: quantityNumber(Number(l.quantity)),
      quantityReceived: quantityNumber(Number(l.quantityReceived)),
      unitCost: Number(l.unitCost),
      lineTotal: Number(l.lineTotal),
    })),
  };
}

export const SupplierPaymentSchema = z
  .object({
    id: z.number().int(),
    supplierBillId: z.number().int(),
    amount: z.number().int(),
    paidFromAccountId: z.number().int(),
    paymentDate: z.string(),
    reference: z.string().nullable(),
    createdBy: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'SupplierPayment' });

export function supplierPaymentJson(p: SupplierPayment): z.infer<typeof SupplierPaymentSchema> {
  return {
    id: p.id,
    supplierBillId: p.supplierBillId as number,
    amount: Number(p.amount),
    paidFromAccountId: p.paidFromAccountId as number,
    paymentDate: day(p.paymentDate)!,
    reference: p.reference ?? null,
    createdBy: p.createdBy as number,
    createdAt: iso(p.createdAt),
  };
}

const SupplierBillFields = {
  id: z.number().int(),
  number: z.string().describe('BILL-000123'),
  supplierReference: z.string().nullable().describe("the supplier's invoice number"),
  supplierId: z.number().int(),
  purchaseOrderId: z.number().int().nullable().describe('set on bills for goods received'),
  accountId: z.number().int().nullable().describe('the account debited; null for goods (Inventory)'),
  status: z.enum(SUPPLIER_BILL_STATUSES),
  billDate: z.string(),
  dueDate: z.string().nullable(),
  total: z.number().int(),
  amountPaid: z.number().int(),
  amountDue: z.number().int(),
  description: z.string().nullable(),
  createdBy: z.number().int(),
  createdAt: z.string(),
};
export const SupplierBillSummarySchema = z.object(SupplierBillFields).meta({ id: 'SupplierBillSummary' });
export const SupplierBillSchema = z
  .object({ ...SupplierBillFields, payments: z.array(SupplierPaymentSchema) })
  .meta({ id: 'SupplierBill' });

export function supplierBillSummaryJson(b: SupplierBill): z.infer<typeof SupplierBillSummarySchema> {
  return {
    id: b.id,
    number: b.number,
    supplierReference: b.supplierReference ?? null,
    supplierId: b.supplierId as number,
    purchaseOrderId: (b.purchaseOrderId as number | null | undefined) ?? null,
    accountId: (b.accountId as number | null | undefined) ?? null,
    status: b.status,
    billDate: day(b.billDate)!,
    dueDate: day(b.dueDate),
    total: Number(b.total),
    amountPaid: Number(b.amountPaid),
    amountDue: b.status === 'void' ? 0 : Number(b.total) - Number(b.amountPaid),
    description: b.description ?? null,
    createdBy: b.createdBy as number,
    createdAt: iso(b.createdAt),
  };
}

export function supplierBillJson(b: SupplierBill): z.infer<typeof SupplierBillSchema> {
  return { ...supplierBillSummaryJson(b), payments: (b.payments ?? []).map(supplierPaymentJson) };
}
