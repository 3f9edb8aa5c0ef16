import fc from 'fast-check';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantModels } from '../model-types';
import { createCustomer } from '../sales/catalog';
import { createInvoice, voidInvoice } from '../sales/invoicing';
import { createCreditNote } from '../sales/credit-notes';
import { recordPayment } from '../sales/payments';
import { adjustStock, transferStock } from '../sales/stock';
import { createSupplierBill, paySupplierBill, voidSupplierBill } from '../purchasing/bills';
import { createSupplier } from '../purchasing/suppliers';
import { tenantToday } from '../settings/settings';
import { openTestTenant, type TestTenant } from '../sales/test-tenant';
import { testDialects } from '../testing';
import { ACCOUNT_CODES } from './chart-of-accounts';
import { createExpense, updateExpense } from './expenses';
import { createManualEntry } from './manual-entries';
import { trialBalance } from './reports';
import { balanceSheet } from './statements';
import { toCents } from './values';
import { isSalesfleetError } from '@salesfleet/contracts';
import { units } from '../sales/quantity';
import { bookViolations } from '../testing/books';

/**
 * Property-based test of the books (fast-check): random sequences of stock receipts, sales (with and
 * without a customer, paid at the till or not), payments, credit notes (partial, restocked or written off), voids, expenses, expense edits and manual
 * entries, transfers between locations, supplier bills (paid in part, voided) and a batch-tracked
 * product (receipts into batches expiring at random, some already expired; sales checked to take
 * first-expiry-first-out and never from an expired batch), with the invariants checked after every step. A failing run prints the shrunk sequence
 * and its seed (replay with SALESFLEET_PROPERTY_SEED). Run counts stay small: each step is a real
 * transaction on a real database.
 */

const dialects = await testDialects();
const SEED = process.env.SALESFLEET_PROPERTY_SEED ? Number(process.env.SALESFLEET_PROPERTY_SEED) : undefined;

type Step =
  | { kind: 'receipt'; product: number; location: number; quantity: number; expiresIn: number }
  | { kind: 'transfer'; product: number; from: number; quantity: number }
  | { kind: 'bill'; amount: number }
  | { kind: 'payBill'; bill: number; fraction: number }
  | { kind: 'voidBill'; bill: number }
  | {
      kind: 'sale';
      customer: number | null;
      lines: { product: number; quantity: number }[];
      location: number;
      till: 'none' | 'full' | 'part';
    }
  | { kind: 'payment'; invoice: number; fraction: number }
  | { kind: 'void'; invoice: number }
  | { kind: 'credit'; invoice: number; fraction: number; restock: boolean }
  | { kind: 'expense'; amount: number; fromBank: boolean }
  | { kind: 'editExpense'; expense: number; amount: number }
  | { kind: 'manual'; amount: number };

