import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GROUPS } from '@salesfleet/models';
import { createTestApp, jsonApi, twoTenantsWithCashier, type Json, type TestApp } from '../../testing';

let t: TestApp;
let host: string;
let otherHost: string;
let admin: string;
let cashier: string;
let other: string;
const { call, get, post } = jsonApi(() => ({ t, host, token: admin }));

beforeAll(async () => {
  t = await createTestApp();
  ({ host, otherHost, admin, cashier, other } = await twoTenantsWithCashier(t));
});

afterAll(async () => {
  await t.cleanup();
});

describe('credit note routes', () => {
  it('are documented, 401 without a session, 403 to a cashier', async () => {
    const ops = t.docs.operations().filter((op) => /credit-notes/.test(op.path));
    expect(ops).toHaveLength(3);
    const cashierMay = new Set(DEFAULT_GROUPS.find((g) => g.name === 'Cashiers')!.permissions as readonly string[]);
    for (const op of ops) {
      const path = op.path.replace(/^\/api/, '').replace(/:id/g, '1');
      expect((await call(op.method.toUpperCase(), path, { token: null, json: op.body ? {} : undefined })).status).toBe(401);
      expect(cashierMay.has(op.permission!)).toBe(false);
      const denied = await call(op.method.toUpperCase(), path, { token: cashier, json: op.body ? {} : undefined });
      expect(denied.status).toBe(403);
      expect(denied.body.error.details).toEqual({ permission: op.permission });
    }
  });

  it('credits part of an invoice, then refunds the rest after payment', async () => {
    const location = (await get('/locations')).body.locations[0].id;
    const customer = (await post('/customers', { name: 'Refund Ltd' })).body.customer.id;
    const product = (await post('/products', { sku: 'CN-1', name: 'Kettle', unitPrice: 2_000, taxRateId: null })).body.product.id;
    expect(
      (await post('/stock/adjustments', { productId: product, locationId: location, quantity: 5, reason: 'receipt', unitCost: 800 }))
        .status,
    ).toBe(201);
    const invoice = (
      await post('/invoices', { locationId: location, customerId: customer, lines: [{ productId: product, quantity: '3' }] })
    ).body.invoice;
    expect(invoice.total).toBe(6_000);
    const lineId = invoice.lines[0].id;

    const part = await post(`/invoices/${invoice.id}/credit-notes`, { lines: [{ invoiceLineId: lineId, quantity: 1 }], reason: 'dented' });
    expect(part.status).toBe(201);
    expect(part.body.creditNote).toMatchObject({
      number: 'CN-000001',
      total: 2_000,
      applied: 2_000,
      refunded: 0,
      lines: [expect.objectContaining({ quantity: 1, costAmount: 800 })],
    });
    const after = (await get(`/invoices/${invoice.id}`)).body.invoice;
    expect(after).toMatchObject({
      amountCredited: 2_000,
      amountDue: 4_000,
      status: 'issued',
      creditedTotal: 2_000,
      creditStatus: 'partial',
    });

    // Paid in full after a partial credit: paid, and still saying a part was credited (in the list too).
    const paid = await post(`/invoices/${invoice.id}/payments`, { amount: 4_000, method: 'card' });
    expect(paid.status).toBe(201);
    expect(paid.body.invoice).toMatchObject({ status: 'paid', creditedTotal: 2_000, creditStatus: 'partial' });
    const listed = (await get(`/invoices?customerId=${customer}`)).body.invoices;
    expect(listed).toEqual([expect.objectContaining({ id: invoice.id, status: 'paid', creditStatus: 'partial', creditedTotal: 2_000 })]);
    const noMethod = await post(`/invoices/${invoice.id}/credit-notes`, { lines: [{ invoiceLineId: lineId, quantity: 2 }] });
    expect(noMethod.status).toBe(400);
    expect(noMethod.body.error.details).toEqual([{ path: 'refundMethod', message: expect.any(String) }]);
    const rest = await post(`/invoices/${invoice.id}/credit-notes`, {
      lines: [{ invoiceLineId: lineId, quantity: 2 }],
      refundMethod: 'card',
    });
    expect(rest.status).toBe(201);
    expect(rest.body.creditNote).toMatchObject({ total: 4_000, applied: 0, refunded: 4_000, refundMethod: 'card' });
    // Everything credited: no longer "paid" in any sense a customer would read it.
    expect((await get(`/invoices/${invoice.id}`)).body.invoice).toMatchObject({ creditedTotal: 6_000, creditStatus: 'full' });

    const list = await get(`/credit-notes?invoiceId=${invoice.id}`);
    expect(list.body).toMatchObject({
      total: 2,
      creditNotes: [expect.objectContaining({ number: 'CN-000002' }), expect.objectContaining({ number: 'CN-000001' })],
    });
    expect((await get(`/credit-notes/${part.body.creditNote.id}`)).body.creditNote.reason).toBe('dented');
    expect((await get('/credit-notes/999999')).status).toBe(404);
    expect((await call('GET', `/credit-notes/${part.body.creditNote.id}`, { token: other, on: otherHost })).status).toBe(404);
    expect((await post(`/invoices/${invoice.id}/credit-notes`, { lines: [] })).status).toBe(400);
    expect((await post('/invoices/999999/credit-notes', { lines: [{ invoiceLineId: lineId, quantity: 1 }] })).status).toBe(404);
    const trial = (await get('/reports/trial-balance')).body.report;
    expect(trial.balanced).toBe(true);
    expect(trial.accounts.find((a: Json) => a.code === '1100')?.balance ?? 0).toBe(0);
  });
});
