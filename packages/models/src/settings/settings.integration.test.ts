import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_CODES } from '../accounting/chart-of-accounts';
import { createExpense } from '../accounting/expenses';
import { trialBalance } from '../accounting/reports';
import type { TenantModels } from '../model-types';
import { createInvoice, issueInvoice, voidInvoice } from '../sales/invoicing';
import { listPayments, recordPayment } from '../sales/payments';
import { openTestTenant, type TestTenant } from '../sales/test-tenant';
import { testDialects } from '../testing';
import { dateInTimeZone, startOfDayInTimeZone } from './time-zone';
import { closePeriod, getSettings, updateSettings } from './settings';
import { units } from '../sales/quantity';

const dialects = await testDialects();

describe('time zone helpers', () => {
  it('give the local day and the instant it starts, across DST changes', () => {
    const instant = new Date('2026-03-10T22:30:00Z');
    expect(dateInTimeZone('UTC', instant)).toBe('2026-03-10');
    expect(dateInTimeZone('Pacific/Auckland', instant)).toBe('2026-03-11');
    expect(dateInTimeZone('America/Los_Angeles', new Date('2026-03-11T05:00:00Z'))).toBe('2026-03-10');
    expect(startOfDayInTimeZone('Africa/Lagos', '2026-03-11').toISOString()).toBe('2026-03-10T23:00:00.000Z');
    expect(startOfDayInTimeZone('Pacific/Auckland', '2026-07-01').toISOString()).toBe('2026-06-30T12:00:00.000Z');
    // Europe/London springs forward at 01:00 on 2026-03-29; midnight exists, offset still 0.
    expect(startOfDayInTimeZone('Europe/London', '2026-03-29').toISOString()).toBe('2026-03-29T00:00:00.000Z');
    expect(startOfDayInTimeZone('Europe/London', '2026-03-30').toISOString()).toBe('2026-03-29T23:00:00.000Z');
    // America/Santiago: the clocks go from 24:00 to 01:00 on 2026-09-06, so that day starts at 01:00 local.
    expect(startOfDayInTimeZone('America/Santiago', '2026-09-06').toISOString()).toBe('2026-09-06T04:00:00.000Z');
  });
});

