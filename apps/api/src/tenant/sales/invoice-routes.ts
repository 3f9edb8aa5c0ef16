import type { z } from 'zod';
import {
  assertMayUseLocation,
  deleteDraftInvoice,
  getInvoice,
  getSettings,
  issueInvoice,
  listInvoices,
  listPayments,
  recordPayment,
  tillChange,
  voidInvoice,
  type Invoice,
  type InvoiceLineInput,
  type TillPayments,
  writeInvoice,
} from '@salesfleet/models';
import type { TenantApiRoutes } from '../../http/api-routes';
import { invoiceJson, invoiceSummaryJson, paymentJson, withoutUndefined } from './json';
import {
  CreateInvoiceInputSchema,
  hasDiscount,
  idParam,
  InvoiceListQuerySchema,
  InvoicePageSchema,
  InvoiceResultSchema,
  IssueInvoiceInputSchema,
  type LineInputSchema,
  PaymentInputSchema,
  PaymentListQuerySchema,
  PaymentListSchema,
  PaymentPageSchema,
  PaymentRecordedSchema,
  PermissionDenied,
  SaleResultSchema,
  type SaleResultJson,
  VoidInvoiceInputSchema,
} from '@salesfleet/contracts';

/** A line as the models take it (absent optional fields left out, not undefined). */
export function lineInput(l: z.output<typeof LineInputSchema>): InvoiceLineInput {
  return withoutUndefined(l) as unknown as InvoiceLineInput;
}

/** Discounts are for Admin and Managers (sales.give_discount): a cashier sells at the listed prices. */
export function assertMayDiscount(
  principal: { user: { isSuperuser: boolean }; permissions: ReadonlySet<string> },
  document: Parameters<typeof hasDiscount>[0],
): void {
  if (hasDiscount(document) && !principal.user.isSuperuser && !principal.permissions.has('sales.give_discount'))
    throw new PermissionDenied('sales.give_discount');
}

/** The answer to a sale: the invoice and the cash to hand back (settleTillPayments' change). */
export function saleJson(invoice: Invoice, payments: TillPayments): SaleResultJson {
  return { invoice: invoiceJson(invoice), change: invoice.status === 'draft' ? 0 : tillChange(invoice.total, payments) };
}

