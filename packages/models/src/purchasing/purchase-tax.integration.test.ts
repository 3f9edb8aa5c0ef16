import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_CODES } from '../accounting/chart-of-accounts';
import { taxReport } from '../accounting/statements';
import { createTaxRate, updateTaxRate } from '../accounting/tax-rates';
import type { TenantModels } from '../model-types';
import { createInvoice } from '../sales/invoicing';
import { units } from '../sales/quantity';
import { openTestTenant, type TestTenant } from '../sales/test-tenant';
import { bookViolations, testDialects } from '../testing';
import { createSupplierBill, voidSupplierBill } from './bills';
import { createPurchaseOrder, receivePurchaseOrder } from './purchases';
import { billAmounts, purchaseAmounts } from './purchase-tax';
import { createSupplier } from './suppliers';

describe('purchase tax arithmetic', () => {
  it('adds an exclusive rate to the cost and takes an inclusive one out of it, half-up', () => {
    expect(purchaseAmounts(units(10), 1000, { taxRateBp: 2000, taxInclusive: false })).toEqual({ net: 10_000, tax: 2000, gross: 12_000 });
    expect(purchaseAmounts(units(3), 1100, { taxRateBp: 1000, taxInclusive: true })).toEqual({ net: 3000, tax: 300, gross: 3300 });
    expect(purchaseAmounts(1, 1, { taxRateBp: 2000, taxInclusive: false })).toEqual({ net: 0, tax: 0, gross: 0 });
    expect(billAmounts(999, { taxRateBp: 2000, taxInclusive: true })).toEqual({ net: 832, tax: 167, gross: 999 });
    expect(billAmounts(999, { taxRateBp: 0, taxInclusive: false })).toEqual({ net: 999, tax: 0, gross: 999 });
  });
});

const dialects = await testDialects();

