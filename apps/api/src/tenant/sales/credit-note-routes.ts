import {
  CreateCreditNoteInputSchema,
  type CreditNoteJson,
  CreditNoteListQuerySchema,
  CreditNotePageSchema,
  CreditNoteResultSchema,
  idParam,
} from '@salesfleet/contracts';
import { createCreditNote, getCreditNote, listCreditNotes, quantityNumber, type CreditNote } from '@salesfleet/models';
import type { TenantApiRoutes } from '../../http/api-routes';
import { iso } from './json';

export function creditNoteJson(n: CreditNote): CreditNoteJson {
  return {
    id: n.id,
    number: n.number,
    invoiceId: n.invoiceId as number,
    issueDate: String(n.issueDate).slice(0, 10),
    subtotal: Number(n.subtotal),
    tax: Number(n.tax),
    total: Number(n.total),
    applied: Number(n.applied),
    refunded: Number(n.refunded),
    refundMethod: n.refundMethod ?? null,
    reason: n.reason ?? null,
    createdBy: n.createdBy as number,
    createdAt: iso(n.createdAt),
    ...(n.lines
      ? {
          lines: n.lines.map((l) => ({
            id: l.id,
            invoiceLineId: l.invoiceLineId as number,
            productId: (l.productId as number | null | undefined) ?? null,
            description: l.description,
            quantity: quantityNumber(Number(l.quantity)),
            taxRateBp: l.taxRateBp,
            lineSubtotal: Number(l.lineSubtotal),
            lineTax: Number(l.lineTax),
            lineTotal: Number(l.lineTotal),
            costAmount: l.costAmount === null || l.costAmount === undefined ? null : Number(l.costAmount),
          })),
        }
      : {}),
  };
}

/** Credit notes and refunds against issued invoices. */
export function creditNoteRoutes(routes: TenantApiRoutes): void {
  routes.add(
    {
      method: 'post',
      path: '/invoices/:id/credit-notes',
      summary:
        'Credit an issued invoice in full or in part by line: reverses revenue, tax and cost, returns stock, reduces the receivable or refunds money',
      permission: 'sales.add_credit_note',
      params: idParam,
      body: CreateCreditNoteInputSchema,
      responses: {
        201: { description: 'Created', schema: CreditNoteResultSchema },
        404: { description: 'NotFound' },
        409: { description: 'Conflict: draft or void invoice, closed period (details.reason periodClosed)' },
      },
    },
    async (c, { params, body }) =>
      c.json({ creditNote: creditNoteJson(await createCreditNote(c.var.db, params.id, { ...body, userId: c.var.user.user.id })) }, 201),
  );

  routes.add(
    {
      method: 'get',
      path: '/credit-notes',
      summary: 'Credit notes, newest first (by invoice, date)',
      permission: 'sales.view_credit_note',
      query: CreditNoteListQuerySchema,
      responses: {
        200: { description: 'A page of credit notes', schema: CreditNotePageSchema },
      },
    },
    async (c, { query }) => {
      const page = await listCreditNotes(c.var.db, query);
      return c.json({ creditNotes: page.items.map(creditNoteJson), total: page.total, limit: page.limit, offset: page.offset });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/credit-notes/:id',
      summary: 'One credit note with its lines',
      permission: 'sales.view_credit_note',
      params: idParam,
      responses: {
        200: { description: 'The credit note', schema: CreditNoteResultSchema },
        404: { description: 'NotFound' },
      },
    },
    async (c, { params }) => c.json({ creditNote: creditNoteJson(await getCreditNote(c.var.db, params.id)) }),
  );
}
