import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueInvoicesInBulk, units } from '@salesfleet/models';
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

  it('answers report totals past 2^53 cents exactly, as decimal strings (ReportAmount), within the contract', async () => {
    // 901 more invoices at the largest total (posted in bulk through the models, the HTTP way would take
    // minutes): with the one above, receivables of 902 × 10^13 cents, past Number.MAX_SAFE_INTEGER.
    const tenant = await t.tenancy.registry.getTenant(host.split('.')[0]!);
    await t.tenancy.connections.withTenant(tenant, async ({ models }) => {
      const location = await models.Location.findOne({ where: { code: 'MAIN' } });
      const user = await models.User.findOne({ where: { username: 'admin' } });
      const customer = await models.Customer.create({ name: 'Very Large Customer Ltd' });
      await models.sequelize.transaction((transaction) =>
        issueInvoicesInBulk(
          models,
          Array.from({ length: 901 }, () => ({
            locationId: location!.id,
            customerId: customer.id,
            lines: [{ description: 'Big', quantity: units(10), unitPrice: 1_000_000_000_000 }],
            userId: user!.id,
          })),
          transaction,
        ),
      );
    });
    // t.request checks every answer against its route's response schema (ReportAmount in the OpenAPI document).
    const tb = await api.get('/reports/trial-balance', admin);
    expect(tb.status).toBe(200);
    const receivable = tb.body.report.accounts.find((a: { code: string }) => a.code === '1100');
    expect(receivable).toMatchObject({ debit: '9010000000000000', credit: 0, balance: '9010000000000000' });
    expect(tb.body.report.balanced).toBe(true);
    expect(tb.body.report.totals.debit).toBe(tb.body.report.totals.credit);
    expect(BigInt(tb.body.report.totals.debit)).toBe(BigInt(tb.body.report.totals.credit));
    const ageing = await api.get('/reports/receivables-ageing', admin);
    expect(ageing.body.report.totals.total).toBe('9010000000000000');
    const sheet = await api.get('/reports/balance-sheet', admin);
    expect(sheet.body.report.balanced).toBe(true);
    expect(typeof sheet.body.report.totals.assets).toBe('string');
    const dashboard = await api.get('/dashboard', admin);
    expect(dashboard.status, JSON.stringify(dashboard.body)).toBe(200);
    expect(dashboard.body.dashboard.receivables.open).toBe('9010000000000000');
    for (const path of reports) {
      const res = await api.get(path, admin);
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(200);
    }
  });

  it('bounds payments and expenses the same way', async () => {
    const pay = await api.post('/invoices', {
      lines: [{ description: 'x', quantity: 1, unitPrice: 100 }],
      payment: { method: 'cash', amount: 9_007_199_254_740_991 },
    });
    expect(pay.status).toBe(400);
  });
});
