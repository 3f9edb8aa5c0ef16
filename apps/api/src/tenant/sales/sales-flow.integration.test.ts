import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import { createTestApp, jsonApi, type Json, type TestApp } from '../../testing';

const dialects = await testDialects();

/** The selling flow through the API on tenant databases of every engine (created by the real migrations). */
describe.each(dialects)('selling through the API on %s', (dialect) => {
  let t: TestApp;
  let host: string;
  let token: string;

  const api = jsonApi(() => ({ t, host, token }));
  const call = (method: string, path: string, json?: unknown) => api.call(method, path, { json });

  beforeAll(async () => {
    t = await createTestApp({ engine: dialect });
    host = (await t.createTenant()).host;
    token = await t.tenantLogin(host);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('two concurrent sales of the last unit: one 201, the other 409 InsufficientStock', async () => {
    const location = (await call('GET', '/locations')).body.locations[0].id;
    for (let round = 0; round < 2; round++) {
      const product = (await call('POST', '/products', { sku: `LAST-${round}`, name: 'The last one', unitPrice: 2500, costPrice: 1000 }))
        .body.product.id;
      expect(
        (await call('POST', '/stock/adjustments', { productId: product, locationId: location, quantity: 1, reason: 'receipt' })).status,
      ).toBe(201);
      const sale = () => call('POST', '/invoices', { lines: [{ productId: product, quantity: 1 }], payment: { method: 'card' } });
      const results = await Promise.all([sale(), sale()]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(results.find((r) => r.status === 409)!.body.error.code).toBe('InsufficientStock');
      expect((await call('GET', `/products/${product}`)).body.product.stock).toEqual([{ locationId: location, quantity: 0 }]);
      expect((await call('GET', `/stock/movements?productId=${product}&reason=sale`)).body.total).toBe(1);
    }
  });

  it('sells, takes a payment, voids, and the books still balance', async () => {
    const location = (await call('GET', '/locations')).body.locations[0].id;
    const product = (await call('POST', '/products', { sku: 'FLOW-1', name: 'Flow', unitPrice: 999, costPrice: 500 })).body.product.id;
    await call('POST', '/stock/adjustments', { productId: product, locationId: location, quantity: 10, reason: 'receipt' });
    const customer = (await call('POST', '/customers', { name: 'Flow Customer', email: 'flow@example.com' })).body.customer.id;
    const sold = await call('POST', '/invoices', {
      customerId: customer,
      issueDate: '2026-05-01',
      lines: [{ productId: product, quantity: 3 }],
    });
    expect(sold.status).toBe(201);
    expect(sold.body.invoice).toMatchObject({ subtotal: 2997, tax: 599, total: 3596, status: 'issued' });
    const paid = await call('POST', `/invoices/${sold.body.invoice.id}/payments`, { amount: 3596, method: 'transfer' });
    expect(paid.body.invoice.status).toBe('paid');
    const other = await call('POST', '/invoices', { issueDate: '2026-05-01', lines: [{ productId: product, quantity: 2 }] });
    expect((await call('POST', `/invoices/${other.body.invoice.id}/void`, { date: '2026-05-01' })).status).toBe(200);
    await call('POST', '/expenses', {
      expenseDate: '2026-05-01',
      accountId: (await call('GET', '/accounts?type=expense')).body.accounts.find((a: Json) => a.code === '6000').id,
      amount: 1500,
    });

    const tb = (await call('GET', '/reports/trial-balance')).body.report;
    expect(tb.balanced).toBe(true);
    expect(tb.totals.debit).toBe(tb.totals.credit);
    const days = (await call('GET', '/reports/sales-by-day?from=2026-05-01&to=2026-05-01')).body.report.days;
    expect(days).toEqual([{ date: '2026-05-01', invoices: 1, subtotal: 2997, tax: 599, total: 3596 }]);
    const pl = (await call('GET', '/reports/profit-and-loss?from=2026-05-01&to=2026-05-01')).body.report;
    expect(pl.totals).toEqual({ income: 2997, expenses: 1500 + 1500, netProfit: -3 });
    expect((await call('GET', `/products/${product}`)).body.product.stock).toEqual([{ locationId: location, quantity: 7 }]);
  });
});
