import { setTimeout as sleep } from 'node:timers/promises';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_CODES } from '../accounting/chart-of-accounts';
import { postJournalEntry } from '../accounting/posting';
import { trialBalance } from '../accounting/reports';
import type { TenantModels } from '../model-types';
import { testDialects } from '../testing';
import { createCustomer } from './catalog';
import {
  createInvoice,
  deleteDraftInvoice,
  getInvoice,
  issueInvoice,
  issueInvoicesInBulk,
  listInvoices,
  tillChange,
  voidInvoice,
  type CreateInvoiceInput,
} from './invoicing';
import { recordPayment } from './payments';
import { stockOnHand } from './stock';
import { openTestTenant, type TestTenant } from './test-tenant';
import { units } from './quantity';

const dialects = await testDialects();

/** Net debit − credit per account code over the whole journal. */
async function balances(models: TenantModels): Promise<Record<string, number>> {
  const tb = await trialBalance(models);
  return Object.fromEntries(tb.accounts.map((a) => [a.code, Number(a.balance)]));
}

async function counts(models: TenantModels) {
  const [invoices, lines, movements, entries, journalLines, payments] = await Promise.all([
    models.Invoice.count(),
    models.InvoiceLine.count(),
    models.StockMovement.count(),
    models.JournalEntry.count(),
    models.JournalLine.count(),
    models.Payment.count(),
  ]);
  return { invoices, lines, movements, entries, journalLines, payments };
}

async function entryLines(models: TenantModels, sourceType: string, sourceId: number) {
  const entry = await models.JournalEntry.findOne({ where: { sourceType, sourceId } });
  if (!entry) return null;
  const lines = await models.JournalLine.findAll({
    where: { journalEntryId: entry.id },
    include: [{ model: models.Account, as: 'account' }],
    order: [['id', 'ASC']],
  });
  return Object.fromEntries(lines.map((l) => [l.account!.code, { debit: l.debit, credit: l.credit }]));
}

/**
 * Resolves once another transaction on this database waits for a row lock (PostgreSQL, MySQL): the
 * second sale has reached the stock row the first one holds. SQLite has no such view (the second
 * writer waits at BEGIN IMMEDIATE), so give it a moment there.
 */
async function untilAnotherWriterWaits(models: TenantModels): Promise<void> {
  const dialect = models.sequelize.getDialect();
  if (dialect === 'sqlite') return void (await sleep(200));
  const sql =
    dialect === 'postgres'
      ? "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
      : // MariaDB does not always flag the wait in innodb_trx; the first sale's connection is idle in
        // the hook, so a stock UPDATE (or the products' FOR UPDATE that precedes it) still running on
        // this database is the second sale, waiting.
        "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = DATABASE() AND (info LIKE 'UPDATE `stock_levels`%' OR info LIKE 'SELECT%FROM `products`%FOR UPDATE%')";
  for (let i = 0; i < 500; i++) {
    const [row] = await models.sequelize.query<{ n: number }>(sql, { type: QueryTypes.SELECT });
    if (Number(row?.n) > 0) return;
    await sleep(20);
  }
  throw new Error('the second sale never waited for the stock row');
}

