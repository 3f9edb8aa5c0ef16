import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantModels } from '../model-types';
import { createInvoice } from '../sales/invoicing';
import { recordPayment } from '../sales/payments';
import { openTestTenant, type TestTenant } from '../sales/test-tenant';
import { closePeriod, updateSettings } from '../settings/settings';
import { testDialects } from '../testing';
import { createAccount } from './accounts';
import { ACCOUNT_CODES } from './chart-of-accounts';
import { createExpense, updateExpense } from './expenses';
import { getJournalEntry } from './journal';
import { createManualEntry, reverseJournalEntry } from './manual-entries';
import { trialBalance } from './reports';
import { balanceSheet, fiscalYearStart, generalLedger, receivablesAgeing, taxReport } from './statements';
import { createTaxRate, deleteTaxRate, listTaxRates, updateTaxRate } from './tax-rates';
import { units } from '../sales/quantity';

const dialects = await testDialects();

describe('fiscal year start', () => {
  it('is the first day of the start month on or before the date', () => {
    expect(fiscalYearStart('2026-03-31', 4)).toBe('2025-04-01');
    expect(fiscalYearStart('2026-04-01', 4)).toBe('2026-04-01');
    expect(fiscalYearStart('2026-12-31', 1)).toBe('2026-01-01');
  });
});