/** Products 0–3 plain (2 may go negative), 4 batch-tracked. */
const PRODUCTS = 5;
const TRACKED = 4;
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('transfer' as const),
      product: fc.nat(PRODUCTS - 1),
      from: fc.nat(1),
      quantity: fc.integer({ min: 1, max: 8 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bill' as const), amount: fc.integer({ min: 1, max: 80_000 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('payBill' as const),
      bill: fc.nat(),
      fraction: fc.double({ min: 0.05, max: 1, noNaN: true }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('voidBill' as const), bill: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('credit' as const),
      invoice: fc.nat(),
      fraction: fc.double({ min: 0.1, max: 1, noNaN: true }),
      restock: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('receipt' as const),
      product: fc.nat(PRODUCTS - 1),
      location: fc.nat(1),
      quantity: fc.integer({ min: 1, max: 20 }),
      // Days to the batch's expiry (batch-tracked product only): some already expired.
      expiresIn: fc.integer({ min: -3, max: 40 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('sale' as const),
      customer: fc.option(fc.nat(1), { nil: null }),
      lines: fc.array(fc.record({ product: fc.nat(PRODUCTS - 1), quantity: fc.integer({ min: 1, max: 6 }) }), {
        minLength: 1,
        maxLength: 3,
      }),
      location: fc.nat(1),
      till: fc.constantFrom('none' as const, 'full' as const, 'part' as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('payment' as const),
      invoice: fc.nat(),
      fraction: fc.double({ min: 0.05, max: 1, noNaN: true }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('void' as const), invoice: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('expense' as const), amount: fc.integer({ min: 1, max: 50_000 }), fromBank: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('editExpense' as const), expense: fc.nat(), amount: fc.integer({ min: 1, max: 50_000 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('manual' as const), amount: fc.integer({ min: 1, max: 100_000 }) }) },
);

/** Errors a step may legitimately meet (out of stock, nothing left to pay, already void); anything else fails the property. */
const EXPECTED = new Set(['InsufficientStock', 'Conflict']);

/** Every invariant the books must hold, as a list of violations (empty when they hold). */
async function violations(models: TenantModels): Promise<string[]> {
  const out: string[] = [];
  const unbalanced = await models.sequelize.query<{ id: unknown }>(
    `SELECT journal_entry_id AS id FROM journal_lines GROUP BY journal_entry_id HAVING SUM(debit) <> SUM(credit)`,
    { type: QueryTypes.SELECT },
  );
  if (unbalanced.length) out.push(`unbalanced entries: ${unbalanced.map((r) => r.id).join(', ')}`);
  const tb = await trialBalance(models);
  if (!tb.balanced || tb.totals.debit !== tb.totals.credit) out.push(`trial balance: ${tb.totals.debit} ≠ ${tb.totals.credit}`);
  const sheet = await balanceSheet(models, { asOf: '2099-12-31' });
  if (!sheet.balanced) out.push(`balance sheet: assets ${sheet.totals.assets} ≠ liabilities + equity ${sheet.totals.liabilitiesAndEquity}`);
  const ar = tb.accounts.find((a) => a.code === ACCOUNT_CODES.accountsReceivable)?.balance ?? 0;
  const [open] = await models.sequelize.query<{ owed: unknown }>(
    `SELECT SUM(total - amount_paid - amount_credited) AS owed FROM invoices WHERE status = 'issued'`,
    {
      type: QueryTypes.SELECT,
    },
  );
  // A walk-in sale paid in full at the till never was a receivable; every other issued invoice is.
  if (ar !== toCents(open?.owed)) out.push(`receivables ${ar} ≠ open invoice balances ${toCents(open?.owed)}`);
  const stock = await models.sequelize.query<{ product_id: unknown; level: unknown; moved: unknown }>(
    `SELECT s.product_id, s.quantity AS level,
            (SELECT COALESCE(SUM(m.quantity), 0) FROM stock_movements m WHERE m.product_id = s.product_id AND m.location_id = s.location_id) AS moved
       FROM stock_levels s`,
    { type: QueryTypes.SELECT },
  );
  for (const s of stock)
    if (Number(s.level) !== Number(s.moved)) out.push(`product ${s.product_id}: stock ${s.level} ≠ movements ${s.moved}`);
  // Inventory = Σ stock on hand × average cost, each product's on hand = Σ its levels, AR, AP, batches (testing/books.ts).
  out.push(...(await bookViolations(models)));
  return out;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * What first-expiry-first-out takes for `quantity` from these batches (unexpired on `today`, soonest
 * expiry then oldest first): batch id → thousandths.
 */
function fefo(
  batches: readonly { id: number; expiryDate: string; quantity: number }[],
  quantity: number,
  today: string,
): Map<number, number> {
  const out = new Map<number, number>();
  let left = quantity;
  const usable = batches
    .filter((b) => b.expiryDate >= today && b.quantity > 0)
    .sort((a, b) => a.expiryDate.localeCompare(b.expiryDate) || a.id - b.id);
  for (const b of usable) {
    if (left === 0) break;
    const q = Math.min(left, b.quantity);
    out.set(b.id, q);
    left -= q;
  }
  return out;
}

describe.each(dialects)('the books hold their invariants under random operations on %s', (dialect) => {
  let t: TestTenant;
  let models: TenantModels;

  beforeAll(async () => {
    t = await openTestTenant(dialect);
    models = t.models;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('after every step of every sequence', async () => {
    const second = await models.Location.create({ code: 'PROP-2', name: 'Second' });
    const locations = [t.locationId, second.id];
    const byCode = async (code: string) => (await models.Account.findOne({ where: { code } }))!.id;
    const accounts = {
      opex: await byCode(ACCOUNT_CODES.operatingExpenses),
      bank: await byCode(ACCOUNT_CODES.bank),
      equity: await byCode(ACCOUNT_CODES.ownersEquity),
    };
    const customers = [(await createCustomer(models, { name: 'Prop A' })).id, (await createCustomer(models, { name: 'Prop B' })).id];
    const supplier = (await createSupplier(models, { name: 'Prop Supplies' })).id;
    const today = await tenantToday(models);
    let runs = 0;

    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: dialect === 'sqlite' ? 14 : 8 }), async (steps) => {
        runs += 1;
        // Fresh products per run (prices and costs vary, one may go negative), the same tenant database.
        const products: number[] = [];
        for (let i = 0; i < PRODUCTS; i++) {
          const p = await t.product({
            unitPrice: 100 + i * 175,
            costPrice: i === 0 ? null : 40 + i * 60,
            taxRateId: i === 3 ? null : undefined,
            allowNegativeStock: i === 2,
            trackBatches: i === TRACKED,
          });
          products.push(p.id);
        }
        const invoices: number[] = [];
        const expenses: number[] = [];
        const bills: number[] = [];
        const batchesAt = async (locationId: number) =>
          (await models.StockBatch.findAll({ where: { productId: products[TRACKED]!, locationId }, raw: true })).map((b) => ({
            id: b.id,
            expiryDate: b.expiryDate,
            quantity: Number(b.quantity),
          }));
        for (const s of steps) {
          try {
            switch (s.kind) {
              case 'receipt':
                await adjustStock(models, {
                  productId: products[s.product]!,
                  locationId: locations[s.location]!,
                  quantity: units(s.quantity),
                  reason: 'receipt',
                  // One batch per expiry day, so a batch number always names one expiry date.
                  ...(s.product === TRACKED ? { batchNumber: `E${s.expiresIn}`, expiryDate: addDays(today, s.expiresIn) } : {}),
                  userId: t.userId,
                });
                break;
              case 'transfer':
                await transferStock(models, {
                  productId: products[s.product]!,
                  fromLocationId: locations[s.from]!,
                  toLocationId: locations[1 - s.from]!,
                  quantity: units(s.quantity),
                  userId: t.userId,
                });
                break;
              case 'bill':
                bills.push(
                  (await createSupplierBill(models, { supplierId: supplier, accountId: accounts.opex, amount: s.amount, userId: t.userId }))
                    .id,
                );
                break;
              case 'payBill': {
                if (bills.length === 0) break;
                const bill = (await models.SupplierBill.findByPk(bills[s.bill % bills.length]!))!;
                const owed = Number(bill.total) - Number(bill.amountPaid);
                await paySupplierBill(models, bill.id, { amount: Math.max(1, Math.round(owed * s.fraction)), userId: t.userId });
                break;
              }
              case 'voidBill':
                if (bills.length) await voidSupplierBill(models, bills[s.bill % bills.length]!, { userId: t.userId });
                break;
              case 'sale': {
                const lines = s.lines.map((l) => ({ productId: products[l.product]!, quantity: units(l.quantity) }));
                const draft = {
                  locationId: locations[s.location]!,
                  customerId: s.customer === null ? null : customers[s.customer]!,
                  lines,
                  userId: t.userId,
                };
                const before = await batchesAt(draft.locationId);
                const invoice = await createInvoice(models, {
                  ...draft,
                  ...(s.till === 'none' ? {} : { payment: { method: 'cash' as const, ...(s.till === 'part' ? { amount: 1 } : {}) } }),
                });
                invoices.push(invoice.id);
                // The batch-tracked product left first-expiry-first-out, never from an expired batch.
                const wanted = lines.filter((l) => l.productId === products[TRACKED]).reduce((q, l) => q + l.quantity, 0);
                const taken = new Map<number, number>();
                for (const m of await models.StockMovement.findAll({
                  where: { reference: `invoice:${invoice.id}`, productId: products[TRACKED]! },
                  raw: true,
                }))
                  taken.set(m.batchId as number, (taken.get(m.batchId as number) ?? 0) - Number(m.quantity));
                expect(taken).toEqual(fefo(before, wanted, today));
                break;
              }
              case 'payment': {
                if (invoices.length === 0) break;
                const invoice = (await models.Invoice.findByPk(invoices[s.invoice % invoices.length]!))!;
                const owed = invoice.total - invoice.amountPaid - invoice.amountCredited;
                const amount = Math.max(1, Math.round(owed * s.fraction));
                await recordPayment(models, invoice.id, { amount, method: 'card', userId: t.userId });
                break;
              }
              case 'credit': {
                // Part of the first line not yet credited (a whole line when the fraction rounds up to it).
                if (invoices.length === 0) break;
                const invoiceId = invoices[s.invoice % invoices.length]!;
                const line = await models.InvoiceLine.findOne({ where: { invoiceId }, order: [['id', 'ASC']] });
                const done = Number((await models.CreditNoteLine.sum('quantity', { where: { invoiceLineId: line!.id } })) ?? 0);
                const left = Number(line!.quantity) - done;
                if (left <= 0) break;
                const quantity = Math.min(left, Math.max(units(1), Math.round((left * s.fraction) / units(1)) * units(1)));
                await createCreditNote(models, invoiceId, {
                  lines: [{ invoiceLineId: line!.id, quantity }],
                  restock: s.restock,
                  refundMethod: 'cash',
                  userId: t.userId,
                });
                break;
              }
              case 'void':
                if (invoices.length) await voidInvoice(models, invoices[s.invoice % invoices.length]!, { userId: t.userId });
                break;
              case 'expense':
                expenses.push(
                  (
                    await createExpense(models, {
                      accountId: accounts.opex,
                      amount: s.amount,
                      ...(s.fromBank ? { paidFromAccountId: accounts.bank } : {}),
                      userId: t.userId,
                    })
                  ).id,
                );
                break;
              case 'editExpense':
                if (expenses.length) await updateExpense(models, expenses[s.expense % expenses.length]!, { amount: s.amount });
                break;
              case 'manual':
                await createManualEntry(models, {
                  memo: 'capital',
                  lines: [
                    { accountId: accounts.bank, debit: s.amount },
                    { accountId: accounts.equity, credit: s.amount },
                  ],
                  userId: t.userId,
                });
                break;
            }
          } catch (err) {
            if (!(isSalesfleetError(err) && EXPECTED.has(err.code))) throw err;
          }
          const found = await violations(models);
          if (found.length) throw new Error(`after ${JSON.stringify(s)}: ${found.join('; ')}`);
        }
      }),
      { numRuns: dialect === 'sqlite' ? 12 : 5, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
    expect(runs).toBeGreaterThanOrEqual(dialect === 'sqlite' ? 12 : 5);
    expect(await violations(models)).toEqual([]);
  });
});
