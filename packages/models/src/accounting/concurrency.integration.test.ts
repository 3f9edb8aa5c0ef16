import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantModels } from '../model-types';
import { createInvoice, voidInvoice } from '../sales/invoicing';
import { createCreditNote } from '../sales/credit-notes';
import { recordPayment } from '../sales/payments';
import { units } from '../sales/quantity';
import { openTestTenant, type TestTenant } from '../sales/test-tenant';
import { bookViolations, testDialects } from '../testing';
import { ACCOUNT_CODES } from './chart-of-accounts';
import { createManualEntry, reverseJournalEntry } from './manual-entries';
import { trialBalance } from './reports';
import { toCents } from './values';

/**
 * Races between real connections (separate Sequelize instances, as separate API processes would be)
 * on the servers: the outcome must be one of the serial outcomes, and the books must reconcile.
 */
const dialects = (await testDialects()).filter((d) => d !== 'sqlite');

async function receivablesReconcile(models: TenantModels): Promise<void> {
  const tb = await trialBalance(models);
  expect(tb.balanced).toBe(true);
  const ar = tb.accounts.find((a) => a.code === ACCOUNT_CODES.accountsReceivable)?.balance ?? 0;
  const [open] = await models.sequelize.query<{ owed: unknown }>(
    `SELECT SUM(total - amount_paid) AS owed FROM invoices WHERE status = 'issued'`,
    {
      type: QueryTypes.SELECT,
    },
  );
  expect(ar).toBe(toCents(open?.owed));
}

describe.each(dialects)('concurrent postings on %s', (dialect) => {
  let t: TestTenant;
  let connections: TenantModels[];

  beforeAll(async () => {
    t = await openTestTenant(dialect);
    connections = [t.models, t.connectAgain(), t.connectAgain(), t.connectAgain()];
  });
  afterAll(async () => {
    for (const c of connections.slice(1)) await c.sequelize.close();
    await t.cleanup();
  });

  it('twelve payments from four connections never overpay an invoice', async () => {
    const customer = await t.models.Customer.create({ name: 'Race Ltd' });
    const product = await t.product({ unitPrice: 1_000, taxRateId: null }, 10);
    const invoice = await createInvoice(t.models, {
      locationId: t.locationId,
      customerId: customer.id,
      lines: [{ productId: product.id, quantity: units(5) }],
      userId: t.userId,
    });
    expect(invoice.total).toBe(5_000);
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        recordPayment(connections[i % 4]!, invoice.id, { amount: 700, method: 'card', userId: t.userId }),
      ),
    );
    const paid = results.filter((r) => r.status === 'fulfilled').length;
    expect(paid).toBe(7); // 7 × 700 = 4 900 ≤ 5 000 < 8 × 700
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'Conflict' });
    const row = (await t.models.Invoice.findByPk(invoice.id))!;
    expect(row.amountPaid).toBe(4_900);
    expect(await t.models.Payment.sum('amount', { where: { invoiceId: invoice.id } })).toBe(4_900);
    await receivablesReconcile(t.models);
  });

  it('a void racing payments: each payment either lands before the void (and is refunded by it) or is refused', async () => {
    const customer = await t.models.Customer.create({ name: 'Void Race' });
    const product = await t.product({ unitPrice: 1_000, taxRateId: null }, 10);
    for (let round = 0; round < 3; round++) {
      const invoice = await createInvoice(t.models, {
        locationId: t.locationId,
        customerId: customer.id,
        lines: [{ productId: product.id, quantity: units(1) }],
        userId: t.userId,
      });
      const results = await Promise.allSettled([
        recordPayment(connections[1]!, invoice.id, { amount: 300, method: 'cash', userId: t.userId }),
        voidInvoice(connections[2]!, invoice.id, { userId: t.userId }),
        recordPayment(connections[3]!, invoice.id, { amount: 300, method: 'cash', userId: t.userId }),
      ]);
      expect(results[1]!.status).toBe('fulfilled');
      const payments = (await t.models.Payment.findAll({ where: { invoiceId: invoice.id } })).map((p) => p.id);
      // The void's reversal nets every payment that committed before it; nothing is left in cash or receivables.
      const cash = await t.models.sequelize.query<{ net: unknown }>(
        `SELECT SUM(l.debit - l.credit) AS net FROM journal_lines l JOIN journal_entries e ON e.id = l.journal_entry_id
          JOIN accounts a ON a.id = l.account_id
         WHERE a.code IN (:codes) AND ((e.source_type IN ('invoice', 'void') AND e.source_id = :invoice) OR (e.source_type = 'payment' AND e.source_id IN (:payments)))`,
        {
          type: QueryTypes.SELECT,
          replacements: {
            codes: [ACCOUNT_CODES.cash, ACCOUNT_CODES.accountsReceivable],
            invoice: invoice.id,
            payments: payments.length ? payments : [0],
          },
        },
      );
      expect(toCents(cash[0]?.net)).toBe(0);
      await receivablesReconcile(t.models);
    }
  });

  it('four connections reversing one manual entry: exactly one reversal, every time', async () => {
    const bank = (await t.models.Account.findOne({ where: { code: ACCOUNT_CODES.bank } }))!.id;
    const equity = (await t.models.Account.findOne({ where: { code: ACCOUNT_CODES.ownersEquity } }))!.id;
    for (let round = 0; round < 15; round++) {
      const entry = await createManualEntry(t.models, {
        memo: 'race',
        lines: [
          { accountId: bank, debit: 123 },
          { accountId: equity, credit: 123 },
        ],
        userId: t.userId,
      });
      const results = await Promise.allSettled(connections.map((c) => reverseJournalEntry(c, entry.id, { userId: t.userId })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results)
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'Conflict', details: { reason: 'alreadyReversed' } });
      expect(await t.models.JournalEntry.count({ where: { sourceType: 'reversal', sourceId: entry.id } })).toBe(1);
    }
  });

  it('a credit note racing payments: paid + credited never exceeds the total, refunds cover the excess, books reconcile', async () => {
    const customer = await t.models.Customer.create({ name: 'Credit Race' });
    const product = await t.product({ unitPrice: 1_000, taxRateId: null, costPrice: 300 }, 40);
    for (let round = 0; round < 4; round++) {
      const invoice = await createInvoice(t.models, {
        locationId: t.locationId,
        customerId: customer.id,
        lines: [{ productId: product.id, quantity: units(4) }],
        userId: t.userId,
      });
      const line = invoice.lines![0]!;
      const results = await Promise.allSettled([
        recordPayment(connections[1]!, invoice.id, { amount: 2_500, method: 'card', userId: t.userId }),
        createCreditNote(connections[2]!, invoice.id, {
          lines: [{ invoiceLineId: line.id, quantity: units(2) }],
          refundMethod: 'cash',
          userId: t.userId,
        }),
        recordPayment(connections[3]!, invoice.id, { amount: 1_500, method: 'cash', userId: t.userId }),
      ]);
      expect(results[1]!.status).toBe('fulfilled');
      const row = (await t.models.Invoice.findByPk(invoice.id))!;
      expect(row.amountPaid + row.amountCredited).toBeLessThanOrEqual(row.total);
      const note = (await t.models.CreditNote.findOne({ where: { invoiceId: invoice.id } }))!;
      // What the credit could not apply to the open balance was refunded in money.
      expect(Number(note.applied) + Number(note.refunded)).toBe(2_000);
      expect(row.amountCredited).toBe(Number(note.applied));
      expect(await bookViolations(t.models)).toEqual([]);
    }
  });
});
