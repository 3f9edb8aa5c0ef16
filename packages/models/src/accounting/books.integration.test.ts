import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoice, Product, TenantModels } from '../model-types';
import { createCustomer } from '../sales/catalog';
import { createInvoice, voidInvoice } from '../sales/invoicing';
import { recordPayment } from '../sales/payments';
import { units } from '../sales/quantity';
import { adjustStock } from '../sales/stock';
import { bookViolations } from '../testing/books';
import { openTestTenant, type TestTenant } from '../sales/test-tenant';
import { testDialects } from '../testing';
import { ACCOUNT_CODES } from './chart-of-accounts';
import { createExpense } from './expenses';
import { profitAndLoss, trialBalance } from './reports';

const dialects = await testDialects();

/** mulberry32: a small seeded PRNG, so a failing sequence can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.SALESFLEET_BOOKS_SEED ?? 20260301);
const OPERATIONS = 45;

describe.each(dialects)('the books on %s', (dialect) => {
  let t: TestTenant;
  let models: TenantModels;

  beforeAll(async () => {
    t = await openTestTenant(dialect);
    models = t.models;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it(`balance after a random sequence of sales, voids, payments, expenses and stock changes (seed ${SEED})`, async () => {
    const random = prng(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
    const day = () => `2026-01-${String(int(1, 9)).padStart(2, '0')}`;

    const second = await models.Location.create({ code: 'SECOND', name: 'Second store' });
    const locations = [t.locationId, second.id];
    const products: Product[] = [];
    for (let i = 0; i < 6; i++) {
      const p = await t.product({
        unitPrice: int(1, 5000),
        costPrice: i % 3 === 0 ? null : int(1, 3000),
        taxRateId: i === 5 ? null : undefined,
        allowNegativeStock: i === 4,
      });
      products.push(p);
      for (const locationId of locations) {
        const quantity = int(0, 15);
        if (quantity > 0)
          await adjustStock(models, { productId: p.id, locationId, quantity: units(quantity), reason: 'receipt', userId: t.userId });
      }
    }
    const customers = [await createCustomer(models, { name: 'Random A' }), await createCustomer(models, { name: 'Random B' })];
    const expenseAccount = await models.Account.findOne({ where: { code: ACCOUNT_CODES.operatingExpenses } });
    const bank = await models.Account.findOne({ where: { code: ACCOUNT_CODES.bank } });
    const invoices: Invoice[] = [];
    const tally = { sales: 0, refused: 0, payments: 0, voids: 0, expenses: 0, adjustments: 0 };

    async function stock(productId: number, locationId: number): Promise<number> {
      const row = await models.StockLevel.findOne({ where: { productId, locationId } });
      return row?.quantity ?? 0;
    }

    for (let op = 0; op < OPERATIONS; op++) {
      const roll = random();
      if (roll < 0.55) {
        const lines = Array.from({ length: int(1, 3) }, () =>
          random() < 0.85
            ? { productId: pick(products).id, quantity: units(int(1, 3)) }
            : { description: 'Service', quantity: units(int(1, 2)), unitPrice: int(0, 2000), taxRateBp: pick([0, 825, 2000]) },
        );
        const payment =
          random() < 0.5
            ? { method: pick(['cash', 'card', 'transfer', 'other'] as const), ...(random() < 0.3 ? { amount: 1 } : {}) }
            : undefined;
        try {
          const invoice = await createInvoice(models, {
            locationId: pick(locations),
            customerId: random() < 0.5 ? pick(customers).id : null,
            issueDate: day(),
            userId: t.userId,
            lines,
            ...(payment ? { payment } : {}),
          });
          invoices.push(invoice);
          tally.sales++;
        } catch (err) {
          expect(err).toMatchObject({ code: 'InsufficientStock' });
          tally.refused++;
        }
      } else if (roll < 0.72) {
        const open = invoices.filter((i) => i.status === 'issued');
        if (open.length === 0) continue;
        const invoice = pick(open);
        const outstanding = invoice.total - invoice.amountPaid;
        const { invoice: after } = await recordPayment(models, invoice.id, {
          amount: int(1, outstanding),
          method: pick(['cash', 'card'] as const),
          userId: t.userId,
        });
        invoices[invoices.indexOf(invoice)] = after;
        tally.payments++;
      } else if (roll < 0.84) {
        const live = invoices.filter((i) => i.status !== 'void');
        if (live.length === 0) continue;
        const invoice = pick(live);
        invoices[invoices.indexOf(invoice)] = await voidInvoice(models, invoice.id, { userId: t.userId, date: day() });
        tally.voids++;
      } else if (roll < 0.95) {
        await createExpense(models, {
          expenseDate: day(),
          accountId: expenseAccount!.id,
          amount: int(1, 10_000),
          vendor: 'Supplier',
          ...(random() < 0.5 ? { paidFromAccountId: bank!.id } : {}),
          userId: t.userId,
        });
        tally.expenses++;
      } else {
        const p = pick(products);
        const locationId = pick(locations);
        const delta = int(-2, 4) || 1;
        try {
          await adjustStock(models, { productId: p.id, locationId, quantity: units(delta), userId: t.userId, note: 'count' });
          tally.adjustments++;
        } catch (err) {
          expect(err).toMatchObject({ code: 'InsufficientStock' });
        }
      }
    }
    expect(tally.sales).toBeGreaterThan(8);
    expect(tally.voids + tally.payments + tally.expenses).toBeGreaterThan(5);

    // 1. The trial balance balances, over everything and over a part of the period.
    const tb = await trialBalance(models);
    expect(tb.balanced).toBe(true);
    expect(tb.totals.debit).toBe(tb.totals.credit);
    expect(tb.totals.debit).toBeGreaterThan(0);
    expect(tb.accounts.reduce((s, a) => s + Number(a.balance), 0)).toBe(0);
    const part = await trialBalance(models, { from: '2026-01-03', to: '2026-01-06' });
    expect(part.totals.debit).toBe(part.totals.credit);

    // 2. Every single entry balances.
    const unbalanced = await models.sequelize.query(
      'SELECT journal_entry_id FROM journal_lines GROUP BY journal_entry_id HAVING SUM(debit) <> SUM(credit)',
      { type: QueryTypes.SELECT },
    );
    expect(unbalanced).toEqual([]);

    // 3. The accounts agree with the documents.
    const balance = (code: string) => Number(tb.accounts.find((a) => a.code === code)?.balance ?? 0);
    const all = await models.Invoice.findAll({ raw: true });
    const live = all.filter((i) => i.status === 'issued' || i.status === 'paid');
    const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
    expect(balance(ACCOUNT_CODES.accountsReceivable)).toBe(sum(live.map((i) => i.total - i.amountPaid)));
    expect(-balance(ACCOUNT_CODES.salesRevenue)).toBe(sum(live.map((i) => i.subtotal)));
    expect(-balance(ACCOUNT_CODES.taxPayable)).toBe(sum(live.map((i) => i.tax)));
    const payments = await models.Payment.findAll({ where: { invoiceId: live.map((i) => i.id) }, raw: true });
    const expenses = await models.Expense.findAll({ raw: true });
    expect(balance(ACCOUNT_CODES.cash) + balance(ACCOUNT_CODES.bank)).toBe(
      sum(payments.map((p) => p.amount)) - sum(expenses.map((e) => e.amount)),
    );

    // 4. Profit and loss is income minus cost of goods and expenses.
    const pl = await profitAndLoss(models);
    expect(pl.totals.income).toBe(sum(live.map((i) => i.subtotal)));
    expect(pl.totals.netProfit).toBe(
      Number(pl.totals.income) -
        balance(ACCOUNT_CODES.costOfGoodsSold) -
        balance(ACCOUNT_CODES.inventoryAdjustments) -
        balance(ACCOUNT_CODES.operatingExpenses),
    );

    // 5. Stock levels are the sum of their movements.
    const movementSums = await models.sequelize.query<{ product_id: number; location_id: number; q: unknown }>(
      'SELECT product_id, location_id, SUM(quantity) AS q FROM stock_movements GROUP BY product_id, location_id',
      { type: QueryTypes.SELECT },
    );
    for (const row of movementSums) expect(await stock(Number(row.product_id), Number(row.location_id))).toBe(Number(row.q));

    // 6. Inventory at cost: the ledger holds the stock's value, and every product's valuation covers its stock.
    expect(await bookViolations(models)).toEqual([]);
  });
});
