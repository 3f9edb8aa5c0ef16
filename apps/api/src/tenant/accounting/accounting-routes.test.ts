import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_CODES, DEFAULT_GROUPS } from '@salesfleet/models';
import { createTestApp, jsonApi, twoTenantsWithCashier, type Json, type TestApp } from '../../testing';

let t: TestApp;
let host: string;
let otherHost: string;
let admin: string;
let cashier: string;
let other: string;
const { call, get, post, patch, del } = jsonApi(() => ({ t, host, token: admin }));

let accountId: (code: string) => Promise<number>;

beforeAll(async () => {
  t = await createTestApp();
  ({ host, otherHost, admin, cashier, other } = await twoTenantsWithCashier(t));
  accountId = async (code) => ((await get('/accounts')).body.accounts as Json[]).find((a) => a.code === code)!.id as number;
});

afterAll(async () => {
  await t.cleanup();
});

describe('every accounting route', () => {
  const ops = () => t.docs.operations().filter((op) => /^\/api\/(accounts|journal-entries|expenses|tax-rates|reports)/.test(op.path));

  it('is documented, answers 401 without a session and 403 to a cashier', async () => {
    const cashierMay = new Set(DEFAULT_GROUPS.find((g) => g.name === 'Cashiers')!.permissions as readonly string[]);
    expect(ops().length).toBeGreaterThanOrEqual(14);
    for (const op of ops()) {
      const path = op.path.replace(/^\/api/, '').replace(/:id/g, '1');
      const anonymous = await call(op.method.toUpperCase(), path, { token: null, json: op.body ? {} : undefined });
      expect(anonymous.status, `${op.method} ${op.path}`).toBe(401);
      expect(cashierMay.has(op.permission!)).toBe(false);
      const denied = await call(op.method.toUpperCase(), path, { token: cashier, json: op.body ? {} : undefined });
      expect(denied.status, `${op.method} ${op.path}`).toBe(403);
      expect(denied.body.error).toMatchObject({ code: 'PermissionDenied', details: { permission: op.permission } });
    }
    const doc = (await get('/openapi.json', null)).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/reports/trial-balance', '/api/invoices/{id}/void', '/api/stock/adjustments']),
    );
  });
});

describe('accounts', () => {
  let rentId: number;

  it('lists the chart, creates accounts, refuses duplicate codes and unknown types', async () => {
    const list = await get('/accounts');
    expect(list.status).toBe(200);
    expect(list.body.accounts.map((a: Json) => a.code)).toEqual(Object.values(ACCOUNT_CODES).sort());
    expect((await get('/accounts?type=income')).body.accounts.map((a: Json) => a.code)).toEqual([ACCOUNT_CODES.salesRevenue]);
    const rent = await post('/accounts', { code: '6100', name: 'Rent', type: 'expense' });
    expect(rent.status).toBe(201);
    expect(rent.body.account).toMatchObject({ code: '6100', name: 'Rent', type: 'expense', isActive: true });
    rentId = rent.body.account.id;
    const dup = await post('/accounts', { code: '6100', name: 'Again', type: 'expense' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details).toEqual({ field: 'code' });
    const bad = await post('/accounts', { code: '', name: 'x', type: 'revenue' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: Json) => d.path)).toEqual(expect.arrayContaining(['code', 'type']));
    expect((await get(`/accounts/${rentId}`)).body.account.code).toBe('6100');
    expect((await get('/accounts/999999')).status).toBe(404);
    expect((await call('GET', `/accounts/${rentId}`, { token: other, on: otherHost })).status).toBe(404);
    expect((await get('/accounts?active=yes')).status).toBe(400);
  });

  it('updates; protects system accounts; deletes unused accounts; only deactivates used ones', async () => {
    expect((await patch(`/accounts/${rentId}`, { name: 'Rent and rates' })).body.account.name).toBe('Rent and rates');
    expect((await patch('/accounts/999999', { name: 'x' })).status).toBe(404);
    const cash = await accountId(ACCOUNT_CODES.cash);
    const recode = await patch(`/accounts/${cash}`, { code: '1001' });
    expect(recode.status).toBe(409);
    expect(recode.body.error.details).toEqual({ reason: 'systemAccount' });
    expect((await del(`/accounts/${cash}`)).status).toBe(409);
    const spare = await post('/accounts', { code: '6900', name: 'Spare', type: 'expense' });
    expect((await del(`/accounts/${spare.body.account.id}`)).status).toBe(204);
    expect((await del(`/accounts/${spare.body.account.id}`)).status).toBe(404);

    expect((await post('/expenses', { accountId: rentId, amount: 50_000, vendor: 'Landlord' })).status).toBe(201);
    const used = await del(`/accounts/${rentId}`);
    expect(used.status).toBe(409);
    expect(used.body.error.details).toEqual({ reason: 'inUse' });
    expect((await patch(`/accounts/${rentId}`, { type: 'asset' })).status).toBe(409);
    expect((await patch(`/accounts/${rentId}`, { isActive: false })).body.account.isActive).toBe(false);
    expect((await get('/accounts?active=false')).body.accounts.map((a: Json) => a.id)).toEqual([rentId]);
  });
});

