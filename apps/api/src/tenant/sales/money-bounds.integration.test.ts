import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import { createTestApp, jsonApi, type TestApp } from '../../testing';

const dialects = await testDialects();

// Issue 10 item 5: a cashier's two lines of 9000 × 1 000 000 000 000 cents were accepted, and from
// then on every report answered 500 ("not an exact integer amount"), even after voiding. Amounts are
// bounded so the ledger sums exactly; reports sum exactly on every engine.
describe.each(dialects)('amounts the ledger can sum exactly, on %s', (engine) => {
  let t: TestApp;
  let host: string;
  let cashier: string;
  let admin: string;
  const api = jsonApi(() => ({ t, host, token: cashier }));
  const reports = [
    '/reports/trial-balance',
    '/reports/profit-and-loss',
    '/reports/sales-by-day',
    '/reports/sales-by-location',
    '/reports/balance-sheet',
    '/reports/general-ledger?accountId=1',
    '/reports/receivables-ageing',
    '/reports/tax',
  ];

  beforeAll(async () => {
    t = await createTestApp({ engine });
    ({ host } = await t.createTenant());
    admin = await t.tenantLogin(host);
    const created = await api.call('POST', '/users', {
      token: admin,
      json: { username: 'till', email: 'till@example.com', password: 'correct horse battery staple 42', groups: ['Cashiers'] },
    });
    expect(created.status).toBe(201);
    cashier = await t.tenantLogin(host, 'till');
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('refuses the attack (two lines of 9000 × 10^12 cents) with 400, and every report still answers 200', async () => {
    const line = { description: 'Gold bar', quantity: 9000, unitPrice: 1_000_000_000_000 };
    for (const lines of [[line, line], [line]]) {
      const res = await api.post('/invoices', { lines, payment: { method: 'cash' } });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe('ValidationFailed');
    }
    // Many invoices at the largest allowed total still sum exactly.
    const big = await api.post('/invoices', {
      lines: [{ description: 'Big', quantity: 10, unitPrice: 1_000_000_000_000 }],
      payment: { method: 'cash' },
    });
    expect(big.status, JSON.stringify(big.body)).toBe(201);
    const overTotal = await api.post('/invoices', {
      lines: Array.from({ length: 11 }, () => ({ description: 'Big', quantity: 1, unitPrice: 1_000_000_000_000 })),
    });
    expect(overTotal.status, JSON.stringify(overTotal.body)).toBe(400);
    for (const path of reports) {
      const res = await api.get(path, admin);
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(200);
    }
    const tb = await api.get('/reports/trial-balance', admin);
    expect(tb.body.report.balanced).toBe(true);
    expect(tb.body.report.totals.debit).toBeGreaterThanOrEqual(10_000_000_000_000);
  });

  it('bounds payments and expenses the same way', async () => {
    const pay = await api.post('/invoices', {
      lines: [{ description: 'x', quantity: 1, unitPrice: 100 }],
      payment: { method: 'cash', amount: 9_007_199_254_740_991 },
    });
    expect(pay.status).toBe(400);
  });
});
