import {
  ConvertQuoteInputSchema,
  CreateQuoteInputSchema,
  idParam,
  SaleResultSchema,
  PermissionDenied,
  QuoteListQuerySchema,
  QuotePageSchema,
  QuoteResultSchema,
  type QuoteJson,
  type QuoteSummaryJson,
  UpdateQuoteInputSchema,
} from '@salesfleet/contracts';
import {
  assertMayUseLocation,
  convertQuote,
  createQuote,
  expireQuote,
  getQuote,
  listQuotes,
  updateQuote,
  type Quote,
} from '@salesfleet/models';
import type { TenantApiRoutes } from '../../http/api-routes';
import { assertMayDiscount, lineInput, saleJson } from './invoice-routes';
import { documentLineJson, iso, withoutUndefined } from './json';

function quoteSummaryJson(q: Quote): QuoteSummaryJson {
  return {
    id: q.id,
    number: q.number,
    status: q.status,
    locationId: q.locationId as number,
    customerId: (q.customerId as number | null | undefined) ?? null,
    issueDate: String(q.issueDate).slice(0, 10),
    validUntil: String(q.validUntil).slice(0, 10),
    discountBp: q.discountBp ?? null,
    discountAmount: Number(q.discountAmount),
    discountTotal: Number(q.discountTotal),
    subtotal: Number(q.subtotal),
    tax: Number(q.tax),
    total: Number(q.total),
    notes: q.notes ?? null,
    invoiceId: (q.invoiceId as number | null | undefined) ?? null,
    createdBy: q.createdBy as number,
    createdAt: iso(q.createdAt),
    updatedAt: iso(q.updatedAt),
  };
}

function quoteJson(q: Quote): QuoteJson {
  return {
    ...quoteSummaryJson(q),
    lines: (q.lines ?? []).map(documentLineJson),
  };
}

/** Quotes: offered prices and discounts that post nothing until converted (once) into an invoice. */
export function quoteRoutes(routes: TenantApiRoutes): void {
  routes.add(
    {
      method: 'get',
      path: '/quotes',
      summary: 'List quotes (newest first) by issue date range, status and customer',
      permission: 'sales.view_quote',
      query: QuoteListQuerySchema,
      responses: { 200: { description: 'A page of quotes', schema: QuotePageSchema } },
    },
    async (c, { query }) => {
      const page = await listQuotes(c.var.db, query);
      return c.json({ quotes: page.items.map(quoteSummaryJson), total: page.total, limit: page.limit, offset: page.offset });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/quotes/:id',
      summary: 'One quote with its lines',
      permission: 'sales.view_quote',
      params: idParam,
      responses: { 200: { description: 'The quote', schema: QuoteResultSchema }, 404: { description: 'NotFound' } },
    },
    async (c, { params }) => c.json({ quote: quoteJson(await getQuote(c.var.db, params.id)) }),
  );

  routes.add(
    {
      method: 'post',
      path: '/quotes',
      summary: 'Create a quote (posts nothing, takes no stock)',
      description:
        'Lines and discounts are priced like an invoice (discounts before tax, tax-inclusive rates derived from the price); ' +
        'the number takes the quote prefix of the settings. Discounts need sales.give_discount.',
      permission: 'sales.add_quote',
      body: CreateQuoteInputSchema,
      responses: {
        201: { description: 'Created', schema: QuoteResultSchema },
        403: { description: 'PermissionDenied: the user may not quote at this location, or discount' },
      },
    },
    async (c, { body }) => {
      assertMayDiscount(c.var.user, body);
      await assertMayUseLocation(c.var.db, c.var.user.user.id, body.locationId);
      const quote = await createQuote(c.var.db, {
        ...withoutUndefined(body),
        lines: body.lines.map(lineInput),
        userId: c.var.user.user.id,
      });
      return c.json({ quote: quoteJson(quote) }, 201);
    },
  );

  routes.add(
    {
      method: 'patch',
      path: '/quotes/:id',
      summary: 'Change an open quote (new lines replace the old ones; everything is priced again)',
      permission: 'sales.change_quote',
      params: idParam,
      body: UpdateQuoteInputSchema,
      responses: {
        200: { description: 'Changed', schema: QuoteResultSchema },
        404: { description: 'NotFound' },
        409: { description: 'Conflict: the quote is expired or converted' },
      },
    },
    async (c, { params, body }) => {
      assertMayDiscount(c.var.user, body);
      if (body.locationId !== undefined) await assertMayUseLocation(c.var.db, c.var.user.user.id, body.locationId);
      const { lines, ...rest } = withoutUndefined(body);
      const quote = await updateQuote(c.var.db, params.id, { ...rest, ...(lines ? { lines: lines.map(lineInput) } : {}) });
      return c.json({ quote: quoteJson(quote) });
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/quotes/:id/expire',
      summary: 'Mark an open quote expired (it can no longer be changed or converted)',
      permission: 'sales.change_quote',
      params: idParam,
      responses: {
        200: { description: 'Expired', schema: QuoteResultSchema },
        404: { description: 'NotFound' },
        409: { description: 'Conflict: not open' },
      },
    },
    async (c, { params }) => c.json({ quote: quoteJson(await expireQuote(c.var.db, params.id)) }),
  );

  routes.add(
    {
      method: 'post',
      path: '/quotes/:id/convert',
      summary: 'Convert an open quote into an issued invoice, once',
      description:
        "The invoice takes the quote's lines at the quoted prices and discounts (product lines at their tax rate of the day), " +
        'takes the stock and posts the sale like any invoice, and references the quote (quoteId). Needs sales.add_invoice too.',
      permission: 'sales.change_quote',
      params: idParam,
      body: ConvertQuoteInputSchema,
      responses: {
        201: { description: 'The new invoice; change is the cash to hand back', schema: SaleResultSchema },
        403: { description: 'PermissionDenied: may not invoice, or not at the quote’s location' },
        404: { description: 'NotFound' },
        409: { description: 'Conflict: converted or expired (details.status), InsufficientStock' },
      },
    },
    async (c, { params, body }) => {
      const principal = c.var.user;
      if (!principal.user.isSuperuser && !principal.permissions.has('sales.add_invoice')) throw new PermissionDenied('sales.add_invoice');
      const quote = await c.var.db.Quote.findByPk(params.id, { attributes: ['locationId'] });
      if (quote) await assertMayUseLocation(c.var.db, principal.user.id, quote.locationId as number);
      const invoice = await convertQuote(c.var.db, params.id, { ...withoutUndefined(body), userId: principal.user.id });
      return c.json(saleJson(invoice, body), 201);
    },
  );
}