describe('expenses and the journal', () => {
  it('records an expense and its posting in one go; 400 for accounts of the wrong type', async () => {
    const opex = await accountId(ACCOUNT_CODES.operatingExpenses);
    const bank = await accountId(ACCOUNT_CODES.bank);
    const res = await post('/expenses', {
      expenseDate: '2026-03-03',
      accountId: opex,
      amount: 1234,
      vendor: 'Paper Co',
      paidFromAccountId: bank,
    });
    expect(res.status).toBe(201);
    const expense = res.body.expense;
    expect(expense).toMatchObject({ expenseDate: '2026-03-03', amount: 1234, paidFromAccountId: bank, journalEntryId: expect.any(Number) });
    const entry = await get(`/journal-entries/${expense.journalEntryId}`);
    expect(entry.body.entry).toMatchObject({ sourceType: 'expense', sourceId: expense.id, total: 1234 });
    expect(entry.body.entry.lines.map((l: Json) => [l.accountCode, l.debit, l.credit])).toEqual([
      [ACCOUNT_CODES.operatingExpenses, 1234, 0],
      [ACCOUNT_CODES.bank, 0, 1234],
    ]);
    const wrong = await post('/expenses', { accountId: bank, amount: 10 });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details).toEqual([{ path: 'accountId', message: expect.stringContaining('not an expense account') }]);
    expect((await post('/expenses', { accountId: opex, amount: 0 })).status).toBe(400);
    expect((await post('/expenses', { accountId: opex, amount: 10.5 })).status).toBe(400);
    expect((await get(`/expenses/${expense.id}`)).body.expense.vendor).toBe('Paper Co');
    expect((await get('/expenses/999999')).status).toBe(404);
    expect((await get(`/expenses?from=2026-03-03&to=2026-03-03&accountId=${opex}`)).body).toMatchObject({
      total: 1,
      expenses: [expect.objectContaining({ id: expense.id })],
    });
    expect((await get('/expenses?from=2026-03-04&to=2026-03-03')).status).toBe(400);
  });

  it('lists journal entries by date, source and account', async () => {
    const byDate = await get('/journal-entries?from=2026-03-03&to=2026-03-03');
    expect(byDate.body.entries.map((e: Json) => e.sourceType)).toEqual(['expense']);
    const byAccount = await get(`/journal-entries?accountId=${await accountId(ACCOUNT_CODES.bank)}`);
    expect(byAccount.body.total).toBe(1);
    expect((await get('/journal-entries?sourceType=refund')).status).toBe(400);
    expect((await get('/journal-entries/999999')).status).toBe(404);
    expect((await get('/tax-rates')).body.taxRates).toEqual([expect.objectContaining({ code: 'STANDARD', rateBp: 2000 })]);
  });
});

