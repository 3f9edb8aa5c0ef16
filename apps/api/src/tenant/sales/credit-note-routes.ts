import { z } from 'zod';
import { createCreditNote, getCreditNote, listCreditNotes, PAYMENT_METHODS, quantityNumber, type CreditNote } from '@salesfleet/models';
import type { TenantApiRoutes } from '../../http/api-routes';
import { date, dateRange, id, idParam, idQuery, PageFields, pageQuery, quantity, quantityOut } from './schemas';

const iso = (d: Date | string) => new Date(d).toISOString();

export const CreditNoteSchema = z
  .object({
    id: z.number().int(),
    number: z.string().describe('CN-000001 (prefix from the settings)'),
    invoiceId: z.number().int(),
    issueDate: z.string(),
    subtotal: z.number().int(),
    tax: z.number().int(),
    total: z.number().int(),
    applied: z.number().int().describe('reduced what the customer owed'),
    refunded: z.number().int().describe('paid back in money'),
    refundMethod: z.enum(PAYMENT_METHODS).nullable(),
    reason: z.string().nullable(),
    createdBy: z.number().int(),
    createdAt: z.string(),
    lines: z
      .array(
        z.object({
          id: z.number().int(),
          invoiceLineId: z.number().int(),
          productId: z.number().int().nullable(),
          description: z.string(),
          quantity: quantityOut,
          taxRateBp: z.number().int(),
          lineSubtotal: z.number().int(),
          lineTax: z.number().int(),
          lineTotal: z.number().int(),
          costAmount: z.number().int().nullable().describe('value returned to stock; null when written off or free text'),
        }),
      )
      .optional(),
  })
  .meta({ id: 'CreditNote' });

export function creditNoteJson(n: CreditNote): z.infer<typeof CreditNoteSchema> {
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

const CreditNoteBody = z
  .object({
    lines: z
      .array(z.object({ invoiceLineId: id, quantity }).strict())
      .min(1)
      .max(500),
    date: date.optional().describe("default today in the tenant's time zone; not before the invoice"),
    reason: z.string().trim().max(200).nullable().optional(),
    refundMethod: z.enum(PAYMENT_METHODS).optional().describe('required when the credit exceeds what is still owed (money goes back)'),
    restock: z.boolean().optional().describe('put the goods back into stock (default true)'),
  })
  .strict();

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
      body: CreditNoteBody,
      responses: {
        201: { description: 'Created', schema: z.object({ creditNote: CreditNoteSchema }) },
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
      query: dateRange({ invoiceId: idQuery.optional(), ...pageQuery }),
      responses: {
        200: { description: 'A page of credit notes', schema: z.object({ creditNotes: z.array(CreditNoteSchema), ...PageFields }) },
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
        200: { description: 'The credit note', schema: z.object({ creditNote: CreditNoteSchema }) },
        404: { description: 'NotFound' },
      },
    },
    async (c, { params }) => c.json({ creditNote: creditNoteJson(await getCreditNote(c.var.db, params.id)) }),
  );
}
