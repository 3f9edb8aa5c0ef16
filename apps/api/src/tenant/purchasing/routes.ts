import {
  cancelPurchaseOrder,
  createPurchaseOrder,
  createSupplier,
  createSupplierBill,
  deleteSupplier,
  getPurchaseOrder,
  getSupplier,
  getSupplierBill,
  listPurchaseOrders,
  listSupplierBills,
  listSuppliers,
  PURCHASE_ORDER_STATUSES,
  paySupplierBill,
  voidSupplierBill,
  receivePurchaseOrder,
  SUPPLIER_BILL_STATUSES,
  updateSupplier,
} from '@salesfleet/models';
import { emailSchema } from '@salesfleet/contracts';
import { z } from 'zod';
import { BatchReceiptFields } from '@salesfleet/contracts';
import type { TenantApiRoutes } from '../../http/api-routes';
import { boolQuery, date, id, idParam, idQuery, PageFields, pageQuery, quantity } from '../sales/schemas';
import {
  amount,
  PurchaseOrderSchema,
  PurchaseOrderSummarySchema,
  purchaseOrderJson,
  purchaseOrderSummaryJson,
  SupplierBillSchema,
  SupplierBillSummarySchema,
  SupplierPaymentSchema,
  SupplierSchema,
  supplierBillJson,
  supplierBillSummaryJson,
  supplierJson,
  supplierPaymentJson,
  unitCost,
} from './schemas';

const text = (max: number) => z.string().trim().min(1, 'required').max(max, `at most ${max} characters`);
const optionalText = (max: number) => z.string().trim().max(max, `at most ${max} characters`).nullable().optional();

const SupplierBody = z
  .object({
    name: text(200),
    email: emailSchema.nullable().optional(),
    phone: optionalText(50),
    taxNumber: optionalText(50),
    address: optionalText(2000),
    isActive: z.boolean().optional(),
  })
  .strict();

const PurchaseOrderBody = z
  .object({
    supplierId: id,
    locationId: id.describe('where the goods will arrive'),
    orderDate: date.optional().describe('default today'),
    expectedDate: date.nullable().optional(),
    notes: optionalText(5000),
    lines: z
      .array(z.object({ productId: id, quantity, unitCost }).strict())
      .min(1)
      .max(500),
  })
  .strict();

const ReceiveBody = z
  .object({
    lines: z
      .array(z.object({ lineId: id, quantity, ...BatchReceiptFields }).strict())
      .min(1)
      .max(500)
      .optional()
      .describe('what arrived per order line (a batch-tracked product: once per batch, naming it); omit to receive everything still due'),
    date: date.optional().describe('receipt and bill date; default today'),
    supplierReference: optionalText(100).describe("the supplier's invoice number"),
    dueDate: date.nullable().optional(),
  })
  .strict();

const SupplierBillBody = z
  .object({
    supplierId: id,
    accountId: id.describe('the expense (or asset) account the bill is for; goods for stock are billed by receiving them'),
    amount,
    billDate: date.optional(),
    dueDate: date.nullable().optional(),
    supplierReference: optionalText(100),
    description: optionalText(255),
  })
  .strict();

const VoidBillBody = z
  .object({
    reason: optionalText(200).describe('why, in a few words'),
    date: date.optional().describe('posting date of the reversal; default today'),
  })
  .strict();

const SupplierPaymentBody = z
  .object({
    amount: amount.describe('cents; at most what is still owed'),
    paidFromAccountId: id.optional().describe('cash, bank or another money account; default Bank'),
    date: date.optional(),
    reference: optionalText(100),
  })
  .strict();

/**
 * Purchasing: suppliers, purchase orders and receiving goods against them (posts Inventory /
 * Accounts payable at cost and opens a supplier bill), other supplier bills, supplier payments.
 */
