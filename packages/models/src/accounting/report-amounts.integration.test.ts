import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_AMOUNT, reportAmountBigInt } from '@salesfleet/contracts';
import type { TenantModels } from '../model-types';
import { dashboardSummary } from '../sales/dashboard';
import { issueInvoicesInBulk } from '../sales/invoicing';
import { units } from '../sales/quantity';
import { openTestTenant, type TestTenant } from '../sales/test-tenant';
import { bookViolations, testDialects } from '../testing';
import { ACCOUNT_CODES } from './chart-of-accounts';
import { createExpense } from './expenses';
import { profitAndLoss, salesByDay, salesByLocation, trialBalance } from './reports';
import { balanceSheet, generalLedger, receivablesAgeing, taxReport } from './statements';
import { writeTransaction } from './transactions';

/**
 * Report totals past 2^53 minor units (issue 13): a tenant with 1,000 invoices each at the largest
 * amount a document may have (MAX_AMOUNT, 100 000 000 000.00) owes 10^16 cents — more than
 * Number.MAX_SAFE_INTEGER (≈ 9.007 × 10^15) — and every report must answer it exactly, as the
 * decimal string of ReportAmount, on every engine.
 */

const dialects = await testDialects();
const DAY = '2026-11-30';
const INVOICES = 1_000;
const SALES = BigInt(MAX_AMOUNT) * BigInt(INVOICES); // 10^16
const EXPENSE = MAX_AMOUNT; // one expense at the largest amount, paid from the bank

describe.each(dialects)('report totals past 2^53 on %s', (dialect) => {
  let t: TestTenant;
  let models: TenantModels;

  beforeAll(async () => {
    t = await openTestTenant(dialect);
    models = t.models;
    const customer = await models.Customer.create({ name: 'Very Large Customer Ltd', email: 'big@example.com' });
    for (let done = 0; done < INVOICES; done += 250) {
      await writeTransaction(models.sequelize, (transaction) =>
        issueInvoicesInBulk(
          models,
          Array.from({ length: 250 }, () => ({
            locationId: t.locationId,
            customerId: customer.id,
            issueDate: DAY,
            // The largest unit price (MAX_UNIT_PRICE) × 10 is the largest document.
            lines: [{ description: 'A very large order', quantity: units(10), unitPrice: MAX_AMOUNT / 10 }],
            userId: t.userId,
          })),
          transaction,
        ),
      );
    }
    const opex = await models.Account.findOne({ where: { code: ACCOUNT_CODES.operatingExpenses } });
    const bank = await models.Account.findOne({ where: { code: ACCOUNT_CODES.bank } });
    await createExpense(models, {
      expenseDate: DAY,
      accountId: opex!.id,
      paidFromAccountId: bank!.id,
      amount: EXPENSE,
      description: 'A very large bill',
      userId: t.userId,
    });
  }, 600_000);

  afterAll(async () => {
    await t?.cleanup();
  }, 120_000);

  it('holds the books: every invariant, compared exactly', async () => {
    expect(SALES > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(await models.Invoice.count()).toBe(INVOICES);
    expect(await bookViolations(models)).toEqual([]);
  });

  it('trial balance: exact totals as decimal strings, and it balances', async () => {
    const tb = await trialBalance(models);
    const row = (code: string) => tb.accounts.find((a) => a.code === code);
    expect(row(ACCOUNT_CODES.accountsReceivable)).toMatchObject({ debit: '10000000000000000', credit: 0, balance: '10000000000000000' });
    expect(row(ACCOUNT_CODES.salesRevenue)).toMatchObject({ debit: 0, credit: '10000000000000000', balance: '-10000000000000000' });
    expect(row(ACCOUNT_CODES.operatingExpenses)).toMatchObject({ debit: EXPENSE, credit: 0, balance: EXPENSE });
    expect(row(ACCOUNT_CODES.bank)).toMatchObject({ debit: 0, credit: EXPENSE, balance: -EXPENSE });
    expect(tb.totals).toEqual({ debit: '10010000000000000', credit: '10010000000000000' });
    expect(tb.balanced).toBe(true);
    const sum = tb.accounts.reduce((s, a) => s + reportAmountBigInt(a.balance), 0n);
    expect(sum).toBe(0n);
  });

  it('balance sheet, profit and loss, tax: exact, and A = L + E', async () => {
    const sheet = await balanceSheet(models, { asOf: DAY });
    expect(sheet.totals).toEqual({
      assets: '9990000000000000',
      liabilities: 0,
      equity: '9990000000000000',
      liabilitiesAndEquity: '9990000000000000',
    });
    expect(sheet.currentYearEarnings).toBe('9990000000000000');
    expect(sheet.balanced).toBe(true);

    const pl = await profitAndLoss(models, { from: DAY, to: DAY });
    expect(pl.totals).toEqual({ income: '10000000000000000', expenses: EXPENSE, netProfit: '9990000000000000' });

    const tax = await taxReport(models, { from: DAY, to: DAY });
    expect(tax.rates).toEqual([{ rateBp: 0, taxable: '10000000000000000', tax: 0 }]);
    expect(tax.totals).toEqual({ taxable: '10000000000000000', tax: 0 });
    expect(tax.netPayable).toBe(0);
  });

  it('sales reports, receivables ageing, the ledger and the dashboard: exact', async () => {
    const figures = { invoices: INVOICES, subtotal: '10000000000000000', tax: 0, total: '10000000000000000' };
    expect(await salesByDay(models, { from: DAY, to: DAY })).toEqual([{ date: DAY, ...figures }]);
    expect(await salesByLocation(models)).toEqual([expect.objectContaining(figures)]);

    const ageing = await receivablesAgeing(models, { asOf: DAY });
    expect(ageing.totals).toEqual({ '0-30': '10000000000000000', '31-60': 0, '61-90': 0, '90+': 0, total: '10000000000000000' });
    expect(ageing.customers).toEqual([
      expect.objectContaining({ name: 'Very Large Customer Ltd', invoices: INVOICES, total: '10000000000000000' }),
    ]);

    const ar = await models.Account.findOne({ where: { code: ACCOUNT_CODES.accountsReceivable } });
    const ledger = await generalLedger(models, { accountId: ar!.id, limit: 1, offset: INVOICES - 1 });
    expect(ledger).toMatchObject({ openingBalance: 0, closingBalance: '10000000000000000', total: INVOICES });
    // The running balance of the last line, past 2^53, is exact; the 901st crosses it.
    expect(ledger.lines).toEqual([expect.objectContaining({ debit: MAX_AMOUNT, balance: '10000000000000000' })]);
    const crossing = await generalLedger(models, { accountId: ar!.id, limit: 2, offset: 899 });
    expect(crossing.lines.map((l) => l.balance)).toEqual([9_000_000_000_000_000, '9010000000000000']);

    const dashboard = await dashboardSummary(models, { today: DAY });
    expect(dashboard.sales).toMatchObject({ today: '10000000000000000', month: '10000000000000000', todayCount: INVOICES });
    expect(dashboard.receivables).toEqual({ open: '10000000000000000', count: INVOICES });
    expect(dashboard.days.at(-1)).toEqual({ date: DAY, total: '10000000000000000', count: INVOICES });
  });
});