describe.each(dialects)('accounting tools on %s', (dialect) => {
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

  it('manages tax rates: unique codes, inclusive flag, rates in use are only deactivated', async () => {
    const reduced = await createTaxRate(models, { code: 'REDUCED', name: 'Reduced', rateBp: 500, isInclusive: true });
    expect(reduced).toMatchObject({ rateBp: 500, isInclusive: true, isActive: true });
    await expect(createTaxRate(models, { code: 'reduced', name: 'Again', rateBp: 1 })).rejects.toMatchObject({
      code: 'Conflict',
      details: { field: 'code' },
    });
    await expect(createTaxRate(models, { code: 'BAD RATE', name: 'x', rateBp: 10_001 })).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: [expect.objectContaining({ path: 'code' }), expect.objectContaining({ path: 'rateBp' })],
    });
    expect(await updateTaxRate(models, reduced.id, { rateBp: 700, isInclusive: false })).toMatchObject({ rateBp: 700, isInclusive: false });
    await t.product({ taxRateId: reduced.id });
    await expect(deleteTaxRate(models, reduced.id)).rejects.toMatchObject({ code: 'Conflict', details: { reason: 'inUse' } });
    const spare = await createTaxRate(models, { code: 'ZERO', name: 'Zero', rateBp: 0 });
    await deleteTaxRate(models, spare.id);
    expect((await listTaxRates(models)).map((r) => r.code)).toEqual(['REDUCED', 'STANDARD']);
  });

  it('posts balanced manual entries on open, non-control accounts, and reverses them once', async () => {
    const bank = await byCode(ACCOUNT_CODES.bank);
    const equity = await byCode(ACCOUNT_CODES.ownersEquity);
    const entry = await createManualEntry(models, {
      entryDate: '2026-01-02',
      memo: 'Owner puts money in',
      lines: [
        { accountId: bank, debit: 100_000 },
        { accountId: equity, credit: 100_000 },
      ],
      userId: t.userId,
    });
    expect(entry).toMatchObject({ sourceType: 'manual', entryDate: '2026-01-02', total: 100_000 });

    const unbalanced = {
      memo: 'x',
      lines: [
        { accountId: bank, debit: 10 },
        { accountId: equity, credit: 9 },
      ],
      userId: t.userId,
    };
    await expect(createManualEntry(models, unbalanced)).rejects.toMatchObject({ code: 'ValidationFailed' });
    const ar = await byCode(ACCOUNT_CODES.accountsReceivable);
    await expect(
      createManualEntry(models, {
        memo: 'x',
        lines: [
          { accountId: ar, debit: 10 },
          { accountId: equity, credit: 10 },
        ],
        userId: t.userId,
      }),
    ).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: [{ path: 'lines.0.accountId', message: expect.stringContaining('posted only by its documents') }],
    });
    await expect(
      createManualEntry(models, {
        memo: 'x',
        lines: [
          { accountId: 999_999, debit: 10 },
          { accountId: equity, credit: 10 },
        ],
        userId: t.userId,
      }),
    ).rejects.toMatchObject({
      details: [{ path: 'lines.0.accountId', message: 'no account 999999' }],
    });
    await expect(
      createManualEntry(models, {
        memo: 'x',
        lines: [
          { accountId: bank, debit: 10, credit: 10 },
          { accountId: equity, credit: 10 },
        ],
        userId: t.userId,
      }),
    ).rejects.toMatchObject({
      details: [{ path: 'lines.0', message: expect.any(String) }],
    });

    await expect(reverseJournalEntry(models, entry.id, { date: '2026-01-01', userId: t.userId })).rejects.toMatchObject({
      code: 'ValidationFailed',
    });
    const reversal = await reverseJournalEntry(models, entry.id, { date: '2026-01-05', memo: 'wrong account', userId: t.userId });
    expect(reversal).toMatchObject({ sourceType: 'reversal', sourceId: entry.id, entryDate: '2026-01-05' });
    expect(reversal.reversedBy).toBeNull();
    expect((await getJournalEntry(models, entry.id)).reversedBy).toBe(reversal.id);
    expect(reversal.lines.map((l) => [l.accountId, l.debit, l.credit])).toEqual([
      [bank, 0, 100_000],
      [equity, 100_000, 0],
    ]);
    await expect(reverseJournalEntry(models, entry.id, { userId: t.userId })).rejects.toMatchObject({
      code: 'Conflict',
      details: { reason: 'alreadyReversed' },
    });
    await expect(reverseJournalEntry(models, reversal.id, { userId: t.userId })).rejects.toMatchObject({
      code: 'Conflict',
      details: { reason: 'notManual' },
    });
    const bankRow = (await trialBalance(models)).accounts.find((a) => a.accountId === bank);
    expect(bankRow?.balance ?? 0).toBe(0);
  });

  it('edits an expense and its posting in place while its period is open', async () => {
    const rent = await createAccount(models, { code: '6100', name: 'Rent', type: 'expense' });
    const opex = await byCode(ACCOUNT_CODES.operatingExpenses);
    const bank = await byCode(ACCOUNT_CODES.bank);
    const expense = await createExpense(models, {
      expenseDate: '2026-01-20',
      accountId: opex,
      amount: 5_000,
      vendor: 'Landlord',
      userId: t.userId,
    });
    const edited = await updateExpense(models, expense.id, {
      accountId: rent.id,
      amount: 6_000,
      paidFromAccountId: bank,
      expenseDate: '2026-01-21',
    });
    expect(edited).toMatchObject({
      accountId: rent.id,
      amount: 6_000,
      paidFromAccountId: bank,
      expenseDate: '2026-01-21',
      vendor: 'Landlord',
      journalEntryId: expense.journalEntryId,
    });
    const entry = await getJournalEntry(models, expense.journalEntryId as number);
    expect(entry).toMatchObject({ entryDate: '2026-01-21', total: 6_000 });
    expect(entry.lines.map((l) => [l.accountId, l.debit, l.credit])).toEqual([
      [rent.id, 6_000, 0],
      [bank, 0, 6_000],
    ]);
    await expect(updateExpense(models, expense.id, { accountId: bank })).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: [expect.objectContaining({ path: 'accountId' })],
    });
    await expect(updateExpense(models, 999_999, { amount: 1 })).rejects.toMatchObject({ code: 'NotFound' });
    expect((await trialBalance(models)).balanced).toBe(true);
  });

  it('balance sheet, general ledger, receivables ageing and tax per rate', async () => {
    await updateSettings(models, { fiscalYearStartMonth: 4 });
    const customer = await models.Customer.create({ name: 'Ageing Ltd' });
    const standard = await t.product({ unitPrice: 1_000 }, 20); // 20 % standard rate
    const zero = await t.product({ unitPrice: 500, taxRateId: null }, 20);
    const old = await createInvoice(models, {
      locationId: t.locationId,
      customerId: customer.id,
      issueDate: '2026-01-10',
      lines: [{ productId: standard.id, quantity: units(2) }],
      userId: t.userId,
    });
    const recent = await createInvoice(models, {
      locationId: t.locationId,
      customerId: customer.id,
      issueDate: '2026-03-25',
      lines: [{ productId: zero.id, quantity: units(3) }],
      userId: t.userId,
    });
    await recordPayment(models, old.id, { amount: 400, method: 'card', receivedAt: new Date('2026-02-01T12:00:00Z'), userId: t.userId });
    await createInvoice(models, {
      locationId: t.locationId,
      issueDate: '2026-04-02',
      lines: [{ productId: standard.id, quantity: units(1) }],
      payment: { method: 'cash' },
      userId: t.userId,
    });

    const sheet = await balanceSheet(models, { asOf: '2026-04-30' });
    expect(sheet).toMatchObject({ asOf: '2026-04-30', fiscalYearStart: '2026-04-01', balanced: true });
    expect(sheet.totals.assets).toBe(sheet.totals.liabilitiesAndEquity);
    expect(sheet.currentYearEarnings).toBe(1_000); // the April sale, net of tax (no cost price)
    const march = await balanceSheet(models, { asOf: '2026-03-31' });
    expect(march.fiscalYearStart).toBe('2025-04-01');
    expect(march.balanced).toBe(true);
    expect(march.assets.find((a) => a.code === ACCOUNT_CODES.accountsReceivable)!.balance).toBe(2_400 - 400 + 1_500);

    const arId = await byCode(ACCOUNT_CODES.accountsReceivable);
    const ledger = await generalLedger(models, { accountId: arId, from: '2026-01-01', to: '2026-03-31' });
    expect(ledger.openingBalance).toBe(0);
    expect(ledger.lines.map((l) => [l.date, l.debit, l.credit, l.balance])).toEqual([
      ['2026-01-10', 2_400, 0, 2_400],
      ['2026-02-01', 0, 400, 2_000],
      ['2026-03-25', 1_500, 0, 3_500],
    ]);
    expect(ledger).toMatchObject({ closingBalance: 3_500, total: 3 });
    const page2 = await generalLedger(models, { accountId: arId, from: '2026-02-01', limit: 1, offset: 1 });
    expect(page2).toMatchObject({
      openingBalance: 2_400,
      total: 2,
      lines: [expect.objectContaining({ date: '2026-03-25', balance: 3_500 })],
    });
    await expect(generalLedger(models, { accountId: 999_999 })).rejects.toMatchObject({ code: 'NotFound' });

    const ageing = await receivablesAgeing(models, { asOf: '2026-04-15' });
    const row = ageing.customers.find((c) => c.customerId === customer.id)!;
    expect(row).toMatchObject({ name: 'Ageing Ltd', invoices: 2, '0-30': 1_500, '31-60': 0, '61-90': 0, '90+': 2_000, total: 3_500 });
    expect(ageing.totals.total).toBe(3_500);
    expect(recent.total).toBe(1_500);

    const tax = await taxReport(models, { from: '2026-01-01', to: '2026-03-31' });
    expect(tax.rates).toEqual([
      { rateBp: 0, taxable: 1_500, tax: 0 },
      { rateBp: 2000, taxable: 2_000, tax: 400 },
    ]);
    expect(tax.totals).toEqual({ taxable: 3_500, tax: 400 });
  });

  it('refuses edits and manual entries dated in a closed period', async () => {
    const opex = await byCode(ACCOUNT_CODES.operatingExpenses);
    const bank = await byCode(ACCOUNT_CODES.bank);
    const equity = await byCode(ACCOUNT_CODES.ownersEquity);
    const open = await createExpense(models, { expenseDate: '2026-03-15', accountId: opex, amount: 100, userId: t.userId });
    await closePeriod(models, { through: '2026-02-28' });
    const closed = { code: 'Conflict', details: { reason: 'periodClosed' } };
    const early = (await models.Expense.findOne({ where: { expenseDate: '2026-01-21' } }))!;
    await expect(updateExpense(models, early.id, { amount: 1 })).rejects.toMatchObject(closed);
    await expect(updateExpense(models, open.id, { expenseDate: '2026-02-01' })).rejects.toMatchObject(closed);
    expect((await updateExpense(models, open.id, { amount: 150 })).amount).toBe(150);
    await expect(
      createManualEntry(models, {
        entryDate: '2026-02-28',
        memo: 'late',
        lines: [
          { accountId: bank, debit: 1 },
          { accountId: equity, credit: 1 },
        ],
        userId: t.userId,
      }),
    ).rejects.toMatchObject(closed);
  });
});
