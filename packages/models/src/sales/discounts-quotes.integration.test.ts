import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_CODES } from '../accounting/chart-of-accounts';
import { trialBalance } from '../accounting/reports';
import { taxReport } from '../accounting/statements';
import { createTaxRate, updateTaxRate } from '../accounting/tax-rates';
import type { TenantModels } from '../model-types';
import { bookViolations, testDialects } from '../testing';
import { createCustomer } from './catalog';
import { createCreditNote } from './credit-notes';
import { createInvoice, getInvoice } from './invoicing';
import { units } from './quantity';
import { convertQuote, createQuote, expireQuote, getQuote, listQuotes, updateQuote } from './quotes';
import { stockOnHand } from './stock';
import { openTestTenant, type TestTenant } from './test-tenant';

const dialects = await testDialects();

describe.each(dialects)('discounts, tax-inclusive prices and quotes on %s', (dialect) => {
  let t: TestTenant;
  let models: TenantModels;
  const balance = async (code: string) => Number((await trialBalance(models)).accounts.find((a) => a.code === code)?.balance ?? 0);

  beforeAll(async () => {
    t = await openTestTenant(dialect);
    models = t.models;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('posts a discounted invoice with inclusive and exclusive lines: invoice, journal and tax report agree', async () => {
    const inclusive = await createTaxRate(models, { code: 'INC20', name: 'VAT 20 % included', rateBp: 2000, isInclusive: true });
    const shelf = await t.product({ unitPrice: 999, costPrice: 500, taxRateId: inclusive.id }, 20); // 9.99 with tax
    const standard = await t.product({ unitPrice: 1_000, costPrice: 400 }, 20); // 10.00 + 20 %
    const revenueBefore = await balance(ACCOUNT_CODES.salesRevenue);
    const taxBefore = await balance(ACCOUNT_CODES.taxPayable);

    const invoice = await createInvoice(models, {
      locationId: t.locationId,
      issueDate: '2026-04-01',
      lines: [
        { productId: shelf.id, quantity: units(3), discountBp: 1_000 }, // 29.97 − 3.00 (10 %, half-up) = 26.97 incl.
        { productId: standard.id, quantity: units(2), discountAmount: 150 }, // 20.00 − 1.50 = 18.50 net
        { description: 'Gift wrap', quantity: units(1), unitPrice: 333, taxRateBp: 2000, taxInclusive: true },
      ],
      discountAmount: 100, // over 26.97 + 18.50 + 3.33 = 48.80
      userId: t.userId,
    });
    const lines = invoice.lines!;
    expect(lines.map((l) => [l.discountAmount, l.invoiceDiscount])).toEqual([
      [300, 55], // 100 × 2697 / 4880 = 55.27
      [150, 38], // 37.91 → the leftover cent (largest remainder)
      [0, 7], // 6.82
    ]);
    // Inclusive lines: tax = charged × 2000 / 12000 half-up; exclusive: tax = net × 20 %.
    expect(lines.map((l) => [l.taxInclusive, l.lineSubtotal, l.lineTax, l.lineTotal])).toEqual([
      [true, 2_202, 440, 2_642], // 2642 / 6 = 440.33
      [false, 1_812, 362, 2_174], // 1812 × 0.2 = 362.4
      [true, 272, 54, 326], // 326 / 6 = 54.33
    ]);
    expect(invoice).toMatchObject({ discountAmount: 100, discountTotal: 550, subtotal: 4_286, tax: 856, total: 5_142 });

    // Revenue is posted net of every discount and of tax, tax payable on the discounted amounts.
    expect((await balance(ACCOUNT_CODES.salesRevenue)) - revenueBefore).toBe(-4_286);
    expect((await balance(ACCOUNT_CODES.taxPayable)) - taxBefore).toBe(-856);
    const report = await taxReport(models, { from: '2026-04-01', to: '2026-04-01' });
    expect(report.totals).toEqual({ taxable: 4_286, tax: 856 });
    expect(await bookViolations(models)).toEqual([]);

    // A credit note of a discounted line credits what was charged for it, to the cent.
    const note = await createCreditNote(models, invoice.id, {
      date: '2026-04-02',
      lines: [{ invoiceLineId: lines[0]!.id, quantity: units(3) }],
      userId: t.userId,
    });
    expect(note).toMatchObject({ subtotal: 2_202, tax: 440, total: 2_642, applied: 2_642 });
    const afterCredit = await taxReport(models, { from: '2026-04-01', to: '2026-04-02' });
    expect(afterCredit.totals).toEqual({ taxable: 4_286 - 2_202, tax: 856 - 440 });
    expect(await bookViolations(models)).toEqual([]);
  });

  it('keeps a draft’s discounts when it is issued, and refuses discounts larger than the line or both kinds at once', async () => {
    const p = await t.product({ unitPrice: 500 }, 5);
    const draft = await createInvoice(models, {
      locationId: t.locationId,
      draft: true,
      discountBp: 500,
      lines: [{ productId: p.id, quantity: units(2), discountAmount: 100 }],
      userId: t.userId,
    });
    expect(draft).toMatchObject({ discountBp: 500, discountAmount: 45, discountTotal: 145, subtotal: 855, tax: 171, total: 1_026 });
    await expect(
      createInvoice(models, {
        locationId: t.locationId,
        lines: [{ productId: p.id, quantity: units(1), discountAmount: 501 }],
        userId: t.userId,
      }),
    ).rejects.toMatchObject({ code: 'ValidationFailed', details: [{ path: 'lines.0.discountAmount' }] });
    await expect(
      createInvoice(models, {
        locationId: t.locationId,
        lines: [{ productId: p.id, quantity: units(1), discountAmount: 5, discountBp: 10 }],
        userId: t.userId,
      }),
    ).rejects.toMatchObject({ code: 'ValidationFailed', details: [{ path: 'lines.0.discountAmount' }] });
    expect(await stockOnHand(models, p.id, t.locationId)).toBe(units(5));
  });

  it('quotes post nothing, can be changed while open, and convert once into an invoice that references them', async () => {
    const customer = await createCustomer(models, { name: 'Quote Co' });
    const p = await t.product({ unitPrice: 2_000, costPrice: 800 }, 10);
    const entriesBefore = await models.JournalEntry.count();
    const quote = await createQuote(models, {
      locationId: t.locationId,
      customerId: customer.id,
      issueDate: '2026-04-10',
      lines: [{ productId: p.id, quantity: units(2), discountBp: 2_500 }],
      userId: t.userId,
    });
    expect(quote).toMatchObject({
      number: 'QT-000001',
      status: 'open',
      validUntil: '2026-05-10',
      subtotal: 3_000,
      tax: 600,
      total: 3_600,
      discountTotal: 1_000,
    });
    expect(await models.JournalEntry.count()).toBe(entriesBefore);
    expect(await stockOnHand(models, p.id, t.locationId)).toBe(units(10));

    const changed = await updateQuote(models, quote.id, {
      validUntil: '2099-12-31',
      discountAmount: 200,
      lines: [{ productId: p.id, quantity: units(3), discountBp: 2_500 }],
    });
    expect(changed).toMatchObject({ subtotal: 4_300, tax: 860, total: 5_160, discountTotal: 1_700 });
    expect(changed.lines).toHaveLength(1);
    await expect(updateQuote(models, quote.id, { validUntil: '2026-04-09' })).rejects.toMatchObject({ code: 'ValidationFailed' });

    // Two conversions at once: one invoice.
    const results = await Promise.allSettled([
      convertQuote(models, quote.id, { userId: t.userId }),
      convertQuote(t.connectAgain(), quote.id, { userId: t.userId }),
    ]);
    const invoices = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(invoices).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'Conflict' } });
    const invoice = invoices[0]!;
    expect(invoice).toMatchObject({
      quoteId: quote.id,
      customerId: customer.id,
      subtotal: 4_300,
      tax: 860,
      total: 5_160,
      status: 'issued',
    });
    expect(await getQuote(models, quote.id)).toMatchObject({ status: 'converted', invoiceId: invoice.id });
    expect(await stockOnHand(models, p.id, t.locationId)).toBe(units(7));
    expect((await getInvoice(models, invoice.id)).lines!.map((l) => [l.discountBp, l.invoiceDiscount, l.lineSubtotal])).toEqual([
      [2_500, 200, 4_300],
    ]);
    await expect(updateQuote(models, quote.id, { notes: 'late' })).rejects.toMatchObject({ code: 'Conflict' });
    expect(await bookViolations(models)).toEqual([]);
  });

  it('converts at the tax rate the quote recorded, not the rate the product has today', async () => {
    const rate = await createTaxRate(models, { code: 'Q10', name: 'Ten', rateBp: 1_000 });
    const p = await t.product({ unitPrice: 1_000, taxRateId: rate.id }, 5);
    const quote = await createQuote(models, {
      locationId: t.locationId,
      validUntil: '2099-12-31',
      lines: [{ productId: p.id, quantity: units(2) }],
      userId: t.userId,
    });
    expect(quote).toMatchObject({ subtotal: 2_000, tax: 200, total: 2_200 });
    await updateTaxRate(models, rate.id, { rateBp: 1_500, isInclusive: true });
    const invoice = await convertQuote(models, quote.id, { userId: t.userId });
    expect(invoice).toMatchObject({ subtotal: 2_000, tax: 200, total: 2_200 });
    expect(invoice.lines!.map((l) => [l.taxRateBp, Boolean(l.taxInclusive)])).toEqual([[1_000, false]]);
    // A new sale takes today's rate (15 %, inclusive: 10.00 holds 1.30 of tax); a caller cannot name a product line's rate.
    const today = await createInvoice(models, {
      locationId: t.locationId,
      lines: [{ productId: p.id, quantity: units(1) }],
      userId: t.userId,
    });
    expect(today).toMatchObject({ subtotal: 870, tax: 130, total: 1_000 });
    await expect(
      createInvoice(models, { locationId: t.locationId, lines: [{ productId: p.id, quantity: units(1), taxRateBp: 0 }], userId: t.userId }),
    ).rejects.toMatchObject({ code: 'ValidationFailed', details: [{ path: 'lines.0.taxRateBp' }] });
    expect(await bookViolations(models)).toEqual([]);
  });

  it('does not convert a quote whose stock is short: not enough stock, the quote still open, nothing posted', async () => {
    const p = await t.product({ unitPrice: 500 }, 1);
    const quote = await createQuote(models, {
      locationId: t.locationId,
      lines: [{ productId: p.id, quantity: units(2) }],
      userId: t.userId,
    });
    const invoicesBefore = await models.Invoice.count();
    const entriesBefore = await models.JournalEntry.count();
    await expect(convertQuote(models, quote.id, { userId: t.userId })).rejects.toMatchObject({ code: 'InsufficientStock' });
    expect(await getQuote(models, quote.id)).toMatchObject({ status: 'open', invoiceId: null });
    expect(await models.Invoice.count()).toBe(invoicesBefore);
    expect(await models.JournalEntry.count()).toBe(entriesBefore);
    expect(await stockOnHand(models, p.id, t.locationId)).toBe(units(1));
    expect(await bookViolations(models)).toEqual([]);
  });

  it('does not convert an expired quote', async () => {
    const p = await t.product({ unitPrice: 100 }, 1);
    const past = await createQuote(models, {
      locationId: t.locationId,
      issueDate: '2020-01-01',
      validUntil: '2020-01-31',
      lines: [{ productId: p.id, quantity: units(1) }],
      userId: t.userId,
    });
    await expect(convertQuote(models, past.id, { userId: t.userId })).rejects.toMatchObject({
      code: 'Conflict',
      details: { status: 'expired' },
    });
    const open = await createQuote(models, {
      locationId: t.locationId,
      lines: [{ productId: p.id, quantity: units(1) }],
      userId: t.userId,
    });
    expect((await expireQuote(models, open.id)).status).toBe('expired');
    await expect(convertQuote(models, open.id, { userId: t.userId })).rejects.toMatchObject({ code: 'Conflict' });
    expect((await listQuotes(models, { status: 'expired' })).items.map((q) => q.id)).toEqual([open.id]);
    expect(await stockOnHand(models, p.id, t.locationId)).toBe(units(1));
  });
});