describe.each(dialects)('invoices on %s', (dialect) => {
  let t: TestTenant;
  let models: TenantModels;

  beforeAll(async () => {
    t = await openTestTenant(dialect);
    models = t.models;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('issues an invoice in one go: number, per-line tax half-up, stock out, movements, balanced journal entry', async () => {
    const widget = await t.product({ unitPrice: 333, costPrice: 200 }, 10); // standard rate 20 %
    const customer = await createCustomer(models, { name: 'Ada' });
    const invoice = await createInvoice(models, {
      locationId: t.locationId,
      customerId: customer.id,
      issueDate: '2026-03-01',
      userId: t.userId,
      lines: [
        { productId: widget.id, quantity: units(3) }, // 999 + 199.8 → 200 tax
        { description: 'Gift wrapping', quantity: units(1), unitPrice: 250, taxRateBp: 825 }, // 20.625 → 21
      ],
    });
    expect(invoice).toMatchObject({
      number: 'INV-000001',
      status: 'issued',
      subtotal: 1249,
      tax: 221,
      total: 1470,
      amountPaid: 0,
      issueDate: '2026-03-01',
    });
    expect(
      invoice.lines!.map((l) => [l.description, l.quantity, l.unitPrice, l.taxRateBp, l.lineSubtotal, l.lineTax, l.lineTotal]),
    ).toEqual([
      [widget.name, units(3), 333, 2000, 999, 200, 1199],
      ['Gift wrapping', units(1), 250, 825, 250, 21, 271],
    ]);
    expect(await stockOnHand(models, widget.id, t.locationId)).toBe(units(7));
    const movements = await models.StockMovement.findAll({ where: { reference: `invoice:${invoice.id}` }, raw: true });
    expect(movements).toMatchObject([{ productId: widget.id, locationId: t.locationId, quantity: units(-3), reason: 'sale' }]);
    expect(await entryLines(models, 'invoice', invoice.id)).toEqual({
      [ACCOUNT_CODES.accountsReceivable]: { debit: 1470, credit: 0 },
      [ACCOUNT_CODES.salesRevenue]: { debit: 0, credit: 1249 },
      [ACCOUNT_CODES.taxPayable]: { debit: 0, credit: 221 },
      [ACCOUNT_CODES.costOfGoodsSold]: { debit: 600, credit: 0 },
      [ACCOUNT_CODES.inventory]: { debit: 0, credit: 600 },
    });

    const second = await createInvoice(models, {
      locationId: t.locationId,
      userId: t.userId,
      lines: [{ productId: widget.id, quantity: units(1) }],
    });
    expect(second.number).toBe('INV-000002');
  });

  it('debits cash for a walk-in sale paid at the till, and the bank for a card, with no receivable', async () => {
    const p = await t.product({ unitPrice: 500, taxRateId: null }, 5);
    const cash = await createInvoice(models, {
      locationId: t.locationId,
      userId: t.userId,
      lines: [{ productId: p.id, quantity: units(2) }],
      payment: { method: 'cash' },
    });
    expect(cash).toMatchObject({ status: 'paid', total: 1000, amountPaid: 1000 });
    expect(cash.payments!.map((x) => [x.amount, x.method])).toEqual([[1000, 'cash']]);
    expect(await entryLines(models, 'invoice', cash.id)).toEqual({
      [ACCOUNT_CODES.cash]: { debit: 1000, credit: 0 },
      [ACCOUNT_CODES.salesRevenue]: { debit: 0, credit: 1000 },
    });
    expect(await entryLines(models, 'payment', cash.payments![0]!.id)).toBeNull();

    const card = await createInvoice(models, {
      locationId: t.locationId,
      userId: t.userId,
      lines: [{ productId: p.id, quantity: units(1) }],
      payment: { method: 'card' },
    });
    expect(await entryLines(models, 'invoice', card.id)).toMatchObject({ [ACCOUNT_CODES.bank]: { debit: 500, credit: 0 } });
  });

  it('goes through receivables when a customer pays at the till, or pays part', async () => {
    const p = await t.product({ unitPrice: 400, taxRateId: null }, 5);
    const customer = await createCustomer(models, { name: 'Grace' });
    const full = await createInvoice(models, {
      locationId: t.locationId,
      customerId: customer.id,
      userId: t.userId,
      lines: [{ productId: p.id, quantity: units(1) }],
      payment: { method: 'cash' },
    });
    expect(full.status).toBe('paid');
    expect(await entryLines(models, 'invoice', full.id)).toMatchObject({ [ACCOUNT_CODES.accountsReceivable]: { debit: 400, credit: 0 } });
    expect(await entryLines(models, 'payment', full.payments![0]!.id)).toEqual({
      [ACCOUNT_CODES.cash]: { debit: 400, credit: 0 },
      [ACCOUNT_CODES.accountsReceivable]: { debit: 0, credit: 400 },
    });
    const part = await createInvoice(models, {
      locationId: t.locationId,
      userId: t.userId,
      lines: [{ productId: p.id, quantity: units(2) }],
      payment: { method: 'transfer', amount: 300 },
    });
    expect(part).toMatchObject({ status: 'issued', total: 800, amountPaid: 300 });
    await expect(
      createInvoice(models, {
        locationId: t.locationId,
        userId: t.userId,
        lines: [{ productId: p.id, quantity: units(1) }],
        payment: { method: 'cash', amount: 401 },
      }),
    ).rejects.toMatchObject({ code: 'ValidationFailed' });
  });

  it('takes a split payment in the sale: one payment per part, each to its money account, change computed, overpaying refused', async () => {
    const p = await t.product({ unitPrice: 1000, taxRateId: null }, 10);
    const walkIn = await createInvoice(models, {
      locationId: t.locationId,
      userId: t.userId,
      lines: [{ productId: p.id, quantity: units(2) }],
      payments: [
        { method: 'card', amount: 1500, reference: 'card 4242' },
        { method: 'cash', amount: 500, tendered: 2000 },
      ],
    });
    expect(walkIn).toMatchObject({ status: 'paid', total: 2000, amountPaid: 2000 });
    expect(walkIn.payments!.map((x) => [x.amount, x.method, x.reference])).toEqual([
      [1500, 'card', 'card 4242'],
      [500, 'cash', null],
    ]);
    // Paid in full without a customer: no receivable, each part debited to its own money account.
    expect(await entryLines(models, 'invoice', walkIn.id)).toMatchObject({
      [ACCOUNT_CODES.bank]: { debit: 1500, credit: 0 },
      [ACCOUNT_CODES.cash]: { debit: 500, credit: 0 },
      [ACCOUNT_CODES.salesRevenue]: { debit: 0, credit: 2000 },
    });
    expect(await entryLines(models, 'payment', walkIn.payments![1]!.id)).toBeNull();
    expect(
      tillChange(2000, {
        payments: [
          { method: 'card', amount: 1500 },
          { method: 'cash', amount: 500, tendered: 2000 },
        ],
      }),
    ).toBe(1500);

    // A customer paying part in two ways: through receivables, one payment entry per part, the rest owed.
    const customer = await createCustomer(models, { name: 'Split' });
    const part = await createInvoice(models, {
      locationId: t.locationId,
      customerId: customer.id,
      userId: t.userId,
      lines: [{ productId: p.id, quantity: units(1) }],
      payments: [
        { method: 'cash', amount: 300 },
        { method: 'transfer', amount: 200 },
      ],
    });
    expect(part).toMatchObject({ status: 'issued', total: 1000, amountPaid: 500 });
    expect(await entryLines(models, 'invoice', part.id)).toMatchObject({ [ACCOUNT_CODES.accountsReceivable]: { debit: 1000, credit: 0 } });
    expect(await entryLines(models, 'payment', part.payments![0]!.id)).toEqual({
      [ACCOUNT_CODES.cash]: { debit: 300, credit: 0 },
      [ACCOUNT_CODES.accountsReceivable]: { debit: 0, credit: 300 },
    });
    expect(await entryLines(models, 'payment', part.payments![1]!.id)).toEqual({
      [ACCOUNT_CODES.bank]: { debit: 200, credit: 0 },
      [ACCOUNT_CODES.accountsReceivable]: { debit: 0, credit: 200 },
    });

    const before = await counts(models);
    const sale = (payments: CreateInvoiceInput['payments'], extra: Partial<CreateInvoiceInput> = {}) =>
      createInvoice(models, {
        locationId: t.locationId,
        userId: t.userId,
        lines: [{ productId: p.id, quantity: units(1) }],
        payments,
        ...extra,
      });
    const refusal = async (promise: Promise<unknown>) => {
      const err = await promise.catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'ValidationFailed' });
      return (err as { details: { path: string }[] }).details.map((d) => d.path);
    };
    // Together more than the total.
    expect(
      await refusal(
        sale([
          { method: 'card', amount: 600 },
          { method: 'cash', amount: 401 },
        ]),
      ),
    ).toEqual(['payments']);
    // Parts without amounts, cash tendered short of its amount, card "tendered".
    expect(await refusal(sale([{ method: 'card' }, { method: 'cash', amount: 400 }]))).toEqual(['payments.0.amount']);
    expect(
      await refusal(
        sale([
          { method: 'card', amount: 600 },
          { method: 'cash', amount: 400, tendered: 399 },
        ]),
      ),
    ).toEqual(['payments.1.tendered']);
    expect(
      await refusal(
        sale([
          { method: 'card', amount: 600, tendered: 700 },
          { method: 'cash', amount: 400 },
        ]),
      ),
    ).toEqual(['payments.0.tendered']);
    expect(await refusal(sale([]))).toEqual(['payments']);
    expect(await refusal(sale([{ method: 'cash', amount: 1000 }], { payment: { method: 'cash' } }))).toEqual(['payments']);
    expect(await refusal(sale([{ method: 'cash', amount: 1000 }], { draft: true }))).toEqual(['payments']);
    expect(await counts(models)).toEqual(before);
    expect(await stockOnHand(models, p.id, t.locationId)).toBe(units(7));
    expect((await trialBalance(models)).balanced).toBe(true);
  });

  it('issues a draft with a split payment', async () => {
    const p = await t.product({ unitPrice: 700, taxRateId: null }, 5);
    const draft = await createInvoice(models, {
      locationId: t.locationId,
      userId: t.userId,
      draft: true,
      lines: [{ productId: p.id, quantity: units(1) }],
    });
    const issued = await issueInvoice(models, draft.id, {
      userId: t.userId,
      payments: [
        { method: 'cash', amount: 200 },
        { method: 'card', amount: 500 },
      ],
    });
    expect(issued).toMatchObject({ status: 'paid', amountPaid: 700 });
    expect(issued.payments!.map((x) => [x.amount, x.method])).toEqual([
      [200, 'cash'],
      [500, 'card'],
    ]);
    expect((await trialBalance(models)).balanced).toBe(true);
  });

  it('refuses to sell more than is in stock (409, nothing written) unless the product allows negative stock', async () => {
    const scarce = await t.product({}, 2);
    const other = await t.product({}, 10);
    const before = await counts(models);
    const err = await createInvoice(models, {
      locationId: t.locationId,
      userId: t.userId,
      lines: [
        { productId: other.id, quantity: units(1) },
        { productId: scarce.id, quantity: units(2) },
        { productId: scarce.id, quantity: units(1) },
      ],
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'InsufficientStock',
      details: { shortages: [{ productId: scarce.id, locationId: t.locationId, requested: 3, available: 2 }] },
    });
    expect(await counts(models)).toEqual(before);
    expect(await stockOnHand(models, other.id, t.locationId)).toBe(units(10));

    const unlimited = await t.product({ allowNegativeStock: true }, 0);
    const sold = await createInvoice(models, {
      locationId: t.locationId,
      userId: t.userId,
      lines: [{ productId: unlimited.id, quantity: units(4) }],
    });
    expect(sold.status).toBe('issued');
    expect(await stockOnHand(models, unlimited.id, t.locationId)).toBe(units(-4));
  });

  it('validates lines, references and dates with field details', async () => {
    const inactive = await t.product({ isActive: false }, 5);
    await expect(createInvoice(models, { locationId: t.locationId, userId: t.userId, lines: [] })).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: [{ path: 'lines', message: expect.any(String) }],
    });
    await expect(
      createInvoice(models, {
        locationId: t.locationId,
        userId: t.userId,
        issueDate: '2026-02-30',
        lines: [{ description: 'x', quantity: 1500.5 }],
      }),
    ).rejects.toMatchObject({
      details: expect.arrayContaining([
        { path: 'issueDate', message: expect.any(String) },
        { path: 'lines.0.quantity', message: expect.any(String) },
        { path: 'lines.0.unitPrice', message: expect.any(String) },
      ]),
    });
    await expect(
      createInvoice(models, {
        locationId: 999_999,
        customerId: 999_999,
        userId: t.userId,
        lines: [{ productId: inactive.id, quantity: units(1) }],
      }),
    ).rejects.toMatchObject({
      details: [
        { path: 'locationId', message: expect.any(String) },
        { path: 'customerId', message: expect.any(String) },
      ],
    });
    await expect(
      createInvoice(models, { locationId: t.locationId, userId: t.userId, lines: [{ productId: inactive.id, quantity: units(1) }] }),
    ).rejects.toMatchObject({
      details: [{ path: 'lines.0.productId', message: expect.stringContaining('inactive') }],
    });
  });

  it('keeps drafts out of stock and books until issued; issues once; deletes only drafts', async () => {
    const p = await t.product({ unitPrice: 100, taxRateId: null }, 3);
    const draft = await createInvoice(models, {
      locationId: t.locationId,
      userId: t.userId,
      draft: true,
      lines: [{ productId: p.id, quantity: units(2) }],
    });
    expect(draft.status).toBe('draft');
    expect(draft.number).toMatch(/^DRAFT-/);
    expect(await stockOnHand(models, p.id, t.locationId)).toBe(units(3));
    expect(await models.JournalEntry.count({ where: { sourceType: 'invoice', sourceId: draft.id } })).toBe(0);
    await expect(recordPayment(models, draft.id, { amount: 100, method: 'cash', userId: t.userId })).rejects.toMatchObject({
      code: 'Conflict',
    });
    await expect(voidInvoice(models, draft.id, { userId: t.userId })).rejects.toMatchObject({ code: 'Conflict' });

    const issued = await issueInvoice(models, draft.id, { userId: t.userId, payment: { method: 'card' } });
    expect(issued).toMatchObject({ status: 'paid', amountPaid: 200 });
    expect(issued.number).toMatch(/^INV-\d{6}$/);
    expect(await stockOnHand(models, p.id, t.locationId)).toBe(units(1));
    await expect(issueInvoice(models, draft.id, { userId: t.userId })).rejects.toMatchObject({ code: 'Conflict' });
    await expect(deleteDraftInvoice(models, draft.id)).rejects.toMatchObject({ code: 'Conflict' });

    const other = await createInvoice(models, {
      locationId: t.locationId,
      userId: t.userId,
      draft: true,
      lines: [{ description: 'Service', quantity: units(1), unitPrice: 5 }],
    });
    await deleteDraftInvoice(models, other.id);
    await expect(getInvoice(models, other.id)).rejects.toMatchObject({ code: 'NotFound' });
    await expect(issueInvoice(models, 999_999, { userId: t.userId })).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('voids with one reversing entry that undoes the sale and its payments, returns the stock, and refuses a second void', async () => {
    const p = await t.product({ unitPrice: 1000, costPrice: 400 }, 5);
    const customer = await createCustomer(models, { name: 'Linus' });
    const before = await balances(models);
    const invoice = await createInvoice(models, {
      locationId: t.locationId,
      customerId: customer.id,
      userId: t.userId,
      lines: [{ productId: p.id, quantity: units(2) }],
    });
    await recordPayment(models, invoice.id, { amount: 1000, method: 'cash', userId: t.userId });
    const voided = await voidInvoice(models, invoice.id, { userId: t.userId, reason: 'customer returned the goods', date: '2026-03-05' });
    expect(voided.status).toBe('void');
    expect(await stockOnHand(models, p.id, t.locationId)).toBe(units(5));
    expect(await models.StockMovement.count({ where: { reference: `invoice:${invoice.id}`, reason: 'void', quantity: units(2) } })).toBe(1);
    const reversal = await models.JournalEntry.findOne({ where: { sourceType: 'void', sourceId: invoice.id } });
    expect(reversal).toMatchObject({ entryDate: '2026-03-05', memo: expect.stringContaining('customer returned the goods') });
    expect(await entryLines(models, 'void', invoice.id)).toEqual({
      [ACCOUNT_CODES.cash]: { debit: 0, credit: 1000 },
      [ACCOUNT_CODES.accountsReceivable]: { debit: 0, credit: 1400 },
      [ACCOUNT_CODES.inventory]: { debit: 800, credit: 0 },
      [ACCOUNT_CODES.taxPayable]: { debit: 400, credit: 0 },
      [ACCOUNT_CODES.salesRevenue]: { debit: 2000, credit: 0 },
      [ACCOUNT_CODES.costOfGoodsSold]: { debit: 0, credit: 800 },
    });
    const after = await balances(models);
    for (const code of Object.values(ACCOUNT_CODES)) expect(after[code] ?? 0, code).toBe(before[code] ?? 0);
    await expect(voidInvoice(models, invoice.id, { userId: t.userId })).rejects.toMatchObject({
      code: 'Conflict',
      details: { status: 'void' },
    });
    await expect(recordPayment(models, invoice.id, { amount: 1, method: 'cash', userId: t.userId })).rejects.toMatchObject({
      code: 'Conflict',
    });
    await expect(voidInvoice(models, 999_999, { userId: t.userId })).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('takes payments up to what is owed, marks the invoice paid, and never lets concurrent payments overpay', async () => {
    const p = await t.product({ unitPrice: 1000, taxRateId: null }, 5);
    const invoice = await createInvoice(models, {
      locationId: t.locationId,
      userId: t.userId,
      lines: [{ productId: p.id, quantity: units(1) }],
    });
    const first = await recordPayment(models, invoice.id, { amount: 400, method: 'card', reference: 'auth 123', userId: t.userId });
    expect(first.invoice).toMatchObject({ status: 'issued', amountPaid: 400 });
    await expect(recordPayment(models, invoice.id, { amount: 601, method: 'cash', userId: t.userId })).rejects.toMatchObject({
      code: 'Conflict',
      details: { outstanding: 600 },
    });
    await expect(recordPayment(models, invoice.id, { amount: 0, method: 'cash', userId: t.userId })).rejects.toMatchObject({
      code: 'ValidationFailed',
    });
    await expect(recordPayment(models, invoice.id, { amount: 10, method: 'cheque' as never, userId: t.userId })).rejects.toMatchObject({
      code: 'ValidationFailed',
    });
    const results = await Promise.allSettled([
      recordPayment(models, invoice.id, { amount: 600, method: 'cash', userId: t.userId }),
      recordPayment(models, invoice.id, { amount: 600, method: 'cash', userId: t.userId }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const reloaded = await getInvoice(models, invoice.id);
    expect(reloaded).toMatchObject({ status: 'paid', amountPaid: 1000 });
    expect(reloaded.payments!.map((x) => x.amount)).toEqual([400, 600]);
    await expect(recordPayment(models, invoice.id, { amount: 1, method: 'cash', userId: t.userId })).rejects.toMatchObject({
      code: 'Conflict',
      details: { status: 'paid' },
    });
    await expect(recordPayment(models, 999_999, { amount: 1, method: 'cash', userId: t.userId })).rejects.toMatchObject({
      code: 'NotFound',
    });
  });

  it('lists invoices by date range, status, location and customer', async () => {
    const p = await t.product({ unitPrice: 10, taxRateId: null }, 50);
    const second = await models.Location.create({ code: 'LIST2', name: 'Second' });
    await models.sequelize.transaction((tr) =>
      import('./stock').then((s) => s.putStock(models, { productId: p.id, locationId: second.id, quantity: units(5) }, tr)),
    );
    const c = await createCustomer(models, { name: 'Filter Customer' });
    const a = await createInvoice(models, {
      locationId: t.locationId,
      customerId: c.id,
      issueDate: '2025-01-10',
      userId: t.userId,
      lines: [{ productId: p.id, quantity: units(1) }],
    });
    const b = await createInvoice(models, {
      locationId: second.id,
      issueDate: '2025-01-11',
      userId: t.userId,
      lines: [{ productId: p.id, quantity: units(1) }],
    });
    const d = await createInvoice(models, {
      locationId: t.locationId,
      issueDate: '2025-01-12',
      userId: t.userId,
      lines: [{ productId: p.id, quantity: units(1) }],
      payment: { method: 'cash' },
    });
    const ids = async (filter: Parameters<typeof listInvoices>[1]) => (await listInvoices(models, filter)).items.map((i) => i.id);
    expect(await ids({ from: '2025-01-10', to: '2025-01-12' })).toEqual([d.id, b.id, a.id]);
    expect(await ids({ from: '2025-01-11', to: '2025-01-11' })).toEqual([b.id]);
    expect(await ids({ from: '2025-01-10', to: '2025-01-12', status: 'paid' })).toEqual([d.id]);
    expect(await ids({ locationId: second.id })).toEqual([b.id]);
    expect(await ids({ customerId: c.id })).toEqual([a.id]);
    const page = await listInvoices(models, { from: '2025-01-10', to: '2025-01-12', limit: 2, offset: 1 });
    expect(page).toMatchObject({ total: 3, limit: 2, offset: 1 });
    expect(page.items.map((i) => i.id)).toEqual([b.id, a.id]);
    await expect(listInvoices(models, { from: '2025-13-01' })).rejects.toMatchObject({ code: 'ValidationFailed' });
  });

  describe('bulk issuing', () => {
    it('posts exactly what one-by-one issuing posts: numbers, totals, lines, stock, payments and journal lines', async () => {
      const a = await t.product({ unitPrice: 333, costPrice: 111 }, 20);
      const b = await t.product({ unitPrice: 1250, costPrice: null, taxRateId: null }, 20);
      const customer = await createCustomer(models, { name: 'Bulk' });
      const inputs = (): CreateInvoiceInput[] => [
        {
          locationId: t.locationId,
          userId: t.userId,
          issueDate: '2026-07-01',
          lines: [{ productId: a.id, quantity: units(3) }],
          payment: { method: 'cash' },
        },
        {
          locationId: t.locationId,
          userId: t.userId,
          customerId: customer.id,
          issueDate: '2026-07-02',
          lines: [
            { productId: a.id, quantity: units(1) },
            { productId: b.id, quantity: units(2) },
          ],
        },
        {
          locationId: t.locationId,
          userId: t.userId,
          customerId: customer.id,
          lines: [{ productId: b.id, quantity: units(1) }],
          payment: { method: 'card', amount: 500 },
          notes: 'part',
        },
        {
          locationId: t.locationId,
          userId: t.userId,
          lines: [{ description: 'Fee', quantity: units(2), unitPrice: 125, taxRateBp: 825 }],
          payment: { method: 'transfer' },
        },
        {
          locationId: t.locationId,
          userId: t.userId,
          lines: [{ description: 'Service', quantity: units(1), unitPrice: 1000, taxRateBp: 0 }],
          payments: [
            { method: 'card', amount: 600 },
            { method: 'cash', amount: 400, tendered: 500 },
          ],
        },
        {
          locationId: t.locationId,
          userId: t.userId,
          customerId: customer.id,
          lines: [{ description: 'Service', quantity: units(1), unitPrice: 1000, taxRateBp: 0 }],
          payments: [
            { method: 'cash', amount: 100 },
            { method: 'card', amount: 200 },
          ],
        },
      ];
      const single = [];
      for (const input of inputs()) single.push(await createInvoice(models, input));
      const ids = await models.sequelize.transaction((transaction) => issueInvoicesInBulk(models, inputs(), transaction));
      const bulk = await Promise.all(ids.map((id) => getInvoice(models, id)));

      const numberOf = (n: string) => Number(n.slice(4));
      expect(bulk.map((i) => numberOf(i.number))).toEqual(single.map((i) => numberOf(i.number) + single.length));
      const shape = (i: Awaited<ReturnType<typeof getInvoice>>) => ({
        status: i.status,
        customerId: i.customerId,
        issueDate: i.issueDate,
        totals: [i.subtotal, i.tax, i.total, i.amountPaid],
        notes: i.notes,
        lines: i.lines!.map((l) => [
          l.productId,
          l.description,
          l.quantity,
          l.unitPrice,
          l.taxRateBp,
          l.lineSubtotal,
          l.lineTax,
          l.lineTotal,
        ]),
        payments: i.payments!.map((p) => [p.amount, p.method]),
      });
      expect(bulk.map(shape)).toEqual(single.map(shape));
      const postings = async (i: Awaited<ReturnType<typeof getInvoice>>) => ({
        sale: await entryLines(models, 'invoice', i.id),
        payments: await Promise.all(i.payments!.map((p) => entryLines(models, 'payment', p.id))),
        movements: (await models.StockMovement.findAll({ where: { reference: `invoice:${i.id}` }, order: [['id', 'ASC']], raw: true })).map(
          (m) => [m.productId, m.quantity, m.reason],
        ),
      });
      for (const [k, inv] of bulk.entries()) expect(await postings(inv)).toEqual(await postings(single[k]!));
      expect(await stockOnHand(models, a.id, t.locationId)).toBe(units(20 - 2 * 4));
      expect(await stockOnHand(models, b.id, t.locationId)).toBe(units(20 - 2 * 3));
      expect((await trialBalance(models)).balanced).toBe(true);
    });

    it('refuses the whole batch on a shortage or a bad line, naming the invoice', async () => {
      const p = await t.product({}, 2);
      const before = await counts(models);
      const run = (inputs: CreateInvoiceInput[]) =>
        models.sequelize.transaction((transaction) => issueInvoicesInBulk(models, inputs, transaction));
      await expect(
        run([
          { locationId: t.locationId, userId: t.userId, lines: [{ productId: p.id, quantity: units(1) }] },
          { locationId: t.locationId, userId: t.userId, lines: [{ productId: p.id, quantity: units(2) }] },
        ]),
      ).rejects.toMatchObject({ code: 'InsufficientStock', details: { shortages: [{ productId: p.id, requested: 3, available: 2 }] } });
      await expect(
        run([
          { locationId: t.locationId, userId: t.userId, lines: [{ productId: p.id, quantity: units(1) }] },
          { locationId: t.locationId, userId: t.userId, lines: [{ productId: 999_999, quantity: units(1) }] },
        ]),
      ).rejects.toMatchObject({ code: 'ValidationFailed', details: [{ path: '1.lines.0.productId', message: expect.any(String) }] });
      expect(await counts(models)).toEqual(before);
      expect(await stockOnHand(models, p.id, t.locationId)).toBe(units(2));
    });
  });

  describe('atomic posting', () => {
    it('leaves no invoice, line, stock movement, payment or journal line when posting fails after the stock and invoice rows are written', async () => {
      const p = await t.product({ unitPrice: 700, costPrice: 300 }, 4);
      const before = await counts(models);
      let reached = false;
      await expect(
        createInvoice(
          models,
          { locationId: t.locationId, userId: t.userId, lines: [{ productId: p.id, quantity: units(3) }], payment: { method: 'cash' } },
          {
            hooks: {
              beforeJournal: async ({ invoiceId, transaction }) => {
                // The rows exist inside the transaction at this point…
                expect(await models.Invoice.count({ where: { id: invoiceId }, transaction })).toBe(1);
                expect(await models.StockMovement.count({ where: { reference: `invoice:${invoiceId}` }, transaction })).toBe(1);
                expect(await stockOnHand(models, p.id, t.locationId, transaction)).toBe(units(1));
                reached = true;
                throw new Error('injected failure before the journal');
              },
            },
          },
        ),
      ).rejects.toThrow('injected failure before the journal');
      expect(reached).toBe(true);
      // …and none of them after the failure.
      expect(await counts(models)).toEqual(before);
      expect(await stockOnHand(models, p.id, t.locationId)).toBe(units(4));
    });

    it('rolls everything back when the journal entry itself is invalid (unbalanced), and never stores it', async () => {
      const p = await t.product({ unitPrice: 700 }, 4);
      const draft = await createInvoice(models, {
        locationId: t.locationId,
        userId: t.userId,
        draft: true,
        lines: [{ productId: p.id, quantity: units(1) }],
      });
      const before = await counts(models);
      await expect(
        issueInvoice(
          models,
          draft.id,
          { userId: t.userId },
          {
            hooks: {
              beforeJournal: async ({ transaction }) => {
                const cash = await models.Account.findOne({ where: { code: ACCOUNT_CODES.cash }, transaction });
                const revenue = await models.Account.findOne({ where: { code: ACCOUNT_CODES.salesRevenue }, transaction });
                await postJournalEntry(
                  models,
                  {
                    entryDate: '2026-01-01',
                    lines: [
                      { accountId: cash!.id, debit: 100 },
                      { accountId: revenue!.id, credit: 99 },
                    ],
                  },
                  transaction,
                );
              },
            },
          },
        ),
      ).rejects.toMatchObject({ code: 'ValidationFailed', message: expect.stringContaining('does not balance') });
      expect(await counts(models)).toEqual(before);
      expect(await getInvoice(models, draft.id)).toMatchObject({ status: 'draft', number: draft.number });
      expect(await stockOnHand(models, p.id, t.locationId)).toBe(units(4));
    });
  });

  describe('concurrency', () => {
    it('never sells the last unit twice: two concurrent sales, one wins, the other gets InsufficientStock', async () => {
      for (let round = 0; round < 3; round++) {
        const last = await t.product({}, 1);
        const sell = () =>
          createInvoice(models, { locationId: t.locationId, userId: t.userId, lines: [{ productId: last.id, quantity: units(1) }] });
        const results = await Promise.allSettled([sell(), sell()]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        expect(failure.reason).toMatchObject({ code: 'InsufficientStock' });
        expect(await stockOnHand(models, last.id, t.locationId)).toBe(units(0));
        expect(await models.StockMovement.count({ where: { productId: last.id, reason: 'sale' } })).toBe(1);
      }
    });

    it('refuses the second sale when it starts while the first holds the last unit uncommitted (separate connection)', async () => {
      const last = await t.product({}, 1);
      const other = t.connectAgain();
      await other.Product.count(); // connected, models defined: the second sale starts at once
      let second: Promise<unknown> | undefined;
      const first = createInvoice(
        models,
        { locationId: t.locationId, userId: t.userId, lines: [{ productId: last.id, quantity: units(1) }] },
        {
          hooks: {
            beforeJournal: async () => {
              // The first sale has taken the unit but not committed: start the second one now, on
              // another connection, and give it time to reach the stock row before committing.
              second = createInvoice(other, {
                locationId: t.locationId,
                userId: t.userId,
                lines: [{ productId: last.id, quantity: units(1) }],
              }).catch((e: unknown) => e);
              await untilAnotherWriterWaits(models);
            },
          },
        },
      );
      await expect(first).resolves.toMatchObject({ status: 'issued' });
      expect(await second).toMatchObject({ code: 'InsufficientStock' });
      expect(await stockOnHand(models, last.id, t.locationId)).toBe(units(0));
    });

    it('sells exactly the stock there is among many concurrent sales, with unique gapless numbers', async () => {
      const p = await t.product({ unitPrice: 10 }, 3);
      const issued = { status: ['issued', 'paid', 'void'] };
      const before = await models.Invoice.count({ where: issued });
      const others = [t.connectAgain(), t.connectAgain()];
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          createInvoice(i % 3 === 0 ? models : others[(i % 3) - 1]!, {
            locationId: t.locationId,
            userId: t.userId,
            lines: [{ productId: p.id, quantity: units(1) }],
          }),
        ),
      );
      const sold = results.filter((r) => r.status === 'fulfilled');
      expect(sold).toHaveLength(3);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'InsufficientStock' });
      expect(await stockOnHand(models, p.id, t.locationId)).toBe(units(0));
      const numbers = (await models.Invoice.findAll({ where: issued, attributes: ['number'], raw: true })).map((i) => i.number);
      expect(new Set(numbers).size).toBe(numbers.length);
      expect(numbers).toHaveLength(before + 3);
      const sequence = numbers.map((n) => Number(n.slice(4))).sort((a, b) => a - b);
      expect(sequence).toEqual(Array.from({ length: sequence.length }, (_, i) => i + 1));
    });
  });
});
