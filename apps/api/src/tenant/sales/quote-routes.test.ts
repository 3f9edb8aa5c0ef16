import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GROUPS } from '@salesfleet/models';
import { createTestApp, jsonApi, twoTenantsWithCashier, type TestApp } from '../../testing';

let t: TestApp;
let host: string;
let otherHost: string;
let admin: string;
let cashier: string;
let other: string;
const { call, get, post, patch } = jsonApi(() => ({ t, host, token: admin }));

beforeAll(async () => {
  t = await createTestApp();
  ({ host, otherHost, admin, cashier, other } = await twoTenantsWithCashier(t));
});

afterAll(async () => {
  await t.cleanup();
});

describe('quote routes and discounts', () => {
  it('are documented, 401 without a session, 403 to a cashier', async () => {
    const ops = t.docs.operations().filter((op) => /\/quotes/.test(op.path));
    expect(ops.map((op) => `${op.method.toUpperCase()} ${op.path}`).sort()).toEqual([
      'GET /api/quotes',
      'GET /api/quotes/:id',
      'PATCH /api/quotes/:id',
      'POST /api/quotes',
      'POST /api/quotes/:id/convert',
      'POST /api/quotes/:id/expire',
    ]);
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

  it('lets a cashier sell at the listed price but not give a discount', async () => {
    const location = (await get('/locations')).body.locations[0].id;
    const line = { description: 'Service', quantity: 1, unitPrice: 1_000 };
    const listed = await post('/invoices', { locationId: location, lines: [line] }, cashier);
    expect(listed.status).toBe(201);
    for (const body of [
      { locationId: location, lines: [{ ...line, discountBp: 500 }] },
      { locationId: location, lines: [line], discountAmount: 100 },
    ]) {
      const refused = await post('/invoices', body, cashier);
      expect(refused.status).toBe(403);
      expect(refused.body.error.details).toEqual({ permission: 'sales.give_discount' });
    }
    const both = await post('/invoices', { locationId: location, lines: [{ ...line, discountBp: 500, discountAmount: 5 }] });
    expect(both.status).toBe(400);
    expect(both.body.error.details).toEqual([expect.objectContaining({ path: 'lines.0.discountAmount' })]);
  });

  it('prices a discounted, tax-inclusive invoice: net + tax = what is charged, revenue net of the discount', async () => {
    const location = (await get('/locations')).body.locations[0].id;
    const rate = (await post('/tax-rates', { code: 'INC10', name: 'Tax 10 % included', rateBp: 1_000, isInclusive: true })).body.taxRate;
    const product = (await post('/products', { sku: 'Q-INC', name: 'Shelf item', unitPrice: 1_100, taxRateId: rate.id })).body.product;
    await post('/stock/adjustments', { productId: product.id, locationId: location, quantity: 10, reason: 'receipt', unitCost: 500 });
    const res = await post('/invoices', {
      locationId: location,
      issueDate: '2026-05-01',
      lines: [{ productId: product.id, quantity: 2, discountBp: 1_000 }],
      discountAmount: 80,
    });
    expect(res.status).toBe(201);
    // 22.00 − 2.20 − 0.80 = 19.00 including 10 %: tax 19.00 / 11 = 1.727 → 1.73, net 17.27.
    expect(res.body.invoice).toMatchObject({ discountTotal: 300, discountAmount: 80, subtotal: 1_727, tax: 173, total: 1_900 });
    expect(res.body.invoice.lines[0]).toMatchObject({ taxInclusive: true, discountBp: 1_000, discountAmount: 220, invoiceDiscount: 80 });
    const report = await get('/reports/tax?from=2026-05-01&to=2026-05-01');
    expect(report.body.report.totals).toEqual({ taxable: 1_727, tax: 173 });
  });

  it('quotes, changes, converts once into an invoice that references the quote; another tenant sees nothing', async () => {
    const location = (await get('/locations')).body.locations[0].id;
    const customer = (await post('/customers', { name: 'Quoted Ltd' })).body.customer.id;
    const product = (await post('/products', { sku: 'Q-1', name: 'Desk', unitPrice: 10_000, taxRateId: null })).body.product.id;
    await post('/stock/adjustments', { productId: product, locationId: location, quantity: 5, reason: 'receipt', unitCost: 6_000 });
    const journalBefore = (await get('/journal-entries')).body.total;

    const created = await post('/quotes', {
      locationId: location,
      customerId: customer,
      validUntil: '2099-01-31',
      lines: [{ productId: product, quantity: 2, discountAmount: 1_000 }],
    });
    expect(created.status).toBe(201);
    const quote = created.body.quote;
    expect(quote).toMatchObject({ number: 'QT-000001', status: 'open', subtotal: 19_000, total: 19_000, invoiceId: null });
    expect((await get('/journal-entries')).body.total).toBe(journalBefore);

    const changed = await patch(`/quotes/${quote.id}`, { discountBp: 1_000, notes: 'Spring offer' });
    expect(changed.status).toBe(200);
    expect(changed.body.quote).toMatchObject({ discountBp: 1_000, discountAmount: 1_900, total: 17_100, notes: 'Spring offer' });
    expect((await get('/quotes?status=open')).body.quotes.map((q: { id: number }) => q.id)).toContain(quote.id);
    expect((await call('GET', `/quotes/${quote.id}`, { token: other, on: otherHost })).status).toBe(404);

    const converted = await post(`/quotes/${quote.id}/convert`, {
      payments: [
        { method: 'card', amount: 7_000 },
        { method: 'cash', amount: 100, tendered: 500 },
      ],
    });
    expect(converted.status).toBe(201);
    expect(converted.body.change).toBe(400);
    expect(converted.body.invoice).toMatchObject({ quoteId: quote.id, customerId: customer, total: 17_100, amountPaid: 7_100 });
    expect(converted.body.invoice.payments.map((p: { method: string; amount: number }) => [p.method, p.amount])).toEqual([
      ['card', 7_000],
      ['cash', 100],
    ]);
    const again = await post(`/quotes/${quote.id}/convert`, {});
    expect(again.status).toBe(409);
    expect((await get(`/quotes/${quote.id}`)).body.quote).toMatchObject({ status: 'converted', invoiceId: converted.body.invoice.id });
    expect((await patch(`/quotes/${quote.id}`, { notes: 'x' })).status).toBe(409);

    const second = (await post('/quotes', { locationId: location, lines: [{ productId: product, quantity: 1 }] })).body.quote;
    expect(second.number).toBe('QT-000002');
    expect((await post(`/quotes/${second.id}/expire`, {})).body.quote.status).toBe('expired');
    expect((await post(`/quotes/${second.id}/convert`, {})).status).toBe(409);
    expect((await post('/quotes', { locationId: location, validUntil: 'soon', lines: [] })).status).toBe(400);
  });
});
