import type {
  PurchaseOrderJson,
  PurchaseOrderSummaryJson,
  SupplierBillJson,
  SupplierBillSummaryJson,
  SupplierPaymentJson,
} from '@salesfleet/contracts';
import { quantityNumber, type PurchaseOrder, type SupplierBill, type SupplierPayment } from '@salesfleet/models';
import { day, iso } from '../sales/json';

/** The purchasing rows as the API answers them (the shapes are @salesfleet/contracts' schemas). */

export function purchaseOrderSummaryJson(o: PurchaseOrder): PurchaseOrderSummaryJson {
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    supplierId: o.supplierId as number,
    locationId: o.locationId as number,
    orderDate: day(o.orderDate)!,
    expectedDate: day(o.expectedDate),
    total: Number(o.total),
    tax: Number(o.tax),
    notes: o.notes ?? null,
    createdBy: o.createdBy as number,
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
  };
}

export function purchaseOrderJson(o: PurchaseOrder): PurchaseOrderJson {
  return {
    ...purchaseOrderSummaryJson(o),
    lines: (o.lines ?? []).map((l) => ({
      id: l.id,
      productId: l.productId as number,
      quantity: quantityNumber(Number(l.quantity)),
      quantityReceived: quantityNumber(Number(l.quantityReceived)),
      unitCost: Number(l.unitCost),
      taxRateBp: Number(l.taxRateBp),
      taxInclusive: Boolean(l.taxInclusive),
      lineTotal: Number(l.lineTotal),
      lineTax: Number(l.lineTax),
    })),
  };
}

export function supplierPaymentJson(p: SupplierPayment): SupplierPaymentJson {
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

export function supplierBillSummaryJson(b: SupplierBill): SupplierBillSummaryJson {
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
    tax: Number(b.tax),
    amountPaid: Number(b.amountPaid),
    amountDue: b.status === 'void' ? 0 : Number(b.total) - Number(b.amountPaid),
    description: b.description ?? null,
    createdBy: b.createdBy as number,
    createdAt: iso(b.createdAt),
  };
}

export function supplierBillJson(b: SupplierBill): SupplierBillJson {
  return { ...supplierBillSummaryJson(b), payments: (b.payments ?? []).map(supplierPaymentJson) };
}