export function purchasingRoutes(routes: TenantApiRoutes): void {
  // ── suppliers ──
  routes.add(
    {
      method: 'get',
      path: '/suppliers',
      summary: 'List suppliers (search name, email or phone; filter active), a page at a time',
      permission: 'purchasing.view_supplier',
      query: z.object({ q: z.string().trim().max(100).optional(), active: boolQuery.optional(), ...pageQuery }),
      responses: { 200: { description: 'A page of suppliers', schema: z.object({ suppliers: z.array(SupplierSchema), ...PageFields }) } },
    },
    async (c, { query }) => {
      const page = await listSuppliers(c.var.db, query);
      return c.json({ suppliers: page.items.map(supplierJson), total: page.total, limit: page.limit, offset: page.offset });
    },
  );
  routes.add(
    {
      method: 'get',
      path: '/suppliers/:id',
      summary: 'One supplier',
      permission: 'purchasing.view_supplier',
      params: idParam,
      responses: { 200: { description: 'The supplier', schema: z.object({ supplier: SupplierSchema }) }, 404: { description: 'NotFound' } },
    },
    async (c, { params }) => c.json({ supplier: supplierJson(await getSupplier(c.var.db, params.id)) }),
  );
  routes.add(
    {
      method: 'post',
      path: '/suppliers',
      summary: 'Create a supplier',
      permission: 'purchasing.add_supplier',
      body: SupplierBody,
      responses: { 201: { description: 'Created', schema: z.object({ supplier: SupplierSchema }) } },
    },
    async (c, { body }) => c.json({ supplier: supplierJson(await createSupplier(c.var.db, body)) }, 201),
  );
  routes.add(
    {
      method: 'patch',
      path: '/suppliers/:id',
      summary: 'Update a supplier',
      permission: 'purchasing.change_supplier',
      params: idParam,
      body: SupplierBody.partial(),
      responses: { 200: { description: 'Updated', schema: z.object({ supplier: SupplierSchema }) }, 404: { description: 'NotFound' } },
    },
    async (c, { params, body }) => c.json({ supplier: supplierJson(await updateSupplier(c.var.db, params.id, body)) }),
  );
  routes.add(
    {
      method: 'delete',
      path: '/suppliers/:id',
      summary: 'Delete a supplier without orders or bills (409 otherwise: deactivate it)',
      permission: 'purchasing.delete_supplier',
      params: idParam,
      responses: { 204: { description: 'Deleted' }, 404: { description: 'NotFound' }, 409: { description: 'Conflict: in use' } },
    },
    async (c, { params }) => {
      await deleteSupplier(c.var.db, params.id);
      return c.body(null, 204);
    },
  );

  // ── purchase orders ──
  routes.add(
    {
      method: 'get',
      path: '/purchase-orders',
      summary: 'Purchase orders, newest first',
      permission: 'purchasing.view_purchase_order',
      query: z.object({ supplierId: idQuery.optional(), status: z.enum(PURCHASE_ORDER_STATUSES).optional(), ...pageQuery }),
      responses: {
        200: { description: 'A page of orders', schema: z.object({ purchaseOrders: z.array(PurchaseOrderSummarySchema), ...PageFields }) },
      },
    },
    async (c, { query }) => {
      const page = await listPurchaseOrders(c.var.db, query);
      return c.json({
        purchaseOrders: page.items.map(purchaseOrderSummaryJson),
        total: page.total,
        limit: page.limit,
        offset: page.offset,
      });
    },
  );
  routes.add(
    {
      method: 'get',
      path: '/purchase-orders/:id',
      summary: 'One purchase order with its lines (ordered and received)',
      permission: 'purchasing.view_purchase_order',
      params: idParam,
      responses: {
        200: { description: 'The order', schema: z.object({ purchaseOrder: PurchaseOrderSchema }) },
        404: { description: 'NotFound' },
      },
    },
    async (c, { params }) => c.json({ purchaseOrder: purchaseOrderJson(await getPurchaseOrder(c.var.db, params.id)) }),
  );
  routes.add(
    {
      method: 'post',
      path: '/purchase-orders',
      summary: 'Place a purchase order (posts nothing until goods are received)',
      permission: 'purchasing.add_purchase_order',
      body: PurchaseOrderBody,
      responses: { 201: { description: 'Created', schema: z.object({ purchaseOrder: PurchaseOrderSchema }) } },
    },
    async (c, { body }) =>
      c.json({ purchaseOrder: purchaseOrderJson(await createPurchaseOrder(c.var.db, { ...body, userId: c.var.user.user.id })) }, 201),
  );
  routes.add(
    {
      method: 'post',
      path: '/purchase-orders/:id/cancel',
      summary: 'Cancel an order nothing was received against',
      permission: 'purchasing.change_purchase_order',
      params: idParam,
      responses: {
        200: { description: 'Cancelled', schema: z.object({ purchaseOrder: PurchaseOrderSchema }) },
        409: { description: 'Conflict' },
      },
    },
    async (c, { params }) => c.json({ purchaseOrder: purchaseOrderJson(await cancelPurchaseOrder(c.var.db, params.id)) }),
  );
  routes.add(
    {
      method: 'post',
      path: '/purchase-orders/:id/receipts',
      summary: 'Receive goods against an order (all or part): stock in, Inventory / Accounts payable at cost, a supplier bill',
      permission: 'purchasing.receive_goods',
      params: idParam,
      body: ReceiveBody,
      responses: {
        201: {
          description: 'The order after the receipt and the bill opened for it',
          schema: z.object({ purchaseOrder: PurchaseOrderSchema, bill: SupplierBillSummarySchema }),
        },
        400: { description: 'ValidationFailed: more than is still due, unknown line' },
        409: { description: 'Conflict: the order is cancelled or fully received' },
      },
    },
    async (c, { params, body }) => {
      const result = await receivePurchaseOrder(c.var.db, params.id, { ...body, userId: c.var.user.user.id });
      return c.json({ purchaseOrder: purchaseOrderJson(result.order), bill: supplierBillSummaryJson(result.bill) }, 201);
    },
  );

  // ── supplier bills and payments ──
  routes.add(
    {
      method: 'get',
      path: '/supplier-bills',
      summary: 'Supplier bills, newest first',
      permission: 'purchasing.view_supplier_bill',
      query: z.object({ supplierId: idQuery.optional(), status: z.enum(SUPPLIER_BILL_STATUSES).optional(), ...pageQuery }),
      responses: {
        200: { description: 'A page of bills', schema: z.object({ bills: z.array(SupplierBillSummarySchema), ...PageFields }) },
      },
    },
    async (c, { query }) => {
      const page = await listSupplierBills(c.var.db, query);
      return c.json({ bills: page.items.map(supplierBillSummaryJson), total: page.total, limit: page.limit, offset: page.offset });
    },
  );
  routes.add(
    {
      method: 'get',
      path: '/supplier-bills/:id',
      summary: 'One supplier bill with its payments',
      permission: 'purchasing.view_supplier_bill',
      params: idParam,
      responses: { 200: { description: 'The bill', schema: z.object({ bill: SupplierBillSchema }) }, 404: { description: 'NotFound' } },
    },
    async (c, { params }) => c.json({ bill: supplierBillJson(await getSupplierBill(c.var.db, params.id)) }),
  );
  routes.add(
    {
      method: 'post',
      path: '/supplier-bills',
      summary: 'Enter a bill for something other than stock (posts its account / Accounts payable)',
      permission: 'purchasing.add_supplier_bill',
      body: SupplierBillBody,
      responses: { 201: { description: 'Created', schema: z.object({ bill: SupplierBillSchema }) } },
    },
    async (c, { body }) =>
      c.json({ bill: supplierBillJson(await createSupplierBill(c.var.db, { ...body, userId: c.var.user.user.id })) }, 201),
  );
  routes.add(
    {
      method: 'post',
      path: '/supplier-bills/:id/void',
      summary: 'Void a bill entered by mistake: its posting reversed, nothing owed (refused once paid, or for goods received)',
      permission: 'purchasing.delete_supplier_bill',
      params: idParam,
      body: VoidBillBody,
      responses: {
        200: { description: 'The void bill', schema: z.object({ bill: SupplierBillSchema }) },
        404: { description: 'NotFound' },
        409: {
          description:
            'Conflict: already void (details.status), has payments (details.reason paid), or is the bill of a goods receipt (details.reason goodsReceived)',
        },
      },
    },
    async (c, { params, body }) =>
      c.json({ bill: supplierBillJson(await voidSupplierBill(c.var.db, params.id, { ...body, userId: c.var.user.user.id })) }),
  );
  routes.add(
    {
      method: 'post',
      path: '/supplier-bills/:id/payments',
      summary: 'Pay (part of) a supplier bill: Accounts payable / the money account',
      permission: 'purchasing.add_supplier_payment',
      params: idParam,
      body: SupplierPaymentBody,
      responses: {
        201: {
          description: 'The payment and the bill after it',
          schema: z.object({ payment: SupplierPaymentSchema, bill: SupplierBillSchema }),
        },
        409: { description: 'Conflict: more than is still owed (details.owed)' },
      },
    },
    async (c, { params, body }) => {
      const result = await paySupplierBill(c.var.db, params.id, { ...body, userId: c.var.user.user.id });
      return c.json({ payment: supplierPaymentJson(result.payment), bill: supplierBillJson(result.bill) }, 201);
    },
  );
}