describe.each(dialects)('tax on purchases on %s', (dialect) => {
  let t: TestTenant;
  let models: TenantModels;

  beforeAll(async () => {
    t = await openTestTenant(dialect);
    models = t.models;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const balance = async (code: string) => {
    const account = (await models.Account.findOne({ where: { code } }))!;
    const lines = await models.JournalLine.findAll({ where: { accountId: account.id }, raw: true });
    return lines.reduce((s, l) => s + Number(l.debit) - Number(l.credit), 0);
  };
  const accountId = async (code: string) => (await models.Account.findOne({ where: { code } }))!.id;

  it('receipts post Inventory at net cost, input tax and Accounts payable at gross, at the rate the order recorded', async () => {
    const standard = (await models.TaxRate.findOne({ where: { code: 'STANDARD' } }))!; // 20 %, exclusive
    const reduced = await createTaxRate(models, { code: 'RED-INC', name: 'Reduced, inclusive', rateBp: 1000, isInclusive: true });
    const supplier = await createSupplier(models, { name: 'Taxed Goods Ltd' });
    const beans = await t.product({ unitPrice: 2000 });
    const milk = await t.product({ unitPrice: 2000 });
    const order = await createPurchaseOrder(models, {
      supplierId: supplier.id,
      locationId: t.locationId,
      orderDate: '2026-12-01',
      lines: [
        { productId: beans.id, quantity: units(10), unitCost: 1000, taxRateId: standard.id },
        { productId: milk.id, quantity: units(3), unitCost: 1100, taxRateId: reduced.id },
      ],
      userId: t.userId,
    });
    expect(order).toMatchObject({ total: 12_000 + 3300, tax: 2000 + 300 });
    expect(order.lines!.map((l) => [l.taxRateBp, Boolean(l.taxInclusive), Number(l.lineTotal), Number(l.lineTax)])).toEqual([
      [2000, false, 12_000, 2000],
      [1000, true, 3300, 300],
    ]);

    const [beanLine] = order.lines!;
    const first = await receivePurchaseOrder(models, order.id, {
      lines: [{ lineId: beanLine!.id, quantity: units(5) }],
      date: '2026-12-02',
      userId: t.userId,
    });
    expect(first.bill).toMatchObject({ total: 6000, tax: 1000 });
    expect(await models.Product.findByPk(beans.id, { raw: true })).toMatchObject({ inventoryValue: 5000, costPrice: 1000 });
    expect(await balance(ACCOUNT_CODES.inputTax)).toBe(1000);
    expect(await balance(ACCOUNT_CODES.accountsPayable)).toBe(-6000);
    expect(await bookViolations(models)).toEqual([]);

    // The rate changes after ordering: the order keeps the one it recorded.
    await updateTaxRate(models, standard.id, { rateBp: 2500 });
    const rest = await receivePurchaseOrder(models, order.id, { date: '2026-12-04', userId: t.userId });
    expect(rest.bill).toMatchObject({ total: 6000 + 3300, tax: 1000 + 300 });
    expect(await models.Product.findByPk(milk.id, { raw: true })).toMatchObject({ inventoryValue: 3000, costPrice: 1000 });
    expect(await balance(ACCOUNT_CODES.inputTax)).toBe(2300);
    expect(await balance(ACCOUNT_CODES.inventory)).toBe(13_000);
    expect(await bookViolations(models)).toEqual([]);
    await updateTaxRate(models, standard.id, { rateBp: 2000 });
    const taxes = await models.SupplierBillTax.findAll({
      where: { supplierBillId: rest.bill.id },
      order: [['taxRateBp', 'ASC']],
      raw: true,
    });
    expect(taxes.map((r) => [r.taxRateBp, Number(r.taxable), Number(r.tax)])).toEqual([
      [1000, 3000, 300],
      [2000, 5000, 1000],
    ]);

    // Sell some beans (output tax 20 % of 2 × 20.00 = 8.00) and read the tax report of the period.
    await createInvoice(models, {
      locationId: t.locationId,
      userId: t.userId,
      issueDate: '2026-12-05',
      lines: [{ productId: beans.id, quantity: units(2) }],
    });
    const report = await taxReport(models, { from: '2026-12-01', to: '2026-12-31' });
    expect(report.rates).toEqual([{ rateBp: 2000, taxable: 4000, tax: 800 }]);
    expect(report.inputRates).toEqual([
      { rateBp: 1000, taxable: 3000, tax: 300 },
      { rateBp: 2000, taxable: 10_000, tax: 2000 },
    ]);
    expect(report.inputTotals).toEqual({ taxable: 13_000, tax: 2300 });
    expect(report.netPayable).toBe(800 - 2300);
    expect((await taxReport(models, { from: '2026-12-03', to: '2026-12-04' })).inputTotals).toEqual({ taxable: 8000, tax: 1300 });
    expect(await bookViolations(models)).toEqual([]);
  });

  it('a service bill with a rate posts its account net and input tax; a void reverses both and leaves the report', async () => {
    const supplier = await createSupplier(models, { name: 'Cleaners Ltd' });
    const inclusive = (await models.TaxRate.findOne({ where: { code: 'RED-INC' } }))!;
    const before = await balance(ACCOUNT_CODES.inputTax);
    const expenses = await balance(ACCOUNT_CODES.operatingExpenses);
    const bill = await createSupplierBill(models, {
      supplierId: supplier.id,
      accountId: await accountId(ACCOUNT_CODES.operatingExpenses),
      amount: 1100,
      taxRateId: inclusive.id,
      billDate: '2027-01-10',
      userId: t.userId,
    });
    expect(bill).toMatchObject({ total: 1100, tax: 100 });
    expect(await balance(ACCOUNT_CODES.inputTax)).toBe(before + 100);
    expect(await balance(ACCOUNT_CODES.operatingExpenses)).toBe(expenses + 1000);
    expect((await taxReport(models, { from: '2027-01-01', to: '2027-01-31' })).inputRates).toEqual([
      { rateBp: 1000, taxable: 1000, tax: 100 },
    ]);
    expect(await bookViolations(models)).toEqual([]);

    await voidSupplierBill(models, bill.id, { date: '2027-01-11', userId: t.userId });
    expect(await balance(ACCOUNT_CODES.inputTax)).toBe(before);
    expect(await balance(ACCOUNT_CODES.operatingExpenses)).toBe(expenses);
    expect((await taxReport(models, { from: '2027-01-01', to: '2027-01-31' })).inputRates).toEqual([]);
    expect(await bookViolations(models)).toEqual([]);
  });

  it('refuses an unknown or inactive rate, billing the input tax account directly, and totals past the limit', async () => {
    const supplier = await createSupplier(models, { name: 'Strict Supplies' });
    const product = await t.product({ unitPrice: 100 });
    const retired = await createTaxRate(models, { code: 'OLD', name: 'Retired', rateBp: 500, isActive: false });
    await expect(
      createPurchaseOrder(models, {
        supplierId: supplier.id,
        locationId: t.locationId,
        lines: [
          { productId: product.id, quantity: units(1), unitCost: 100, taxRateId: 999_999 },
          { productId: product.id, quantity: units(1), unitCost: 100, taxRateId: retired.id },
        ],
        userId: t.userId,
      }),
    ).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: [
        { path: 'lines.0.taxRateId', message: 'no tax rate 999999' },
        { path: 'lines.1.taxRateId', message: 'tax rate OLD is inactive' },
      ],
    });
    await expect(
      createSupplierBill(models, {
        supplierId: supplier.id,
        accountId: await accountId(ACCOUNT_CODES.inputTax),
        amount: 100,
        userId: t.userId,
      }),
    ).rejects.toMatchObject({ code: 'ValidationFailed', details: [{ path: 'accountId' }] });
    const standard = (await models.TaxRate.findOne({ where: { code: 'STANDARD' } }))!;
    await expect(
      createSupplierBill(models, {
        supplierId: supplier.id,
        accountId: await accountId(ACCOUNT_CODES.operatingExpenses),
        amount: 10_000_000_000_000,
        taxRateId: standard.id,
        userId: t.userId,
      }),
    ).rejects.toMatchObject({ code: 'ValidationFailed', details: [{ path: 'amount' }] });
    expect(await bookViolations(models)).toEqual([]);
  });
});
