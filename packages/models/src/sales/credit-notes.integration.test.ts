import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_CODES } from '../accounting/chart-of-accounts';
import { trialBalance } from '../accounting/reports';
import { receivablesAgeing, taxReport } from '../accounting/statements';
import type { TenantModels } from '../model-types';
import { closePeriod } from '../settings/settings';
import { bookViolations, testDialects } from '../testing';
import { createCustomer } from './catalog';
import { createCreditNote, getCreditNote, listCreditNotes } from './credit-notes';
import { createInvoice, getInvoice, listInvoices, voidInvoice } from './invoicing';
import { recordPayment } from './payments';
import { units } from './quantity';
import { stockOnHand } from './stock';
import { openTestTenant, type TestTenant } from './test-tenant';

const dialects = await testDialects();

describe.each(dialects)('credit notes on %s', (dialect) => {
  let t: TestTenant;
  let models: TenantModels;
  const balance = async (code: string) => Number((await trialBalance(models)).accounts.find((a) => a.code === code)?.balance ?? 0);

  beforeAll(async () => {
    t = await openTestTenant(dialect);
    models = t.models;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('credits part of an open invoice: revenue, tax and receivable reduced, goods back at the cost they left at', async () => {
    const customer = await createCustomer(models, { name: 'Credit Co' });
    const product = await t.product({ unitPrice: 1_000, costPrice: 400 }, 10); // 20 % standard tax
    const invoice = await createInvoice(models, {
      locationId: t.locationId,
      customerId: customer.id,
      issueDate: '2026-03-01',
      lines: [{ productId: product.id, quantity: units(3) }],
      userId: t.userId,
    });
    expect(invoice.total).toBe(3_600);
    const line = invoice.lines![0]!;
    const inventoryBefore = await balance(ACCOUNT_CODES.inventory);

    const note = await createCreditNote(models, invoice.id, {
      date: '2026-03-05',
      reason: 'one broken',
      lines: [{ invoiceLineId: line.id, quantity: units(1) }],
      userId: t.userId,
    });
    expect(note).toMatchObject({
      number: 'CN-000001',
      subtotal: 1_000,
      tax: 200,
      total: 1_200,
      applied: 1_200,
      refunded: 0,
      refundMethod: null,
      issueDate: '2026-03-05',
    });
    expect(note.lines!.map((l) => [l.quantity, l.lineTotal, l.costAmount])).toEqual([[units(1), 1_200, 400]]);
    expect(await stockOnHand(models, product.id, t.locationId)).toBe(units(8));
    expect(await balance(ACCOUNT_CODES.inventory)).toBe(inventoryBefore + 400);
    const reloaded = (await models.Invoice.findByPk(invoice.id))!;
    expect(reloaded).toMatchObject({ status: 'issued', amountCredited: 1_200, amountPaid: 0 });
    expect(await bookViolations(models)).toEqual([]);

    // What is left is owed: paying 2 400 settles it; a cent more is refused.
    await expect(recordPayment(models, invoice.id, { amount: 2_401, method: 'cash', userId: t.userId })).rejects.toMatchObject({
      code: 'Conflict',
      details: { outstanding: 2_400 },
    });
    expect((await recordPayment(models, invoice.id, { amount: 2_400, method: 'cash', userId: t.userId })).invoice.status).toBe('paid');
    expect(await bookViolations(models)).toEqual([]);

    // The rest of the line, now paid: the money goes back (refund), and the invoice is fully credited.
    await expect(
      createCreditNote(models, invoice.id, { lines: [{ invoiceLineId: line.id, quantity: units(2) }], userId: t.userId }),
    ).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: [{ path: 'refundMethod', message: expect.any(String) }],
    });
    await expect(
      createCreditNote(models, invoice.id, {
        lines: [{ invoiceLineId: line.id, quantity: units(3) }],
        refundMethod: 'cash',
        userId: t.userId,
      }),
    ).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: [{ path: 'lines.0.quantity', message: expect.stringContaining('at most 2000') }],
    });
    const cashBefore = await balance(ACCOUNT_CODES.cash);
    const rest = await createCreditNote(models, invoice.id, {
      lines: [{ invoiceLineId: line.id, quantity: units(2) }],
      refundMethod: 'cash',
      userId: t.userId,
    });
    expect(rest).toMatchObject({ number: 'CN-000002', total: 2_400, applied: 0, refunded: 2_400, refundMethod: 'cash' });
    // Every credit note counts in what the invoice says was credited, applied or refunded.
    expect((await getInvoice(models, invoice.id)).creditedTotal).toBe(3_600);
    expect((await listInvoices(models, { q: invoice.number })).items.map((i) => i.creditedTotal)).toEqual([3_600]);
    expect(await balance(ACCOUNT_CODES.cash)).toBe(cashBefore - 2_400);
    expect(await stockOnHand(models, product.id, t.locationId)).toBe(units(10));
    expect(await bookViolations(models)).toEqual([]);
    await expect(
      createCreditNote(models, invoice.id, { lines: [{ invoiceLineId: line.id, quantity: 1 }], refundMethod: 'cash', userId: t.userId }),
    ).rejects.toMatchObject({
      code: 'ValidationFailed',
    });
    await expect(voidInvoice(models, invoice.id, { userId: t.userId })).rejects.toMatchObject({
      code: 'Conflict',
      details: { reason: 'credited' },
    });
    expect((await listCreditNotes(models, { invoiceId: invoice.id })).items.map((n) => n.number)).toEqual(['CN-000002', 'CN-000001']);
  });

  it('thirds of a line add up to the line exactly; a walk-in till sale is refunded in money; the tax report nets credits', async () => {
    const product = await t.product({ unitPrice: 333, costPrice: 101 }, 9);
    const sale = await createInvoice(models, {
      locationId: t.locationId,
      issueDate: '2026-04-01',
      lines: [{ productId: product.id, quantity: units(3) }],
      payment: { method: 'card' },
      userId: t.userId,
    });
    const line = sale.lines![0]!;
    const notes = [];
    for (let i = 0; i < 3; i++) {
      notes.push(
        await createCreditNote(models, sale.id, {
          date: '2026-04-02',
          lines: [{ invoiceLineId: line.id, quantity: units(1) }],
          refundMethod: 'card',
          userId: t.userId,
        }),
      );
    }
    expect(notes.reduce((a, n) => a + n.total, 0)).toBe(sale.total);
    expect(notes.reduce((a, n) => a + n.refunded, 0)).toBe(sale.total);
    expect(notes.reduce((a, n) => a + Number(n.lines![0]!.costAmount), 0)).toBe(Number(line.costAmount));
    expect(await bookViolations(models)).toEqual([]);
    // The April sale and its credits cancel out in April's tax; March keeps its sale less the credit dated in March.
    expect((await taxReport(models, { from: '2026-04-01', to: '2026-04-30' })).totals).toEqual({ taxable: 0, tax: 0 });
    expect((await taxReport(models, { from: '2026-03-01', to: '2026-03-31' })).totals).toEqual({ taxable: 2_000, tax: 400 });
    expect((await receivablesAgeing(models, { asOf: '2026-04-30' })).totals.total).toBe(0);
  });

  it('can skip restocking (goods written off), refuses drafts, void invoices, closed periods and lines of other invoices', async () => {
    const product = await t.product({ unitPrice: 500, costPrice: 200 }, 5);
    const a = await createInvoice(models, {
      locationId: t.locationId,
      issueDate: '2026-05-01',
      lines: [{ productId: product.id, quantity: units(1) }],
      payment: { method: 'cash' },
      userId: t.userId,
    });
    const b = await createInvoice(models, {
      locationId: t.locationId,
      issueDate: '2026-05-01',
      lines: [{ productId: product.id, quantity: units(1) }],
      payment: { method: 'cash' },
      userId: t.userId,
    });
    const onHand = await stockOnHand(models, product.id, t.locationId);
    const note = await createCreditNote(models, a.id, {
      lines: [{ invoiceLineId: a.lines![0]!.id, quantity: units(1) }],
      restock: false,
      refundMethod: 'cash',
      userId: t.userId,
    });
    expect(note.lines![0]!.costAmount).toBeNull();
    expect(await stockOnHand(models, product.id, t.locationId)).toBe(onHand);
    expect(await bookViolations(models)).toEqual([]);
    await expect(
      createCreditNote(models, b.id, { lines: [{ invoiceLineId: a.lines![0]!.id, quantity: 1 }], refundMethod: 'cash', userId: t.userId }),
    ).rejects.toMatchObject({
      details: [{ path: 'lines.0.invoiceLineId', message: expect.stringContaining('no line') }],
    });
    await expect(
      createCreditNote(models, b.id, {
        date: '2026-04-30',
        lines: [{ invoiceLineId: b.lines![0]!.id, quantity: 1 }],
        refundMethod: 'cash',
        userId: t.userId,
      }),
    ).rejects.toMatchObject({
      details: [{ path: 'date', message: 'on or after 2026-05-01' }],
    });
    await voidInvoice(models, b.id, { userId: t.userId, date: '2026-05-02' });
    await expect(
      createCreditNote(models, b.id, { lines: [{ invoiceLineId: b.lines![0]!.id, quantity: 1 }], refundMethod: 'cash', userId: t.userId }),
    ).rejects.toMatchObject({
      code: 'Conflict',
      details: { status: 'void' },
    });
    const draft = await createInvoice(models, {
      locationId: t.locationId,
      lines: [{ productId: product.id, quantity: units(1) }],
      draft: true,
      userId: t.userId,
    });
    await expect(
      createCreditNote(models, draft.id, { lines: [{ invoiceLineId: draft.lines![0]!.id, quantity: 1 }], userId: t.userId }),
    ).rejects.toMatchObject({ code: 'Conflict' });
    const c = await createInvoice(models, {
      locationId: t.locationId,
      issueDate: '2026-05-03',
      lines: [{ productId: product.id, quantity: units(1) }],
      payment: { method: 'cash' },
      userId: t.userId,
    });
    await closePeriod(models, { through: '2026-05-10' });
    await expect(
      createCreditNote(models, c.id, {
        date: '2026-05-10',
        lines: [{ invoiceLineId: c.lines![0]!.id, quantity: units(1) }],
        refundMethod: 'cash',
        userId: t.userId,
      }),
    ).rejects.toMatchObject({
      code: 'Conflict',
      details: { reason: 'periodClosed' },
    });
    // Nothing half-written by the refused credit: no note, the stock and the invoice as they were.
    expect((await listCreditNotes(models, { invoiceId: c.id })).total).toBe(0);
    expect((await models.Invoice.findByPk(c.id))!.amountCredited).toBe(0);
    expect(await bookViolations(models)).toEqual([]);
    await expect(getCreditNote(models, 999_999)).rejects.toMatchObject({ code: 'NotFound' });
  });
});