describe('reports', () => {
  beforeAll(async () => {
    const location = (await get('/locations')).body.locations[0].id;
    const product = (await post('/products', { sku: 'R-1', name: 'Reported', unitPrice: 1000, costPrice: 300, taxRateId: null })).body
      .product.id;
    await post('/stock/adjustments', { productId: product, locationId: location, quantity: 10, reason: 'receipt' });
    for (const [date, quantity] of [
      ['2026-04-01', 1],
      ['2026-04-01', 2],
      ['2026-04-02', 3],
    ] as const) {
      expect(
        (await post('/invoices', { issueDate: date, lines: [{ productId: product, quantity }], payment: { method: 'cash' } })).status,
      ).toBe(201);
    }
    const voided = await post('/invoices', { issueDate: '2026-04-02', lines: [{ productId: product, quantity: 1 }] });
    await post(`/invoices/${voided.body.invoice.id}/void`, { date: '2026-04-02' });
    await post('/expenses', { expenseDate: '2026-04-02', accountId: await accountId(ACCOUNT_CODES.operatingExpenses), amount: 700 });
  });

  it('trial balance: balanced, per account, for the range', async () => {
    const res = await get('/reports/trial-balance?from=2026-04-01&to=2026-04-30');
    expect(res.status).toBe(200);
    const report = res.body.report;
    expect(report).toMatchObject({ from: '2026-04-01', to: '2026-04-30', balanced: true });
    expect(report.totals.debit).toBe(report.totals.credit);
    expect(report.accounts.find((a: Json) => a.code === ACCOUNT_CODES.cash)).toMatchObject({ debit: 6000, credit: 700, balance: 5300 });
    expect((await get('/reports/trial-balance')).body.report.balanced).toBe(true);
  });

  it('profit and loss, sales by day and by location', async () => {
    const pl = (await get('/reports/profit-and-loss?from=2026-04-01&to=2026-04-30')).body.report;
    expect(pl.totals).toEqual({ income: 6000, expenses: 1800 + 700, netProfit: 3500 });
    const days = (await get('/reports/sales-by-day?from=2026-04-01&to=2026-04-30')).body.report.days;
    expect(days).toEqual([
      { date: '2026-04-01', invoices: 2, subtotal: 3000, tax: 0, total: 3000 },
      { date: '2026-04-02', invoices: 1, subtotal: 3000, tax: 0, total: 3000 },
    ]);
    const location = (await get('/locations')).body.locations[0];
    expect((await get(`/reports/sales-by-day?from=2026-04-02&to=2026-04-02&locationId=${location.id}`)).body.report.days).toHaveLength(1);
    const byLocation = (await get('/reports/sales-by-location?from=2026-04-01&to=2026-04-30')).body.report;
    expect(byLocation).toMatchObject({
      from: '2026-04-01',
      locations: [{ locationId: location.id, code: location.code, invoices: 3, total: 6000 }],
    });
  });

  it('400 for bad ranges', async () => {
    for (const path of ['/reports/trial-balance', '/reports/profit-and-loss', '/reports/sales-by-day', '/reports/sales-by-location']) {
      const res = await get(`${path}?from=2026-05-01&to=2026-04-01`);
      expect(res.status, path).toBe(400);
      expect(res.body.error.details).toEqual([{ path: 'from', message: 'from must not be after to' }]);
      expect((await get(`${path}?from=April`)).status, path).toBe(400);
    }
  });
});

