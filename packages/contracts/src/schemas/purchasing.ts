import { z } from 'zod';
import { MAX_INVOICE_LINES } from '../rules/limits';
import {
  amount,
  date,
  id,
  idQuery,
  optionalText,
  PageFields,
  pageQuery,
  quantity,
  quantityOut,
  SearchQuerySchema,
  unitCents,
} from './common';
import { PartyFields, PartyInputSchema } from './parties';
import { BatchReceiptFields } from './stock-batches';

/** Purchasing in the tenant API: suppliers, purchase orders and receipts, supplier bills and payments. */

export const PURCHASE_ORDER_STATUSES = ['ordered', 'partial', 'received', 'cancelled'] as const;
export type PurchaseOrderStatus = (typeof PURCHASE_ORDER_STATUSES)[number];
export const SUPPLIER_BILL_STATUSES = ['open', 'paid', 'void'] as const;
export type SupplierBillStatus = (typeof SUPPLIER_BILL_STATUSES)[number];

// ── suppliers ────────────────────────────────────────────────────────────────────────────────────

export const SupplierSchema = z.object(PartyFields).meta({ id: 'Supplier' });
export type SupplierJson = z.infer<typeof SupplierSchema>;
export const SupplierInputSchema = PartyInputSchema;
export const SupplierListQuerySchema = SearchQuerySchema;

export const SupplierPageSchema = z.object({ suppliers: z.array(SupplierSchema), ...PageFields });
export const SupplierResultSchema = z.object({ supplier: SupplierSchema });

// ── purchase orders ──────────────────────────────────────────────────────────────────────────────

export const PurchaseOrderLineSchema = z
  .object({
    id: z.number().int(),
    productId: z.number().int(),
    quantity: quantityOut,
    quantityReceived: quantityOut,
    unitCost: z.number().int().describe('cents per unit, with tax when taxInclusive'),
    taxRateBp: z.number().int().describe('the rate the line was ordered at (basis points)'),
    taxInclusive: z.boolean(),
    lineTotal: z.number().int().describe('cents: what the line costs with its tax'),
    lineTax: z.number().int(),
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
  total: z.number().int().describe('cents: Σ line totals (with tax)'),
  tax: z.number().int().describe('cents: the tax in the total'),
  notes: z.string().nullable(),
  createdBy: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
};
export const PurchaseOrderSummarySchema = z.object(PurchaseOrderFields).meta({ id: 'PurchaseOrderSummary' });
export type PurchaseOrderSummaryJson = z.infer<typeof PurchaseOrderSummarySchema>;
export const PurchaseOrderSchema = z
  .object({ ...PurchaseOrderFields, lines: z.array(PurchaseOrderLineSchema) })
  .meta({ id: 'PurchaseOrder' });
export type PurchaseOrderJson = z.infer<typeof PurchaseOrderSchema>;

const unitCost = unitCents.describe('cents per unit');

export const CreatePurchaseOrderInputSchema = z
  .object({
    supplierId: id,
    locationId: id.describe('where the goods will arrive'),
    orderDate: date.optional().describe('default today'),
    expectedDate: date.nullable().optional(),
    notes: optionalText(5000),
    lines: z
      .array(
        z
          .object({
            productId: id,
            quantity,
            unitCost,
            taxRateId: id.nullable().optional().describe('the tax rate charged (its percentage and basis are recorded); none: no tax'),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_INVOICE_LINES),
  })
  .strict();
export type CreatePurchaseOrderInput = z.input<typeof CreatePurchaseOrderInputSchema>;

export const ReceivePurchaseOrderInputSchema = z
  .object({
    lines: z
      .array(z.object({ lineId: id, quantity, ...BatchReceiptFields }).strict())
      .min(1)
      .max(MAX_INVOICE_LINES)
      .optional()
      .describe('what arrived per order line (a batch-tracked product: once per batch, naming it); omit to receive everything still due'),
    date: date.optional().describe('receipt and bill date; default today'),
    supplierReference: optionalText(100).describe("the supplier's invoice number"),
    dueDate: date.nullable().optional(),
  })
  .strict();
export type ReceivePurchaseOrderInput = z.input<typeof ReceivePurchaseOrderInputSchema>;

export const PurchaseOrderListQuerySchema = z.object({
  supplierId: idQuery.optional(),
  status: z.enum(PURCHASE_ORDER_STATUSES).optional(),
  ...pageQuery,
});
export const PurchaseOrderPageSchema = z.object({ purchaseOrders: z.array(PurchaseOrderSummarySchema), ...PageFields });
export const PurchaseOrderResultSchema = z.object({ purchaseOrder: PurchaseOrderSchema });

// ── supplier bills and payments ──────────────────────────────────────────────────────────────────

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
export type SupplierPaymentJson = z.infer<typeof SupplierPaymentSchema>;

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
  total: z.number().int().describe('cents, with tax'),
  tax: z.number().int().describe('the input tax in the total, cents'),
  amountPaid: z.number().int(),
  amountDue: z.number().int(),
  description: z.string().nullable(),
  createdBy: z.number().int(),
  createdAt: z.string(),
};
export const SupplierBillSummarySchema = z.object(SupplierBillFields).meta({ id: 'SupplierBillSummary' });
export type SupplierBillSummaryJson = z.infer<typeof SupplierBillSummarySchema>;
export const SupplierBillSchema = z
  .object({ ...SupplierBillFields, payments: z.array(SupplierPaymentSchema) })
  .meta({ id: 'SupplierBill' });
export type SupplierBillJson = z.infer<typeof SupplierBillSchema>;

export const CreateSupplierBillInputSchema = z
  .object({
    supplierId: id,
    accountId: id.describe('the expense (or asset) account the bill is for; goods for stock are billed by receiving them'),
    amount: amount.describe('cents: with tax when the rate is inclusive, before tax otherwise'),
    taxRateId: id.nullable().optional().describe('the tax rate charged (input tax); none: no tax'),
    billDate: date.optional(),
    dueDate: date.nullable().optional(),
    supplierReference: optionalText(100),
    description: optionalText(255),
  })
  .strict();
export type CreateSupplierBillInput = z.input<typeof CreateSupplierBillInputSchema>;

export const VoidSupplierBillInputSchema = z
  .object({
    reason: optionalText(200).describe('why, in a few words'),
    date: date.optional().describe('posting date of the reversal; default today'),
  })
  .strict();

export const SupplierPaymentInputSchema = z
  .object({
    amount: amount.describe('cents; at most what is still owed'),
    paidFromAccountId: id.optional().describe('cash, bank or another money account; default Bank'),
    date: date.optional(),
    reference: optionalText(100),
  })
  .strict();
export type SupplierPaymentInput = z.input<typeof SupplierPaymentInputSchema>;

export const SupplierBillListQuerySchema = z.object({
  supplierId: idQuery.optional(),
  status: z.enum(SUPPLIER_BILL_STATUSES).optional(),
  ...pageQuery,
});
export const SupplierBillPageSchema = z.object({ bills: z.array(SupplierBillSummarySchema), ...PageFields });
export const SupplierBillResultSchema = z.object({ bill: SupplierBillSchema });
export const PurchaseOrderReceivedSchema = z.object({ purchaseOrder: PurchaseOrderSchema, bill: SupplierBillSummarySchema });
export const SupplierBillPaidSchema = z.object({ payment: SupplierPaymentSchema, bill: SupplierBillSchema });