describe.each(dialects)('tenant settings on %s', (dialect) => {
  let t: TestTenant;
  let models: TenantModels;

  beforeAll(async () => {
    t = await openTestTenant(dialect);
    models = t.models;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('start with defaults and validate every field', async () => {
    expect(await getSettings(models)).toMatchObject({
      currency: 'USD',
      currencyMinorUnits: 2,
      timeZone: 'UTC',
      locale: 'en-US',
      invoicePrefix: 'INV-',
      closedThrough: null,
    });
    await expect(
      updateSettings(models, {
        currency: 'EURO',
        timeZone: 'Mars/Olympus',
        locale: 'not a locale!',
        fiscalYearStartMonth: 13,
        invoicePrefix: 'INV1',
        quotePrefix: 'DRAFT-',
      }),
    ).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: ['currency', 'locale', 'timeZone', 'fiscalYearStartMonth', 'invoicePrefix', 'quotePrefix'].map((path) => ({
        path,
        message: expect.any(String),
      })),
    });
    const s = await updateSettings(models, {
      companyName: ' Kiwi Hardware ',
      currency: 'JPY',
      locale: 'en-nz',
      timeZone: 'Pacific/Auckland',
      fiscalYearStartMonth: 4,
    });
    expect(s).toMatchObject({
      companyName: 'Kiwi Hardware',
      currency: 'JPY',
      currencyMinorUnits: 0,
      locale: 'en-NZ',
      timeZone: 'Pacific/Auckland',
      fiscalYearStartMonth: 4,
    });
  });

  it("date today's postings in the tenant's time zone and number invoices with its prefix", async () => {
    const product = await t.product({ unitPrice: 500, taxRateId: null }, 10);
    const invoice = await createInvoice(models, {
      locationId: t.locationId,
      lines: [{ productId: product.id, quantity: units(1) }],
      userId: t.userId,
    });
    expect(invoice.issueDate).toBe(dateInTimeZone('Pacific/Auckland'));
    expect(invoice.number).toBe('INV-000001');
    const expense = await createExpense(models, {
      accountId: (await models.Account.findOne({ where: { code: ACCOUNT_CODES.operatingExpenses } }))!.id,
      amount: 100,
      userId: t.userId,
    });
    expect(expense.expenseDate).toBe(dateInTimeZone('Pacific/Auckland'));

    await updateSettings(models, { invoicePrefix: 'INV-26-' });
    const next = await createInvoice(models, {
      locationId: t.locationId,
      lines: [{ productId: product.id, quantity: units(1) }],
      userId: t.userId,
    });
    expect(next.number).toBe('INV-26-000001');
    const draft = await createInvoice(models, {
      locationId: t.locationId,
      lines: [{ productId: product.id, quantity: units(1) }],
      draft: true,
      userId: t.userId,
    });
    expect((await issueInvoice(models, draft.id, { userId: t.userId })).number).toBe('INV-26-000002');
    await updateSettings(models, { invoicePrefix: 'INV-' });
    expect(
      (await createInvoice(models, { locationId: t.locationId, lines: [{ productId: product.id, quantity: units(1) }], userId: t.userId }))
        .number,
    ).toBe('INV-000002');
  });

  it('refuses a currency change once anything is posted', async () => {
    await expect(updateSettings(models, { currency: 'NZD' })).rejects.toMatchObject({
      code: 'Conflict',
      details: { reason: 'booksNotEmpty' },
    });
    expect((await getSettings(models)).currency).toBe('JPY');
    expect((await updateSettings(models, { currency: 'JPY', companyName: 'Same currency is fine' })).companyName).toBe(
      'Same currency is fine',
    );
  });

  it('filters payments by the tenant-local day they were received', async () => {
    const product = await t.product({ unitPrice: 700, taxRateId: null }, 5);
    const invoice = await createInvoice(models, {
      locationId: t.locationId,
      issueDate: '2026-01-14',
      lines: [{ productId: product.id, quantity: units(1) }],
      userId: t.userId,
    });
    // 2026-01-14 20:00 UTC is 2026-01-15 09:00 in Auckland (UTC+13 in summer).
    const { payment } = await recordPayment(models, invoice.id, {
      amount: 300,
      method: 'card',
      receivedAt: new Date('2026-01-14T20:00:00Z'),
      userId: t.userId,
    });
    expect((await listPayments(models, { from: '2026-01-15', to: '2026-01-15' })).items.map((p) => p.id)).toEqual([payment.id]);
    expect((await listPayments(models, { from: '2026-01-14', to: '2026-01-14' })).items).toEqual([]);
    const entry = await models.JournalEntry.findOne({ where: { sourceType: 'payment', sourceId: payment.id } });
    expect(entry!.entryDate).toBe('2026-01-15');
  });

  it('closes a period: no posting path can date into it, and it cannot be reopened', async () => {
    const product = await t.product({ unitPrice: 1000, taxRateId: null }, 10);
    const open = await createInvoice(models, {
      locationId: t.locationId,
      issueDate: '2026-02-10',
      lines: [{ productId: product.id, quantity: units(1) }],
      userId: t.userId,
    });
    const before = await trialBalance(models);

    await expect(closePeriod(models, { through: '2099-01-01' })).rejects.toMatchObject({ code: 'ValidationFailed' });
    expect((await closePeriod(models, { through: '2026-02-28' })).closedThrough).toBe('2026-02-28');
    const closed = { code: 'Conflict', details: { reason: 'periodClosed', closedThrough: '2026-02-28' } };
    const opex = (await models.Account.findOne({ where: { code: ACCOUNT_CODES.operatingExpenses } }))!.id;
    await expect(
      createInvoice(models, {
        locationId: t.locationId,
        issueDate: '2026-02-28',
        lines: [{ productId: product.id, quantity: units(1) }],
        userId: t.userId,
      }),
    ).rejects.toMatchObject(closed);
    await expect(createExpense(models, { expenseDate: '2026-01-31', accountId: opex, amount: 5, userId: t.userId })).rejects.toMatchObject(
      closed,
    );
    await expect(
      recordPayment(models, open.id, { amount: 100, method: 'cash', receivedAt: new Date('2026-02-20T00:00:00Z'), userId: t.userId }),
    ).rejects.toMatchObject(closed);
    await expect(voidInvoice(models, open.id, { userId: t.userId, date: '2026-02-27' })).rejects.toMatchObject(closed);
    // Nothing half-written: the failed sale took no stock, the void left the invoice issued.
    expect(await trialBalance(models)).toEqual(before);
    expect((await models.Invoice.findByPk(open.id))!.status).toBe('issued');
    expect((await models.StockLevel.findOne({ where: { productId: product.id } }))!.quantity).toBe(units(9));

    // After the period, everything posts as before.
    expect((await voidInvoice(models, open.id, { userId: t.userId, date: '2026-03-01' })).status).toBe('void');
    await expect(closePeriod(models, { through: '2026-01-31' })).rejects.toMatchObject({
      code: 'Conflict',
      details: { reason: 'periodClosed' },
    });
    expect((await closePeriod(models, { through: '2026-03-01' })).closedThrough).toBe('2026-03-01');
  });
});
