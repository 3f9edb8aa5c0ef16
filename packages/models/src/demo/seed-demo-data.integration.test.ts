import { afterEach, describe, expect, it } from 'vitest';
import { profitAndLoss, salesByDay, salesByLocation, trialBalance } from '../accounting/reports';
import type { TenantModels } from '../model-types';
import { openTestTenant, type TestTenant } from '../sales/test-tenant';
import { testDialects } from '../testing';
import { dateInTimeZone } from '../settings/time-zone';
import { getSettings } from '../settings/settings';
import { DEMO_BATCH_PRODUCT, DEMO_CUSTOMERS, DEMO_PRODUCTS, DEMO_QUOTE_NOTES, seedDemoData } from './seed-demo-data';
import { expiringStock } from '../sales/batches';
import { units } from '../sales/quantity';
import { bookViolations } from '../testing/books';

const dialects = await testDialects();

async function counts(models: TenantModels) {
  const names = [
    'Location',
    'Product',
    'StockLevel',
    'StockMovement',
    'Customer',
    'Invoice',
    'InvoiceLine',
    'Payment',
    'JournalEntry',
    'JournalLine',
    'Expense',
  ] as const;
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await (models[n] as { count(): Promise<number> }).count()])));
}

describe.each(dialects)('demo data on %s', (dialect) => {
  let t: TestTenant | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  it('creates products with stock, customers, posted invoices (some paid) and an expense, in the single location; a second run adds nothing', async () => {
    t = await openTestTenant(dialect);
    const { models } = t;
    const first = await seedDemoData(models, { today: '2026-06-15' });
    expect(first.created).toEqual({
      locations: 0,
      products: DEMO_PRODUCTS.length,
      stockLevels: DEMO_PRODUCTS.length,
      customers: DEMO_CUSTOMERS.length,
      invoices: 7,
      expenses: 1,
      suppliers: 2,
      purchaseOrders: 1,
      creditNotes: 1,
      quotes: 2,
      batches: 2,
    });
    expect(await models.Location.count()).toBe(1);
    const after = await counts(models);

    const invoices = await models.Invoice.findAll({ order: [['number', 'ASC']], raw: true });
    expect(invoices.map((i) => i.number)).toEqual([
      'INV-000001',
      'INV-000002',
      'INV-000003',
      'INV-000004',
      'INV-000005',
      'INV-000006',
      'INV-000007',
      'INV-000008',
    ]);
    expect(invoices.map((i) => i.status)).toEqual(['paid', 'issued', 'paid', 'paid', 'issued', 'paid', 'issued', 'issued']);
    expect(invoices[4]!.amountPaid).toBe(1000);
    expect(invoices.map((i) => i.issueDate)).toEqual([
      '2026-06-09',
      '2026-06-10',
      '2026-06-11',
      '2026-06-12',
      '2026-06-13',
      '2026-06-14',
      '2026-06-15',
      '2026-06-14',
    ]);
    // The demo quotes: the accepted one became the last invoice (sold on its quoted terms), the other is open.
    const quotes = await models.Quote.findAll({ order: [['number', 'ASC']], raw: true });
    expect(quotes.map((q) => [q.status, q.notes])).toEqual([
      ['converted', DEMO_QUOTE_NOTES.converted],
      ['open', DEMO_QUOTE_NOTES.open],
    ]);
    expect(quotes[0]!.invoiceId).toBe(invoices[7]!.id);
    expect(invoices[7]).toMatchObject({ quoteId: quotes[0]!.id, total: quotes[0]!.total, notes: DEMO_QUOTE_NOTES.converted });
    const coffee = await models.Product.findOne({ where: { sku: 'COFFEE-250' } });
    const level = await models.StockLevel.findOne({ where: { productId: coffee!.id } });
    expect(level!.quantity).toBe(units(40 - 2 - 1 - 1 + 1 - 2)); // one coffee came back (the demo credit note), two went on the quote's invoice

    const tb = await trialBalance(models);
    expect(tb.balanced).toBe(true);
    expect(tb.totals.debit).toBeGreaterThan(0);
    expect((await profitAndLoss(models)).totals.netProfit).not.toBe(0);
    expect(await salesByDay(models, { from: '2026-06-09', to: '2026-06-15' })).toHaveLength(7);
    expect(await models.Quote.count()).toBe(2);

    const second = await seedDemoData(models, { today: '2026-06-20' });
    expect(second.created).toEqual({
      locations: 0,
      products: 0,
      stockLevels: 0,
      customers: 0,
      invoices: 0,
      expenses: 0,
      suppliers: 0,
      purchaseOrders: 0,
      creditNotes: 0,
      quotes: 0,
      batches: 0,
    });
    expect(await bookViolations(models)).toEqual([]);
    // The batch-tracked product: two batches, the first within the month of the demo's today.
    const soon = await expiringStock(models, { days: 30, today: '2026-06-15' });
    expect(soon.batches.map((b) => [b.sku, b.batchNumber, b.expiryDate, b.quantity])).toEqual([
      [DEMO_BATCH_PRODUCT.sku, 'OM-0412', '2026-06-27', units(12)],
    ]);
    const bill = await models.SupplierBill.findOne({ raw: true });
    // 20 % VAT on 12 × 3.40 + 12 × 1.25 = 55.80: 11.16.
    expect(bill).toMatchObject({ total: 5580 + 1116, tax: 1116, amountPaid: 3000, status: 'open' });
    expect(await counts(models)).toEqual(after);
  });

  it('adds a second location when asked, and sells from both', async () => {
    t = await openTestTenant(dialect);
    const { models } = t;
    const started = performance.now();
    const result = await seedDemoData(models, { locations: true });
    const ms = performance.now() - started;
    if (dialect === 'sqlite') console.info(`[demo data] seeded on SQLite in ${ms.toFixed(1)} ms`);
    expect(result.created).toMatchObject({ locations: 1, stockLevels: DEMO_PRODUCTS.filter((p) => p.stock > 0).length * 2 });
    expect((await models.Location.findAll({ order: [['id', 'ASC']] })).map((l) => l.code)).toEqual(['MAIN', 'NORTH']);
    expect((await salesByLocation(models)).map((r) => r.code)).toEqual(['MAIN', 'NORTH']);
    expect((await seedDemoData(models, { locations: true })).created.locations).toBe(0);
    expect((await trialBalance(models)).balanced).toBe(true);
    expect(await bookViolations(models)).toEqual([]);
  });

  it('trades in another currency when given company settings, applied before anything is posted', async () => {
    t = await openTestTenant(dialect);
    const { models } = t;
    const company = { companyName: 'Café Démo SARL', currency: 'EUR', locale: 'fr-FR', timeZone: 'Europe/Paris' };
    await seedDemoData(models, { company });
    expect(await getSettings(models)).toMatchObject({ ...company, currencyMinorUnits: 2 });
    const newest = await models.Invoice.max('issueDate');
    expect(newest).toBe(dateInTimeZone('Europe/Paris'));
    expect((await trialBalance(models)).balanced).toBe(true);
    // Again with the same settings: nothing new, and the currency stays (it is fixed once posted).
    expect((await seedDemoData(models, { company })).created.invoices).toBe(0);
    await expect(seedDemoData(models, { company: { currency: 'USD' } })).rejects.toMatchObject({
      code: 'Conflict',
      details: { reason: 'booksNotEmpty' },
    });
  });
});
