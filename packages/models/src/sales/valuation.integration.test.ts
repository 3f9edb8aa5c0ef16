import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_CODES } from '../accounting/chart-of-accounts';
import { trialBalance } from '../accounting/reports';
import type { TenantModels } from '../model-types';
import { bookViolations, testDialects } from '../testing';
import { createProduct, updateProduct } from './catalog';
import { createInvoice, voidInvoice } from './invoicing';
import { parseQuantity, units } from './quantity';
import { adjustStock, stockOnHand } from './stock';
import { openTestTenant, type TestTenant } from './test-tenant';

const dialects = await testDialects();

describe.each(dialects)('inventory at moving-average cost on %s', (dialect) => {
  let t: TestTenant;
  let models: TenantModels;

  beforeAll(async () => {
    t = await openTestTenant(dialect);
    models = t.models;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const inventoryBalance = async () => (await trialBalance(models)).accounts.find((a) => a.code === ACCOUNT_CODES.inventory)?.balance ?? 0;
  const product = async (id: number) => (await models.Product.findByPk(id, { raw: true }))!;
  const cogsOf = async (invoiceId: number) => {
    const lines = await models.InvoiceLine.findAll({ where: { invoiceId }, raw: true });
    return lines.reduce((s, l) => s + Number(l.costAmount ?? 0), 0);
  };

  it('averages receipts at different costs and takes the value removed as the cost of goods, to the cent', async () => {
    const p = await createProduct(models, { sku: 'AVG-1', name: 'Averaged', unitPrice: 1000, taxRateId: null });
    const receive = (quantity: number, unitCost: number) =>
      adjustStock(models, {
        productId: p.id,
        locationId: t.locationId,
        quantity: units(quantity),
        reason: 'receipt',
        unitCost,
        userId: t.userId,
      });
    expect((await receive(3, 100)).value).toBe(300);
    expect((await receive(4, 101)).value).toBe(404);
    expect(await product(p.id)).toMatchObject({ inventoryQuantity: units(7), inventoryValue: 704, costPrice: 101 }); // 100.57 → 101
    expect(await inventoryBalance()).toBe(704);

    // 1 of 7 units: 704 / 7 = 100.57 → 101; then 2 of 6: 603 × 2 / 6 = 201; then all 4 remaining: exactly 402.
    const one = await createInvoice(models, {
      locationId: t.locationId,
      userId: t.userId,
      lines: [{ productId: p.id, quantity: units(1) }],
    });
    expect(await cogsOf(one.id)).toBe(101);
    const two = await createInvoice(models, {
      locationId: t.locationId,
      userId: t.userId,
      lines: [{ productId: p.id, quantity: units(2) }],
    });
    expect(await cogsOf(two.id)).toBe(201);
    const rest = await createInvoice(models, {
      locationId: t.locationId,
      userId: t.userId,
      lines: [{ productId: p.id, quantity: units(4) }],
    });
    expect(await cogsOf(rest.id)).toBe(402);
    expect(101 + 201 + 402).toBe(704); // nothing left behind by rounding
    expect(await product(p.id)).toMatchObject({ inventoryQuantity: 0, inventoryValue: 0 });
    expect(await bookViolations(models)).toEqual([]);

    // A void brings the goods back at the value they left with.
    await voidInvoice(models, two.id, { userId: t.userId });
    expect(await product(p.id)).toMatchObject({ inventoryQuantity: units(2), inventoryValue: 201 });
    expect(await bookViolations(models)).toEqual([]);
  });

  it('sells decimal quantities of a product measured in kilograms, and refuses fractions of a piece', async () => {
    const kg = await models.Unit.findOne({ where: { code: 'kg' } });
    const cheese = await createProduct(models, { sku: 'CHEESE', name: 'Cheese', unitPrice: 1899, taxRateId: null, unitId: kg!.id });
    await adjustStock(models, {
      productId: cheese.id,
      locationId: t.locationId,
      quantity: parseQuantity('2.5')!,
      reason: 'receipt',
      unitCost: 1000,
      userId: t.userId,
    });
    const sale = await createInvoice(models, {
      locationId: t.locationId,
      userId: t.userId,
      lines: [{ productId: cheese.id, quantity: parseQuantity('0.333')! }],
    });
    expect(sale.lines![0]).toMatchObject({ quantity: 333, lineSubtotal: 632 }); // 0.333 × 18.99 = 6.32367
    expect(await cogsOf(sale.id)).toBe(333); // 2500 × 333 / 2500
    expect(await stockOnHand(models, cheese.id, t.locationId)).toBe(2167);
    expect(await bookViolations(models)).toEqual([]);

    const piece = await t.product({ unitPrice: 100 }, 3);
    await expect(
      createInvoice(models, { locationId: t.locationId, userId: t.userId, lines: [{ productId: piece.id, quantity: 1500 }] }),
    ).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: [{ path: 'lines.0.quantity', message: expect.stringContaining('whole units') }],
    });
    await expect(
      adjustStock(models, { productId: piece.id, locationId: t.locationId, quantity: -500, userId: t.userId }),
    ).rejects.toMatchObject({
      code: 'ValidationFailed',
    });
  });

  it('posts adjustments against Inventory adjustments, and values negative stock at the last average cost', async () => {
    const p = await createProduct(models, {
      sku: 'NEG-AVG',
      name: 'Negative',
      unitPrice: 500,
      costPrice: 250,
      taxRateId: null,
      allowNegativeStock: true,
    });
    const sold = await createInvoice(models, {
      locationId: t.locationId,
      userId: t.userId,
      lines: [{ productId: p.id, quantity: units(2) }],
    });
    expect(await cogsOf(sold.id)).toBe(500);
    expect(await product(p.id)).toMatchObject({ inventoryQuantity: units(-2), inventoryValue: -500 });
    // Goods arrive at another cost while two are owed: the value of what is on hand is averaged anew.
    await adjustStock(models, {
      productId: p.id,
      locationId: t.locationId,
      quantity: units(5),
      reason: 'receipt',
      unitCost: 300,
      userId: t.userId,
    });
    expect(await product(p.id)).toMatchObject({ inventoryQuantity: units(3), inventoryValue: 1000, costPrice: 333 });
    await adjustStock(models, { productId: p.id, locationId: t.locationId, quantity: units(-1), note: 'broken', userId: t.userId });
    expect(await product(p.id)).toMatchObject({ inventoryQuantity: units(2), inventoryValue: 667 });
    expect(await bookViolations(models)).toEqual([]);
    await expect(updateProduct(models, p.id, { costPrice: 1 })).rejects.toMatchObject({ code: 'Conflict' });
  });
});