/** Invoices (create, issue, void, delete drafts, list) and their payments. */
export function invoiceRoutes(routes: TenantApiRoutes): void {
  routes.add(
    {
      method: 'get',
      path: '/invoices',
      summary: 'List invoices (newest first) by issue date range, status, location and customer',
      permission: 'sales.view_invoice',
      query: InvoiceListQuerySchema,
      responses: {
        200: { description: 'A page of invoices', schema: InvoicePageSchema },
      },
    },
    async (c, { query }) => {
      const page = await listInvoices(c.var.db, query);
      return c.json({ invoices: page.items.map(invoiceSummaryJson), total: page.total, limit: page.limit, offset: page.offset });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/invoices/:id',
      summary: 'One invoice with its lines and payments',
      permission: 'sales.view_invoice',
      params: idParam,
      responses: { 200: { description: 'The invoice', schema: InvoiceResultSchema }, 404: { description: 'NotFound' } },
    },
    async (c, { params }) => c.json({ invoice: invoiceJson(await getInvoice(c.var.db, params.id)) }),
  );

  routes.add(
    {
      method: 'get',
      path: '/invoices/:id/pdf',
      summary: 'The invoice as a PDF (A4) to download, print or send',
      permission: 'sales.view_invoice',
      params: idParam,
      responses: { 200: { description: 'The PDF', contentType: 'application/pdf' }, 404: { description: 'NotFound' } },
    },
    async (c, { params }) => {
      const models = c.var.db;
      const invoice = await getInvoice(models, params.id);
      const customerId = (invoice.customerId as number | null | undefined) ?? null;
      const customer = customerId === null ? null : await models.Customer.findByPk(customerId);
      const location = await models.Location.findByPk(invoice.locationId as number, { attributes: ['name'] });
      const settings = await getSettings(models);
      // pdfkit and the fonts load with the first PDF asked for: the largest libraries of the API (about
      // a fifth of its start-up), which most processes never use.
      const { renderInvoicePdf } = await import('./invoice-pdf');
      const pdf = await renderInvoicePdf({
        invoice,
        customer,
        company: {
          name: settings.companyName || c.var.tenant.name,
          address: settings.companyAddress,
          taxNumber: settings.companyTaxNumber,
        },
        locationName: location?.name ?? '',
        currency: settings.currency,
        locale: settings.locale,
      });
      // The number is [A-Z0-9-] (INV-000123, DRAFT-…): safe in a header as it is.
      return c.body(new Uint8Array(pdf), 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="${invoice.number.replace(/[^A-Za-z0-9-]/g, '')}.pdf"`,
        'Cache-Control': 'private, no-store',
      });
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/invoices',
      summary: 'Create an invoice and issue it (or save a draft)',
      description:
        'Issuing is one transaction: number assigned, stock taken per line, stock movements written, journal entry posted ' +
        '(receivable or, for a walk-in sale paid in full, cash/bank; revenue; tax payable; cost of goods where known). ' +
        'Discounts (per line and per invoice, a percentage in basis points or an amount; sales.give_discount) come off before ' +
        'tax; the invoice discount is shared over the lines in proportion, leftover cents to the largest remainders. Tax is ' +
        'computed per line on the discounted amount and rounded half-up to the cent; a tax-inclusive rate derives net and tax ' +
        'from the price (tax = price × rate / (1 + rate), half-up). Revenue is posted net of discounts.',
      permission: 'sales.add_invoice',
      body: CreateInvoiceInputSchema,
      responses: {
        201: { description: 'Created; change is the cash to hand back', schema: SaleResultSchema },
        403: { description: 'PermissionDenied: the user may not sell at this location (details.locationId), or discount' },
        409: { description: 'InsufficientStock (details.shortages: [{ productId, sku, locationId, requested, available }])' },
      },
    },
    async (c, { body }) => {
      const models = c.var.db;
      const userId = c.var.user.user.id;
      assertMayDiscount(c.var.user, body);
      // The invoice as written (ids and defaults from the inserts): no read-back. A user restricted to
      // one location sells there without naming it (writeInvoice's location rule).
      const invoice = await writeInvoice(models, {
        ...body,
        lines: body.lines.map(lineInput),
        userId,
      });
      return c.json(saleJson(invoice, body), 201);
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/invoices/:id/issue',
      summary: 'Issue a draft (number, stock, posting; optionally a till payment)',
      permission: 'sales.add_invoice',
      params: idParam,
      body: IssueInvoiceInputSchema,
      responses: {
        200: { description: 'Issued; change is the cash to hand back', schema: SaleResultSchema },
        404: { description: 'NotFound' },
        403: { description: 'PermissionDenied: the user may not sell at the draft’s location' },
        409: { description: 'Conflict (not a draft), InsufficientStock' },
      },
    },
    async (c, { params, body }) => {
      const draft = await c.var.db.Invoice.findByPk(params.id, { attributes: ['locationId'] });
      if (draft) await assertMayUseLocation(c.var.db, c.var.user.user.id, draft.locationId as number);
      const invoice = await issueInvoice(c.var.db, params.id, {
        ...body,
        userId: c.var.user.user.id,
      });
      return c.json(saleJson(invoice, body));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/invoices/:id/void',
      summary: 'Void an issued or paid invoice: reversing journal entry (sale and payments), stock returned',
      permission: 'sales.void_invoice',
      params: idParam,
      body: VoidInvoiceInputSchema,
      responses: {
        200: { description: 'Voided', schema: InvoiceResultSchema },
        404: { description: 'NotFound' },
        409: { description: 'Conflict: already void, or a draft' },
      },
    },
    async (c, { params, body }) => {
      const invoice = await voidInvoice(c.var.db, params.id, { ...body, userId: c.var.user.user.id });
      return c.json({ invoice: invoiceJson(invoice) });
    },
  );

  routes.add(
    {
      method: 'delete',
      path: '/invoices/:id',
      summary: 'Delete a draft (issued invoices are voided instead)',
      permission: 'sales.delete_invoice',
      params: idParam,
      responses: { 204: { description: 'Deleted' }, 404: { description: 'NotFound' }, 409: { description: 'Conflict: not a draft' } },
    },
    async (c, { params }) => {
      await deleteDraftInvoice(c.var.db, params.id);
      return c.body(null, 204);
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/invoices/:id/payments',
      summary: "An invoice's payments",
      permission: 'sales.view_payment',
      params: idParam,
      responses: {
        200: { description: 'Payments', schema: PaymentListSchema },
        404: { description: 'NotFound' },
      },
    },
    async (c, { params }) => c.json({ payments: ((await getInvoice(c.var.db, params.id)).payments ?? []).map(paymentJson) }),
  );

  routes.add(
    {
      method: 'post',
      path: '/invoices/:id/payments',
      summary: 'Record a payment (debit cash or bank, credit receivable); the invoice is paid once fully paid',
      permission: 'sales.add_payment',
      params: idParam,
      body: PaymentInputSchema,
      responses: {
        201: { description: 'Recorded', schema: PaymentRecordedSchema },
        404: { description: 'NotFound' },
        409: { description: 'Conflict: more than is owed (details.outstanding), or a draft, void or paid invoice' },
      },
    },
    async (c, { params, body }) => {
      const { payment, invoice } = await recordPayment(c.var.db, params.id, {
        amount: body.amount,
        method: body.method,
        reference: body.reference ?? null,
        ...(body.receivedAt ? { receivedAt: new Date(body.receivedAt) } : {}),
        userId: c.var.user.user.id,
      });
      return c.json({ payment: paymentJson(payment), invoice: invoiceSummaryJson(invoice) }, 201);
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/payments',
      summary: 'Payments, newest first (by invoice, method, date received)',
      permission: 'sales.view_payment',
      query: PaymentListQuerySchema,
      responses: { 200: { description: 'A page of payments', schema: PaymentPageSchema } },
    },
    async (c, { query }) => {
      const page = await listPayments(c.var.db, query);
      return c.json({ payments: page.items.map(paymentJson), total: page.total, limit: page.limit, offset: page.offset });
    },
  );
}
