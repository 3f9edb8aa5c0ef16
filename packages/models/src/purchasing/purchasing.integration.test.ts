import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addReportAmounts } from '@salesfleet/contracts';
import { ACCOUNT_CODES } from '../accounting/chart-of-accounts';
import type { TenantModels } from '../model-types';
import { createInvoice } from '../sales/invoicing';
import { units } from '../sales/quantity';
import { stockOnHand, transferStock } from '../sales/stock';
import { openTestTenant, type TestTenant } from '../sales/test-tenant';
import { bookViolations, testDialects } from '../testing';
import { payablesAgeing } from '../accounting/statements';
import { createSupplierBill, paySupplierBill, voidSupplierBill } from './bills';
import { cancelPurchaseOrder, createPurchaseOrder, receivePurchaseOrder } from './purchases';
import { createSupplier, deleteSupplier, listSuppliers } from './suppliers';

const dialects = await testDialects();

describe.each(dialects)('purchasing on %s', (dialect) => {
  let t: TestTenant;
  let models: TenantModels;

  beforeAll(async () => {
    t = await openTestTenant(dialect);
    models = t.models;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const product = async (id: number) => (await models.Product.findByPk(id, { raw: true }))!;
  const accountId = async (code: string) => (await models.Account.findOne({ where: { code } }))!.id;

  it('receives an order in parts at cost: stock, average cost, a bill per receipt, Inventory and Accounts payable', async () => {
    const supplier = await createSupplier(models, { name: 'Bean Traders', email: 'sales@beans.example.com' });
    expect((await listSuppliers(models, { q: 'bean' })).items.map((s) => s.name)).toEqual(['Bean Traders']);
    const beans = await t.product({ unitPrice: 1500, costPrice: 600 }, 10); // 10 at 6.00 on hand
    const cups = await t.product({ unitPrice: 300 });
    const order = await createPurchaseOrder(models, {
      supplierId: supplier.id,
      locationId: t.locationId,
      orderDate: '2026-12-01',
      lines: [
        { productId: beans.id, quantity: units(20), unitCost: 750 },
        { productId: cups.id, quantity: units(100), unitCost: 45 },
      ],
      userId: t.userId,
    });
    expect(order).toMatchObject({ number: 'PO-000001', status: 'ordered', total: 15_000 + 4500 });
    expect(await bookViolations(models)).toEqual([]);

    const [beanLine, cupLine] = order.lines!;
    const first = await receivePurchaseOrder(models, order.id, {
      lines: [{ lineId: beanLine!.id, quantity: units(5) }],
      date: '2026-12-03',
      supplierReference: 'INV-778',
      userId: t.userId,
    });
    expect(first.order.status).toBe('partial');
    expect(first.bill).toMatchObject({ number: 'BILL-000001', status: 'open', total: 3750, amountPaid: 0, supplierReference: 'INV-778' });
    // 10 at 6.00 + 5 at 7.50 = 97.50 for 15 → 6.50 average.
    expect(await product(beans.id)).toMatchObject({ inventoryQuantity: units(15), inventoryValue: 9750, costPrice: 650 });
    expect(await stockOnHand(models, beans.id, t.locationId)).toBe(units(15));
    expect(await bookViolations(models)).toEqual([]);

    await expect(
      receivePurchaseOrder(models, order.id, { lines: [{ lineId: beanLine!.id, quantity: units(16) }], userId: t.userId }),
    ).rejects.toMatchObject({ code: 'ValidationFailed', details: [{ path: 'lines.0.quantity', message: 'at most 15 still due' }] });

    const rest = await receivePurchaseOrder(models, order.id, { userId: t.userId, date: '2026-12-05' });
    expect(rest.order.status).toBe('received');
    expect(rest.order.lines!.map((l) => [Number(l.quantityReceived), Number(l.quantity)])).toEqual([
      [units(20), units(20)],
      [units(100), units(100)],
    ]);
    expect(rest.bill.total).toBe(15 * 750 + 4500);
    expect(cupLine).toBeDefined();
    await expect(receivePurchaseOrder(models, order.id, { userId: t.userId })).rejects.toMatchObject({ code: 'Conflict' });
    await expect(cancelPurchaseOrder(models, order.id)).rejects.toMatchObject({ code: 'Conflict' });
    await expect(deleteSupplier(models, supplier.id)).rejects.toMatchObject({ code: 'Conflict' });

    // Selling takes the average cost out; the books still agree.
    const sale = await createInvoice(models, {
      locationId: t.locationId,
      userId: t.userId,
      lines: [{ productId: beans.id, quantity: units(3) }],
    });
    expect(sale.lines![0]!.costAmount).toBe(3 * 700); // (97.50 + 112.50) / 30 = 7.00
    expect(await bookViolations(models)).toEqual([]);

    // Paying the bills: in part, in full, never more than owed.
    const paid = await paySupplierBill(models, first.bill.id, { amount: 1000, date: '2026-12-10', userId: t.userId });
    expect(paid.bill).toMatchObject({ status: 'open', amountPaid: 1000 });
    await expect(paySupplierBill(models, first.bill.id, { amount: 2751, userId: t.userId })).rejects.toMatchObject({
      code: 'Conflict',
      details: { owed: 2750 },
    });
    const settled = await paySupplierBill(models, first.bill.id, {
      amount: 2750,
      paidFromAccountId: await accountId(ACCOUNT_CODES.cash),
      userId: t.userId,
    });
    expect(settled.bill).toMatchObject({ status: 'paid', amountPaid: 3750 });
    expect(settled.bill.payments!.map((p) => Number(p.amount))).toEqual([1000, 2750]);
    expect(await bookViolations(models)).toEqual([]);
  });

  it('posts a bill for a service against its account and Accounts payable', async () => {
    const landlord = await createSupplier(models, { name: 'Landlord Ltd' });
    const rent = await createSupplierBill(models, {
      supplierId: landlord.id,
      accountId: await accountId(ACCOUNT_CODES.operatingExpenses),
      amount: 120_000,
      billDate: '2026-12-01',
      description: 'December rent',
      userId: t.userId,
    });
    expect(rent).toMatchObject({ status: 'open', total: 120_000 });
    await expect(
      createSupplierBill(models, {
        supplierId: landlord.id,
        accountId: await accountId(ACCOUNT_CODES.inventory),
        amount: 5,
        userId: t.userId,
      }),
    ).rejects.toMatchObject({ code: 'ValidationFailed', details: [{ path: 'accountId', message: expect.stringContaining('receiving') }] });
    expect(await bookViolations(models)).toEqual([]);
  });

  it('ages what is owed to suppliers at a day: bills dated by then less payments made by then, per supplier', async () => {
    const grower = await createSupplier(models, { name: 'Aardvark Growers' });
    const expenses = await accountId(ACCOUNT_CODES.operatingExpenses);
    const bill = (amount: number, billDate: string) =>
      createSupplierBill(models, { supplierId: grower.id, accountId: expenses, amount, billDate, userId: t.userId });
    const old = await bill(50_000, '2026-08-01');
    await bill(7_000, '2026-10-20');
    await bill(3_000, '2026-11-25');
    await paySupplierBill(models, old.id, { amount: 20_000, date: '2026-11-30', userId: t.userId });

    const before = await payablesAgeing(models, { asOf: '2026-11-29' });
    const row = before.suppliers.find((s) => s.supplierId === grower.id)!;
    expect(row).toEqual({
      supplierId: grower.id,
      name: 'Aardvark Growers',
      bills: 3,
      '0-30': 3_000,
      '31-60': 7_000,
      '61-90': 0,
      '90+': 50_000,
      total: 60_000,
    });
    expect(before.suppliers[0]!.name).toBe('Aardvark Growers'); // by name
    const after = await payablesAgeing(models, { asOf: '2026-11-30' });
    expect(after.suppliers.find((s) => s.supplierId === grower.id)).toMatchObject({ '90+': 30_000, total: 40_000 });
    expect((await payablesAgeing(models, { asOf: '2026-07-31' })).suppliers.find((s) => s.supplierId === grower.id)).toBeUndefined();

    // Today (nothing is dated later) the total is the Accounts payable balance.
    const { totals } = await payablesAgeing(models, { asOf: '2099-12-31' });
    const ap = await models.JournalLine.findAll({ where: { accountId: await accountId(ACCOUNT_CODES.accountsPayable) }, raw: true });
    expect(totals.total).toBe(ap.reduce((s, l) => s + Number(l.credit) - Number(l.debit), 0));
    expect(totals.total).toBe(addReportAmounts(totals['0-30'], totals['31-60'], totals['61-90'], totals['90+']));
    await expect(payablesAgeing(models, { asOf: '2026-13-01' })).rejects.toMatchObject({ code: 'ValidationFailed' });
  });

  it('voids an unpaid service bill by reversing its posting; refuses paid bills, goods receipts and a second void', async () => {
    const cleaner = await createSupplier(models, { name: 'Sparkle Cleaning' });
    const expenses = await accountId(ACCOUNT_CODES.operatingExpenses);
    const payable = async () =>
      (await models.JournalLine.findAll({ where: { accountId: await accountId(ACCOUNT_CODES.accountsPayable) }, raw: true })).reduce(
        (s, l) => s + Number(l.credit) - Number(l.debit),
        0,
      );
    const before = await payable();
    const wrong = await createSupplierBill(models, {
      supplierId: cleaner.id,
      accountId: expenses,
      amount: 9_900,
      billDate: '2026-12-02',
      userId: t.userId,
    });
    expect(await payable()).toBe(before + 9_900);
    await expect(voidSupplierBill(models, wrong.id, { date: '2026-12-01', userId: t.userId })).rejects.toMatchObject({
      code: 'ValidationFailed',
    });
    const voided = await voidSupplierBill(models, wrong.id, { reason: 'entered twice', date: '2026-12-03', userId: t.userId });
    expect(voided.status).toBe('void');
    expect(await payable()).toBe(before);
    expect(await bookViolations(models)).toEqual([]);
    expect((await payablesAgeing(models, { asOf: '2026-12-31' })).suppliers.find((s) => s.supplierId === cleaner.id)).toBeUndefined();
    await expect(voidSupplierBill(models, wrong.id, { userId: t.userId })).rejects.toMatchObject({
      code: 'Conflict',
      details: { status: 'void' },
    });
    await expect(paySupplierBill(models, wrong.id, { amount: 100, userId: t.userId })).rejects.toMatchObject({
      code: 'Conflict',
      details: { status: 'void' },
    });

    const paid = await createSupplierBill(models, { supplierId: cleaner.id, accountId: expenses, amount: 5_000, userId: t.userId });
    await paySupplierBill(models, paid.id, { amount: 1_000, userId: t.userId });
    await expect(voidSupplierBill(models, paid.id, { userId: t.userId })).rejects.toMatchObject({
      code: 'Conflict',
      details: { reason: 'paid', amountPaid: 1_000 },
    });

    const goods = await t.product({ unitPrice: 700 });
    const order = await createPurchaseOrder(models, {
      supplierId: cleaner.id,
      locationId: t.locationId,
      lines: [{ productId: goods.id, quantity: units(2), unitCost: 300 }],
      userId: t.userId,
    });
    const { bill } = await receivePurchaseOrder(models, order.id, { userId: t.userId });
    await expect(voidSupplierBill(models, bill.id, { userId: t.userId })).rejects.toMatchObject({
      code: 'Conflict',
      details: { reason: 'goodsReceived' },
    });
    expect(await bookViolations(models)).toEqual([]);
  });

  it('never pays a bill twice over when two payments race on separate connections', async () => {
    const supplier = await createSupplier(models, { name: 'Racer' });
    const bill = await createSupplierBill(models, {
      supplierId: supplier.id,
      accountId: await accountId(ACCOUNT_CODES.operatingExpenses),
      amount: 1000,
      userId: t.userId,
    });
    const other = t.connectAgain();
    const results = await Promise.allSettled([
      paySupplierBill(models, bill.id, { amount: 700, userId: t.userId }),
      paySupplierBill(other, bill.id, { amount: 700, userId: t.userId }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'Conflict' });
    expect((await models.SupplierBill.findByPk(bill.id, { raw: true }))!.amountPaid).toBe(700);
    expect(await bookViolations(models)).toEqual([]);
  });

  it('never receives more than was ordered when two receipts race', async () => {
    const supplier = await createSupplier(models, { name: 'Twice' });
    const p = await t.product({ unitPrice: 100 });
    const order = await createPurchaseOrder(models, {
      supplierId: supplier.id,
      locationId: t.locationId,
      lines: [{ productId: p.id, quantity: units(4), unitCost: 50 }],
      userId: t.userId,
    });
    const line = order.lines![0]!.id;
    const other = t.connectAgain();
    const results = await Promise.allSettled([
      receivePurchaseOrder(models, order.id, { lines: [{ lineId: line, quantity: units(3) }], userId: t.userId }),
      receivePurchaseOrder(other, order.id, { lines: [{ lineId: line, quantity: units(3) }], userId: t.userId }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await stockOnHand(models, p.id, t.locationId)).toBe(units(3));
    expect(await bookViolations(models)).toEqual([]);
  });

  it('transfers stock between locations without touching the ledger, and never below zero', async () => {
    const north = await models.Location.create({ code: `N-${dialect}`, name: 'North' });
    const p = await t.product({ unitPrice: 100, costPrice: 40 }, 5);
    const before = await product(p.id);
    const moved = await transferStock(models, {
      productId: p.id,
      fromLocationId: t.locationId,
      toLocationId: north.id,
      quantity: units(2),
      userId: t.userId,
    });
    expect([moved.from, moved.to]).toEqual([units(3), units(2)]);
    expect(moved.movements.map((m) => [m.locationId, m.quantity, m.reason])).toEqual([
      [t.locationId, units(-2), 'transfer'],
      [north.id, units(2), 'transfer'],
    ]);
    expect(await product(p.id)).toMatchObject({ inventoryQuantity: before.inventoryQuantity, inventoryValue: before.inventoryValue });
    await expect(
      transferStock(models, {
        productId: p.id,
        fromLocationId: north.id,
        toLocationId: t.locationId,
        quantity: units(3),
        userId: t.userId,
      }),
    ).rejects.toMatchObject({ code: 'InsufficientStock', details: { shortages: [{ requested: 3, available: 2 }] } });
    await expect(
      transferStock(models, { productId: p.id, fromLocationId: north.id, toLocationId: north.id, quantity: units(1), userId: t.userId }),
    ).rejects.toMatchObject({ code: 'ValidationFailed' });
    expect(await bookViolations(models)).toEqual([]);
  });
});
