import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantModels } from '../model-types';
import { createInvoice, voidInvoice } from '../sales/invoicing';
import { recordPayment } from '../sales/payments';
import { openTestTenant, type TestTenant } from '../sales/test-tenant';
import { testDialects } from '../testing';
import { createAccount, deleteAccount, getAccount, listAccounts, updateAccount } from './accounts';
import { ACCOUNT_CODES } from './chart-of-accounts';
import { createExpense, listExpenses } from './expenses';
import { getJournalEntry, listJournalEntries } from './journal';
import { profitAndLoss, salesByDay, salesByLocation, trialBalance } from './reports';
import { units } from '../sales/quantity';
import { adjustStock } from '../sales/stock';

const dialects = await testDialects();

describe.each(dialects)('accounting on %s', (dialect) => {
  let t: TestTenant;
  let models: TenantModels;
  let byCode: (code: string) => Promise<number>;

  beforeAll(async () => {
    t = await openTestTenant(dialect);
    models = t.models;
    byCode = async (code) => (await models.Account.findOne({ where: { code } }))!.id;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('manages accounts: unique codes ignoring case, valid types, system accounts protected, used accounts only deactivated', async () => {
    expect((await listAccounts(models)).map((a) => a.code)).toEqual(Object.values(ACCOUNT_CODES).sort());
    const rent = await createAccount(models, { code: '6100', name: 'Rent', type: 'expense' });
    await expect(createAccount(models, { code: '6100', name: 'Again', type: 'expense' })).rejects.toMatchObject({
      code: 'Conflict',
      details: { field: 'code' },
    });
    const sub = await createAccount(models, { code: 'x-1', name: 'Sub', type: 'asset' });
    await expect(createAccount(models, { code: 'X-1', name: 'Case', type: 'asset' })).rejects.toMatchObject({ code: 'Conflict' });
    await expect(createAccount(models, { code: '7000', name: 'Bad', type: 'revenue' as never })).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: [{ path: 'type', message: expect.stringContaining('expense') }],
    });
    expect((await listAccounts(models, { type: 'expense' })).map((a) => a.code)).toEqual(['5000', '5100', '6000', '6100']);

    await expect(deleteAccount(models, await byCode(ACCOUNT_CODES.cash))).rejects.toMatchObject({
      code: 'Conflict',
      details: { reason: 'systemAccount' },
    });
    await expect(updateAccount(models, await byCode(ACCOUNT_CODES.cash), { code: '1001' })).rejects.toMatchObject({ code: 'Conflict' });
    await expect(updateAccount(models, await byCode(ACCOUNT_CODES.cash), { isActive: false })).rejects.toMatchObject({ code: 'Conflict' });
    expect(await updateAccount(models, await byCode(ACCOUNT_CODES.cash), { name: 'Till cash' })).toMatchObject({ name: 'Till cash' });

    await createExpense(models, { expenseDate: '2026-02-01', accountId: rent.id, amount: 120_000, vendor: 'Landlord', userId: t.userId });
    await expect(deleteAccount(models, rent.id)).rejects.toMatchObject({ code: 'Conflict', details: { reason: 'inUse' } });
    await expect(updateAccount(models, rent.id, { type: 'asset' })).rejects.toMatchObject({
      code: 'Conflict',
      details: { reason: 'inUse' },
    });
    expect(await updateAccount(models, rent.id, { isActive: false })).toMatchObject({ isActive: false });
    expect(await updateAccount(models, sub.id, { type: 'liability', code: 'X-2' })).toMatchObject({ type: 'liability', code: 'X-2' });
    await deleteAccount(models, sub.id);
    await expect(getAccount(models, sub.id)).rejects.toMatchObject({ code: 'NotFound' });
    await expect(deleteAccount(models, sub.id)).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('posts expenses in one transaction (debit expense, credit cash or the account paid from) and lists them', async () => {
    const opex = await byCode(ACCOUNT_CODES.operatingExpenses);
    const bank = await byCode(ACCOUNT_CODES.bank);
    const location = t.locationId;
    const e = await createExpense(models, {
      expenseDate: '2026-02-03',
      accountId: opex,
      amount: 4_999,
      vendor: 'Paper Co',
      description: 'receipt rolls',
      locationId: location,
      paidFromAccountId: bank,
      userId: t.userId,
    });
    const entry = await getJournalEntry(models, e.journalEntryId!);
    expect(entry).toMatchObject({ entryDate: '2026-02-03', sourceType: 'expense', sourceId: e.id, total: 4_999 });
    expect(entry.lines.map((l) => [l.accountCode, l.debit, l.credit])).toEqual([
      [ACCOUNT_CODES.operatingExpenses, 4_999, 0],
      [ACCOUNT_CODES.bank, 0, 4_999],
    ]);
    const before = await models.Expense.count();
    await expect(createExpense(models, { accountId: bank, amount: 10, paidFromAccountId: opex, userId: t.userId })).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: [
        { path: 'accountId', message: expect.stringContaining('not an expense account') },
        { path: 'paidFromAccountId', message: expect.stringContaining('not an asset or liability') },
      ],
    });
    await expect(createExpense(models, { accountId: opex, amount: 0, expenseDate: '2026-02-31', userId: t.userId })).rejects.toMatchObject({
      details: [
        { path: 'expenseDate', message: expect.any(String) },
        { path: 'amount', message: expect.any(String) },
      ],
    });
    expect(await models.Expense.count()).toBe(before);
    const list = await listExpenses(models, { from: '2026-02-02', to: '2026-02-28' });
    expect(list.items.map((x) => x.id)).toEqual([e.id]);
    expect((await listExpenses(models, { accountId: opex, locationId: location })).total).toBe(1);
  });

  it('writes nothing of an expense, a payment or a void when their journal lines fail to write', async () => {
    const p = await t.product({ unitPrice: 1000, costPrice: 100 }, 5);
    const invoice = await createInvoice(models, {
      locationId: t.locationId,
      userId: t.userId,
      lines: [{ productId: p.id, quantity: units(2) }],
    });
    const snapshot = async () => ({
      expenses: await models.Expense.count(),
      payments: await models.Payment.count(),
      movements: await models.StockMovement.count(),
      entries: await models.JournalEntry.count(),
      lines: await models.JournalLine.count(),
      invoice: (await models.Invoice.findByPk(invoice.id, { raw: true }))!,
      stock: (await models.StockLevel.findOne({ where: { productId: p.id }, raw: true }))!.quantity,
    });
    const before = await snapshot();
    // A failure injected where the journal lines are written, after the document rows.
    models.JournalLine.addHook('beforeBulkCreate', 'injected-failure', () => {
      throw new Error('injected journal failure');
    });
    try {
      await expect(
        createExpense(models, { accountId: await byCode(ACCOUNT_CODES.operatingExpenses), amount: 100, userId: t.userId }),
      ).rejects.toThrow('injected journal failure');
      await expect(recordPayment(models, invoice.id, { amount: 500, method: 'cash', userId: t.userId })).rejects.toThrow(
        'injected journal failure',
      );
      await expect(voidInvoice(models, invoice.id, { userId: t.userId })).rejects.toThrow('injected journal failure');
    } finally {
      models.JournalLine.removeHook('beforeBulkCreate', 'injected-failure');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('lists journal entries with their lines, by date, source and account', async () => {
    const p = await t.product({ unitPrice: 1000, costPrice: 500 }, 5);
    const invoice = await createInvoice(models, {
      locationId: t.locationId,
      issueDate: '2026-02-10',
      userId: t.userId,
      lines: [{ productId: p.id, quantity: units(1) }],
    });
    await voidInvoice(models, invoice.id, { userId: t.userId, date: '2026-02-11' });
    const bySource = await listJournalEntries(models, { sourceType: 'invoice', sourceId: invoice.id });
    expect(bySource.total).toBe(1);
    expect(bySource.items[0]).toMatchObject({ entryDate: '2026-02-10', total: 1700, memo: `Invoice ${invoice.number}` });
    expect(bySource.items[0]!.lines).toHaveLength(5);
    const feb = await listJournalEntries(models, { from: '2026-02-10', to: '2026-02-11' });
    expect(feb.items.map((e) => e.sourceType)).toEqual(['void', 'invoice']);
    const inventory = await listJournalEntries(models, {
      accountId: await byCode(ACCOUNT_CODES.inventory),
      from: '2026-02-10',
      to: '2026-02-11',
    });
    expect(inventory.items.map((e) => e.sourceId)).toEqual([invoice.id, invoice.id]);
    await expect(getJournalEntry(models, 999_999)).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('reports trial balance, profit and loss, and sales by day and by location for a date range', async () => {
    const north = await models.Location.create({ code: 'NORTH', name: 'North' });
    const p = await t.product({ unitPrice: 1000, costPrice: 600, taxRateId: null }, 20);
    await adjustStock(models, {
      productId: p.id,
      locationId: north.id,
      quantity: units(10),
      reason: 'receipt',
      unitCost: 600,
      date: '2026-03-31',
      userId: t.userId,
    });
    const sell = (locationId: number, issueDate: string, quantity: number) =>
      createInvoice(models, { locationId, issueDate, userId: t.userId, lines: [{ productId: p.id, quantity: units(quantity) }] });
    await sell(t.locationId, '2026-04-01', 1);
    await sell(t.locationId, '2026-04-01', 2);
    await sell(north.id, '2026-04-02', 3);
    const voided = await sell(north.id, '2026-04-02', 4);
    await voidInvoice(models, voided.id, { userId: t.userId, date: '2026-04-02' });
    await createInvoice(models, {
      locationId: north.id,
      issueDate: '2026-04-02',
      draft: true,
      userId: t.userId,
      lines: [{ productId: p.id, quantity: units(1) }],
    });
    await sell(t.locationId, '2026-05-01', 1); // outside the range
    await createExpense(models, {
      expenseDate: '2026-04-02',
      accountId: await byCode(ACCOUNT_CODES.operatingExpenses),
      amount: 500,
      userId: t.userId,
    });

    const range = { from: '2026-04-01', to: '2026-04-30' };
    expect(await salesByDay(models, range)).toEqual([
      { date: '2026-04-01', invoices: 2, subtotal: 3000, tax: 0, total: 3000 },
      { date: '2026-04-02', invoices: 1, subtotal: 3000, tax: 0, total: 3000 },
    ]);
    expect(await salesByDay(models, { ...range, locationId: north.id })).toEqual([
      { date: '2026-04-02', invoices: 1, subtotal: 3000, tax: 0, total: 3000 },
    ]);
    expect(await salesByLocation(models, range)).toEqual([
      { locationId: t.locationId, code: 'MAIN', name: 'Main store', invoices: 2, subtotal: 3000, tax: 0, total: 3000 },
      { locationId: north.id, code: 'NORTH', name: 'North', invoices: 1, subtotal: 3000, tax: 0, total: 3000 },
    ]);

    const pl = await profitAndLoss(models, range);
    expect(pl.income).toEqual([
      { accountId: await byCode(ACCOUNT_CODES.salesRevenue), code: ACCOUNT_CODES.salesRevenue, name: 'Sales revenue', amount: 6000 },
    ]);
    expect(pl.expenses.map((e) => [e.code, e.amount])).toEqual([
      [ACCOUNT_CODES.costOfGoodsSold, 3600],
      [ACCOUNT_CODES.operatingExpenses, 500],
    ]);
    expect(pl.totals).toEqual({ income: 6000, expenses: 4100, netProfit: 1900 });

    const tb = await trialBalance(models, range);
    expect(tb).toMatchObject({ from: range.from, to: range.to, balanced: true });
    expect(tb.totals.debit).toBe(tb.totals.credit);
    expect(tb.accounts.find((a) => a.code === ACCOUNT_CODES.accountsReceivable)).toMatchObject({
      debit: 10_000,
      credit: 4_000,
      balance: 6_000,
    });
    await expect(trialBalance(models, { from: 'yesterday' })).rejects.toMatchObject({ code: 'ValidationFailed' });
  });
});
