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
  paySupplierBill,
  voidSupplierBill,
  receivePurchaseOrder,
  updateSupplier,
} from '@salesfleet/models';
import type { TenantApiRoutes } from '../../http/api-routes';
import { partyJson } from '../sales/json';
import { purchaseOrderJson, purchaseOrderSummaryJson, supplierBillJson, supplierBillSummaryJson, supplierPaymentJson } from './json';
import {
  CreatePurchaseOrderInputSchema,
  CreateSupplierBillInputSchema,
  idParam,
  PurchaseOrderListQuerySchema,
  PurchaseOrderPageSchema,
  PurchaseOrderReceivedSchema,
  PurchaseOrderResultSchema,
  ReceivePurchaseOrderInputSchema,
  SupplierBillListQuerySchema,
  SupplierBillPageSchema,
  SupplierBillPaidSchema,
  SupplierBillResultSchema,
  SupplierInputSchema,
  SupplierListQuerySchema,
  SupplierPageSchema,
  SupplierPaymentInputSchema,
  SupplierResultSchema,
  VoidSupplierBillInputSchema,
} from '@salesfleet/contracts';

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
      query: SupplierListQuerySchema,
      responses: { 200: { description: 'A page of suppliers', schema: SupplierPageSchema } },
    },
    async (c, { query }) => {
      const page = await listSuppliers(c.var.db, query);
      return c.json({ suppliers: page.items.map(partyJson), total: page.total, limit: page.limit, offset: page.offset });
    },
  );
  routes.add(
    {
      method: 'get',
      path: '/suppliers/:id',
      summary: 'One supplier',
      permission: 'purchasing.view_supplier',
      params: idParam,
      responses: { 200: { description: 'The supplier', schema: SupplierResultSchema }, 404: { description: 'NotFound' } },
    },
    async (c, { params }) => c.json({ supplier: partyJson(await getSupplier(c.var.db, params.id)) }),
  );
  routes.add(
    {
      method: 'post',
      path: '/suppliers',
      summary: 'Create a supplier',
      permission: 'purchasing.add_supplier',
      body: SupplierInputSchema,
      responses: { 201: { description: 'Created', schema: SupplierResultSchema } },
    },
    async (c, { body }) => c.json({ supplier: partyJson(await createSupplier(c.var.db, body)) }, 201),
  );
  routes.add(
    {
      method: 'patch',
      path: '/suppliers/:id',
      summary: 'Update a supplier',
      permission: 'purchasing.change_supplier',
      params: idParam,
      body: SupplierInputSchema.partial(),
      responses: { 200: { description: 'Updated', schema: SupplierResultSchema }, 404: { description: 'NotFound' } },
    },
    async (c, { params, body }) => c.json({ supplier: partyJson(await updateSupplier(c.var.db, params.id, body)) }),
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
      query: PurchaseOrderListQuerySchema,
      responses: {
        200: { description: 'A page of orders', schema: PurchaseOrderPageSchema },
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
        200: { description: 'The order', schema: PurchaseOrderResultSchema },
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
      body: CreatePurchaseOrderInputSchema,
      responses: { 201: { description: 'Created', schema: PurchaseOrderResultSchema } },
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
        200: { description: 'Cancelled', schema: PurchaseOrderResultSchema },
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
      body: ReceivePurchaseOrderInputSchema,
      responses: {
        201: {
          description: 'The order after the receipt and the bill opened for it',
          schema: PurchaseOrderReceivedSchema,
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
      query: SupplierBillListQuerySchema,
      responses: {
        200: { description: 'A page of bills', schema: SupplierBillPageSchema },
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
      responses: { 200: { description: 'The bill', schema: SupplierBillResultSchema }, 404: { description: 'NotFound' } },
    },
    async (c, { params }) => c.json({ bill: supplierBillJson(await getSupplierBill(c.var.db, params.id)) }),
  );
  routes.add(
    {
      method: 'post',
      path: '/supplier-bills',
      summary: 'Enter a bill for something other than stock (posts its account / Accounts payable)',
      permission: 'purchasing.add_supplier_bill',
      body: CreateSupplierBillInputSchema,
      responses: { 201: { description: 'Created', schema: SupplierBillResultSchema } },
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
      body: VoidSupplierBillInputSchema,
      responses: {
        200: { description: 'The void bill', schema: SupplierBillResultSchema },
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
      body: SupplierPaymentInputSchema,
      responses: {
        201: {
          description: 'The payment and the bill after it',
          schema: SupplierBillPaidSchema,
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