describe('tax rates, manual entries, expense edits and statements over HTTP', () => {
  it('creates, changes and deletes tax rates', async () => {
    const created = await post('/tax-rates', { code: 'VAT5', name: 'VAT 5 %', rateBp: 500, isInclusive: true });
    expect(created.status).toBe(201);
    expect(created.body.taxRate).toMatchObject({ code: 'VAT5', rateBp: 500, isInclusive: true, isActive: true });
    const id = created.body.taxRate.id;
    expect((await post('/tax-rates', { code: 'vat5', name: 'dup', rateBp: 1 })).status).toBe(409);
    const bad = await post('/tax-rates', { code: '', name: 'x', rateBp: 10_001 });
    expect(bad.status).toBe(400);
    expect(new Set(bad.body.error.details.map((d: Json) => d.path))).toEqual(new Set(['code', 'rateBp']));
    expect((await patch(`/tax-rates/${id}`, { rateBp: 700 })).body.taxRate.rateBp).toBe(700);
    expect((await get(`/tax-rates/${id}`)).body.taxRate.name).toBe('VAT 5 %');
    expect((await get('/tax-rates?active=true')).body.taxRates.map((r: Json) => r.code)).toEqual(['STANDARD', 'VAT5']);
    expect((await call('GET', `/tax-rates/${id}`, { token: other, on: otherHost })).status).toBe(404);
    expect((await del(`/tax-rates/${id}`)).status).toBe(204);
    expect((await get(`/tax-rates/${id}`)).status).toBe(404);
  });

  it('posts a manual entry, reverses it once, and refuses unbalanced or control-account entries', async () => {
    const bank = await accountId(ACCOUNT_CODES.bank);
    const equity = await accountId(ACCOUNT_CODES.ownersEquity);
    const res = await post('/journal-entries', {
      entryDate: '2026-05-02',
      memo: 'Capital',
      lines: [
        { accountId: bank, debit: 25_000 },
        { accountId: equity, credit: 25_000 },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body.entry).toMatchObject({ sourceType: 'manual', total: 25_000, entryDate: '2026-05-02' });
    const unbalanced = await post('/journal-entries', {
      memo: 'x',
      lines: [
        { accountId: bank, debit: 2 },
        { accountId: equity, credit: 1 },
      ],
    });
    expect(unbalanced.status).toBe(400);
    const both = await post('/journal-entries', {
      memo: 'x',
      lines: [
        { accountId: bank, debit: 2, credit: 2 },
        { accountId: equity, credit: 2 },
      ],
    });
    expect(both.status).toBe(400);
    const control = await post('/journal-entries', {
      memo: 'x',
      lines: [
        { accountId: await accountId(ACCOUNT_CODES.inventory), debit: 2 },
        { accountId: equity, credit: 2 },
      ],
    });
    expect(control.status).toBe(400);
    expect(control.body.error.details).toEqual([{ path: 'lines.0.accountId', message: expect.stringContaining('documents') }]);

    const reversed = await post(`/journal-entries/${res.body.entry.id}/reverse`, { date: '2026-05-03' });
    expect(reversed.status).toBe(201);
    expect(reversed.body.entry).toMatchObject({ sourceType: 'reversal', sourceId: res.body.entry.id });
    // The journal marks both: the entry says which entry reversed it; the reversal names what it reversed.
    const original = await get(`/journal-entries/${res.body.entry.id}`);
    expect(original.body.entry.reversedBy).toBe(reversed.body.entry.id);
    const listed = await get('/journal-entries?from=2026-05-01&to=2026-05-31');
    const byId = new Map(listed.body.entries.map((e: { id: number }) => [e.id, e]));
    expect(byId.get(res.body.entry.id)).toMatchObject({ reversedBy: reversed.body.entry.id });
    expect(byId.get(reversed.body.entry.id)).toMatchObject({ reversedBy: null, sourceType: 'reversal', sourceId: res.body.entry.id });
    const again = await post(`/journal-entries/${res.body.entry.id}/reverse`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.details).toMatchObject({ reason: 'alreadyReversed' });
    expect((await post('/journal-entries/999999/reverse', {})).status).toBe(404);
  });

  it('edits an expense; reads the balance sheet, a general ledger, receivables ageing and tax per rate', async () => {
    const opex = await accountId(ACCOUNT_CODES.operatingExpenses);
    const expense = (await post('/expenses', { expenseDate: '2026-05-04', accountId: opex, amount: 900 })).body.expense;
    const edited = await patch(`/expenses/${expense.id}`, { amount: 950, vendor: 'Cleaner' });
    expect(edited.status).toBe(200);
    expect(edited.body.expense).toMatchObject({ amount: 950, vendor: 'Cleaner', journalEntryId: expense.journalEntryId });
    expect((await get(`/journal-entries/${expense.journalEntryId}`)).body.entry.total).toBe(950);
    expect((await patch(`/expenses/${expense.id}`, { amount: 0 })).status).toBe(400);
    expect((await patch('/expenses/999999', { amount: 1 })).status).toBe(404);

    const sheet = (await get('/reports/balance-sheet?asOf=2026-12-31')).body.report;
    expect(sheet.balanced).toBe(true);
    expect(sheet.totals.assets).toBe(sheet.totals.liabilitiesAndEquity);
    const cash = await accountId(ACCOUNT_CODES.cash);
    const ledger = (await get(`/reports/general-ledger?accountId=${cash}&from=2026-04-01&to=2026-04-30`)).body.report;
    expect(ledger.lines.at(-1).balance).toBe(ledger.closingBalance);
    expect(ledger.closingBalance).toBe(5_300);
    expect((await get('/reports/general-ledger?accountId=999999')).status).toBe(404);
    expect((await get('/reports/general-ledger')).status).toBe(400);
    const ageing = (await get('/reports/receivables-ageing?asOf=2026-12-31')).body.report;
    expect(ageing).toMatchObject({ asOf: '2026-12-31', totals: expect.objectContaining({ total: expect.any(Number) }) });
    const tax = (await get('/reports/tax?from=2026-04-01&to=2026-04-30')).body.report;
    expect(tax).toMatchObject({ rates: [{ rateBp: 0, taxable: 6_000, tax: 0 }], totals: { taxable: 6_000, tax: 0 } });
    expect((await get('/reports/balance-sheet?asOf=tomorrow')).status).toBe(400);
  });
});

describe('inclusive tax rates in a sale', () => {
  it('sells at the shelf price with the tax taken out of it, tells the till the rate is inclusive, and the books balance', async () => {
    const rate = (await post('/tax-rates', { code: 'INC20', name: 'VAT 20 % incl.', rateBp: 2000, isInclusive: true })).body.taxRate;
    const product = (
      await post('/products', { sku: 'INC-1', name: 'Shelf priced', unitPrice: 349, taxRateId: rate.id, allowNegativeStock: true })
    ).body.product;
    expect((await get('/workspace')).body.workspace.taxRates).toContainEqual({ id: rate.id, rateBp: 2000, isInclusive: true });
    const sale = await post('/invoices', {
      issueDate: '2026-07-01',
      lines: [{ productId: product.id, quantity: 3 }],
      payment: { method: 'cash' },
    });
    expect(sale.status).toBe(201);
    // 3 × 3.49 = 10.47 paid; tax in it 10.47 × 20/120 = 1.745 → 1.75; net 8.72.
    expect(sale.body.invoice).toMatchObject({ subtotal: 872, tax: 175, total: 1047, amountPaid: 1047, amountDue: 0 });
    expect(sale.body.invoice.lines[0]).toMatchObject({ taxRateBp: 2000, lineSubtotal: 872, lineTax: 175, lineTotal: 1047 });
    const tax = (await get('/reports/tax?from=2026-07-01&to=2026-07-01')).body.report;
    expect(tax.rates).toEqual([{ rateBp: 2000, taxable: 872, tax: 175 }]);
    expect((await get('/reports/trial-balance?from=2026-07-01&to=2026-07-01')).body.report.balanced).toBe(true);
  });
});
