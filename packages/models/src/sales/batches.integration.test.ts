import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importProductsCsv } from '../csv/import-export';
import type { TenantModels } from '../model-types';
import { createPurchaseOrder, receivePurchaseOrder } from '../purchasing/purchases';
import { createSupplier } from '../purchasing/suppliers';
import { tenantToday } from '../settings/settings';
import { bookViolations, testDialects } from '../testing';
import { expiringStock, listStockBatches } from './batches';
import { updateProduct } from './catalog';
import { createCreditNote } from './credit-notes';
import { createInvoice, voidInvoice } from './invoicing';
import { units } from './quantity';
import { adjustStock, stockOnHand, transferStock } from './stock';
import { openTestTenant, type TestTenant } from './test-tenant';

const dialects = await testDialects();

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe.each(dialects)('batch numbers and expiry dates on %s', (dialect) => {
  let t: TestTenant;
  let models: TenantModels;
  let today: string;
  let backId: number;

  beforeAll(async () => {
    t = await openTestTenant(dialect);
    models = t.models;
    today = await tenantToday(models);
    backId = (await models.Location.create({ code: 'BACK', name: 'Back store' })).id;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  /** Batch number → quantity at a location (batches with stock). */
  const batchesAt = async (productId: number, locationId: number) =>
    Object.fromEntries((await listStockBatches(models, { productId, locationId })).items.map((b) => [b.batchNumber, Number(b.quantity)]));
  const receive = (productId: number, quantity: number, batchNumber: string, expiryDate?: string, unitCost = 100) =>
    adjustStock(models, {
      productId,
      locationId: t.locationId,
      quantity,
      reason: 'receipt',
      unitCost,
      batchNumber,
      ...(expiryDate ? { expiryDate } : {}),
      userId: t.userId,
    });

  it('receives into named batches; a sale takes first-expiry-first-out across batches; expired batches are never sold', async () => {
    const pills = await t.product({ sku: 'AMOX-500', trackBatches: true, unitPrice: 500 });
    await expect(
      adjustStock(models, { productId: pills.id, locationId: t.locationId, quantity: units(5), reason: 'receipt', userId: t.userId }),
    ).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: [{ path: 'batchNumber', message: expect.stringContaining('tracked in batches') }],
    });
    await expect(receive(pills.id, units(5), 'NEW-1')).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: [{ path: 'expiryDate', message: expect.stringContaining('required') }],
    });

    await receive(pills.id, units(10), 'LATE', addDays(today, 200), 120);
    await receive(pills.id, units(4), 'SOON', addDays(today, 10), 100);
    await receive(pills.id, units(3), 'GONE', addDays(today, -1), 90); // already expired
    await receive(pills.id, units(2), 'SOON', undefined, 100); // more of a known batch: its expiry stands
    await expect(receive(pills.id, units(1), 'SOON', addDays(today, 11))).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: [{ path: 'expiryDate', message: expect.stringContaining(addDays(today, 10)) }],
    });
    expect(await batchesAt(pills.id, t.locationId)).toEqual({ SOON: units(6), LATE: units(10), GONE: units(3) });
    expect(await stockOnHand(models, pills.id, t.locationId)).toBe(units(19));
    expect(await bookViolations(models)).toEqual([]);

    // 8 units: the 6 of SOON (soonest unexpired), then 2 of LATE; GONE is expired and skipped.
    const sale = await createInvoice(models, {
      locationId: t.locationId,
      lines: [
        { productId: pills.id, quantity: units(5) },
        { productId: pills.id, quantity: units(3) },
      ],
      payment: { method: 'cash' },
      userId: t.userId,
    });
    expect(await batchesAt(pills.id, t.locationId)).toEqual({ LATE: units(8), GONE: units(3) });
    const movements = await models.StockMovement.findAll({ where: { reference: `invoice:${sale.id}` }, order: [['id', 'ASC']], raw: true });
    const soon = (await models.StockBatch.findOne({ where: { productId: pills.id, batchNumber: 'SOON' } }))!.id;
    const late = (await models.StockBatch.findOne({ where: { productId: pills.id, batchNumber: 'LATE' } }))!.id;
    expect(movements.map((m) => [m.batchId, Number(m.quantity)])).toEqual([
      [soon, -units(5)],
      [soon, -units(1)],
      [late, -units(2)],
    ]);
    expect(await bookViolations(models)).toEqual([]);

    // Only 8 unexpired units remain: 9 is refused, and the error says 3 are expired.
    await expect(
      createInvoice(models, { locationId: t.locationId, lines: [{ productId: pills.id, quantity: units(9) }], userId: t.userId }),
    ).rejects.toMatchObject({
      code: 'InsufficientStock',
      message: expect.stringContaining('3 expired and not for sale'),
      details: { shortages: [{ productId: pills.id, requested: 9, available: 8, expired: 3 }] },
    });
    expect(await batchesAt(pills.id, t.locationId)).toEqual({ LATE: units(8), GONE: units(3) });

    // Voiding the sale puts each unit back into the batch it came from.
    await voidInvoice(models, sale.id, { userId: t.userId });
    expect(await batchesAt(pills.id, t.locationId)).toEqual({ SOON: units(6), LATE: units(10), GONE: units(3) });
    expect(await bookViolations(models)).toEqual([]);

    // Expired stock leaves by an adjustment naming its batch (written off at average cost).
    await expect(
      adjustStock(models, { productId: pills.id, locationId: t.locationId, quantity: -units(4), batchNumber: 'GONE', userId: t.userId }),
    ).rejects.toMatchObject({ code: 'InsufficientStock' });
    await expect(
      adjustStock(models, { productId: pills.id, locationId: t.locationId, quantity: -units(1), userId: t.userId }),
    ).rejects.toMatchObject({ code: 'ValidationFailed', details: [{ path: 'batchNumber' }] });
    const writeOff = await adjustStock(models, {
      productId: pills.id,
      locationId: t.locationId,
      quantity: -units(3),
      batchNumber: 'GONE',
      note: 'expired',
      userId: t.userId,
    });
    expect(writeOff.movement.batchId).not.toBeNull();
    expect(await batchesAt(pills.id, t.locationId)).toEqual({ SOON: units(6), LATE: units(10) });
    expect(await bookViolations(models)).toEqual([]);

    // Batch tracking is chosen while a product has no stock.
    await expect(updateProduct(models, pills.id, { trackBatches: false })).rejects.toMatchObject({ code: 'Conflict' });
  });

  it('returns credited goods to the batch they left; transfers move batches with their expiry', async () => {
    const drops = await t.product({ sku: 'EYE-DROPS', trackBatches: true, unitPrice: 800 });
    await receive(drops.id, units(2), 'A1', addDays(today, 5), 300);
    await receive(drops.id, units(5), 'B1', addDays(today, 50), 300);
    const sale = await createInvoice(models, {
      locationId: t.locationId,
      lines: [{ productId: drops.id, quantity: units(4) }],
      userId: t.userId,
    });
    expect(await batchesAt(drops.id, t.locationId)).toEqual({ B1: units(3) });
    const line = sale.lines![0]!;
    await createCreditNote(models, sale.id, { lines: [{ invoiceLineId: line.id, quantity: units(1) }], userId: t.userId });
    await createCreditNote(models, sale.id, { lines: [{ invoiceLineId: line.id, quantity: units(2) }], userId: t.userId });
    // 2 came from A1 and 2 from B1: three returned fill A1 first, then one back to B1.
    expect(await batchesAt(drops.id, t.locationId)).toEqual({ A1: units(2), B1: units(4) });
    expect(await bookViolations(models)).toEqual([]);

    // Unnamed: FEFO over unexpired batches; named: that batch. Both keep number and expiry at the destination.
    const moved = await transferStock(models, {
      productId: drops.id,
      fromLocationId: t.locationId,
      toLocationId: backId,
      quantity: units(3),
      userId: t.userId,
    });
    expect(moved.movements.map((m) => Number(m.quantity))).toEqual([-units(2), units(2), -units(1), units(1)]);
    await transferStock(models, {
      productId: drops.id,
      fromLocationId: t.locationId,
      toLocationId: backId,
      quantity: units(1),
      batchNumber: 'B1',
      userId: t.userId,
    });
    expect(await batchesAt(drops.id, t.locationId)).toEqual({ B1: units(2) });
    expect(await batchesAt(drops.id, backId)).toEqual({ A1: units(2), B1: units(2) });
    const back = await models.StockBatch.findOne({ where: { productId: drops.id, locationId: backId, batchNumber: 'A1' } });
    expect(back!.expiryDate).toBe(addDays(today, 5));
    await expect(
      transferStock(models, {
        productId: drops.id,
        fromLocationId: t.locationId,
        toLocationId: backId,
        quantity: units(3),
        batchNumber: 'B1',
        userId: t.userId,
      }),
    ).rejects.toMatchObject({ code: 'InsufficientStock' });
    expect(await bookViolations(models)).toEqual([]);

    // Selling at the back store takes its own batches, FEFO.
    await createInvoice(models, { locationId: backId, lines: [{ productId: drops.id, quantity: units(3) }], userId: t.userId });
    expect(await batchesAt(drops.id, backId)).toEqual({ B1: units(1) });
    expect(await bookViolations(models)).toEqual([]);
  });

  it('receives a purchase order line per batch; an order line of a tracked product without a batch is refused', async () => {
    const syrup = await t.product({ sku: 'SYRUP', trackBatches: true, unitPrice: 900 });
    const supplier = await createSupplier(models, { name: 'Pharma Wholesale' });
    const order = await createPurchaseOrder(models, {
      supplierId: supplier.id,
      locationId: t.locationId,
      lines: [{ productId: syrup.id, quantity: units(10), unitCost: 400 }],
      userId: t.userId,
    });
    const lineId = order.lines![0]!.id;
    await expect(receivePurchaseOrder(models, order.id, { userId: t.userId })).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: [{ path: 'lines.0.batchNumber' }],
    });
    const received = await receivePurchaseOrder(models, order.id, {
      lines: [
        { lineId, quantity: units(6), batchNumber: 'S-100', expiryDate: addDays(today, 20) },
        { lineId, quantity: units(4), batchNumber: 'S-200', expiryDate: addDays(today, 400) },
      ],
      userId: t.userId,
    });
    expect(received.order.status).toBe('received');
    expect(received.bill.total).toBe(4000);
    expect(await batchesAt(syrup.id, t.locationId)).toEqual({ 'S-100': units(6), 'S-200': units(4) });
    expect(await bookViolations(models)).toEqual([]);
  });

  it('imports opening stock of a batch-tracked product from CSV into its named batch; a row without one is refused by line', async () => {
    const bad = ['sku,name,unit_price,track_batches,batch_number,expiry_date,stock_MAIN', 'INSULIN,Insulin pen,4500,true,,,5'].join('\n');
    await expect(importProductsCsv(models, bad, t.userId)).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: [{ path: '2.batch_number', message: expect.stringContaining('batch_number and expiry_date') }],
    });
    const good = [
      'sku,name,unit_price,cost_price,track_batches,batch_number,expiry_date,stock_MAIN',
      `INSULIN,Insulin pen,4500,2000,true,INS-77,${addDays(today, 400)},5`,
    ].join('\n');
    expect(await importProductsCsv(models, good, t.userId)).toEqual({ created: 1, updated: 0, openingStock: 1 });
    const insulin = (await models.Product.findOne({ where: { sku: 'INSULIN' } }))!;
    expect(insulin.trackBatches).toBe(true);
    expect(await batchesAt(insulin.id, t.locationId)).toEqual({ 'INS-77': units(5) });
    expect(await importProductsCsv(models, good, t.userId)).toEqual({ created: 0, updated: 1, openingStock: 0 });
    expect(await bookViolations(models)).toEqual([]);
  });

  it('lists what expires soon (expired included, flagged), soonest first, per location', async () => {
    const report = await expiringStock(models, { days: 30 });
    expect(report).toMatchObject({ today, until: addDays(today, 30) });
    const rows = report.batches.map((b) => [
      b.sku,
      b.batchNumber,
      b.locationId === backId ? 'BACK' : 'MAIN',
      b.quantity,
      b.daysLeft,
      b.expired,
    ]);
    expect(rows).toEqual([
      ['AMOX-500', 'SOON', 'MAIN', units(6), 10, false],
      ['SYRUP', 'S-100', 'MAIN', units(6), 20, false],
    ]);
    const everything = await expiringStock(models, { days: 3000 });
    expect(everything.batches.map((b) => b.expiryDate)).toEqual([...everything.batches.map((b) => b.expiryDate)].sort());
    expect((await expiringStock(models, { days: 3000, locationId: backId })).batches.map((b) => b.batchNumber)).toEqual(['B1']);
    await expect(expiringStock(models, { days: -1 })).rejects.toMatchObject({ code: 'ValidationFailed' });
  });
});

/** Real parallel connections (servers only): the last units of a batch are sold once. */
describe.each(dialects.filter((d) => d !== 'sqlite'))('concurrent sales of batch-tracked stock on %s', (dialect) => {
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

  it('two sales racing for the last units of a batch never oversell it (five rounds, four connections)', async () => {
    const today = await tenantToday(t.models);
    for (let round = 0; round < 5; round++) {
      const product = await t.product({ sku: `RACE-${round}`, trackBatches: true, unitPrice: 500 });
      await adjustStock(t.models, {
        productId: product.id,
        locationId: t.locationId,
        quantity: units(3),
        reason: 'receipt',
        unitCost: 200,
        batchNumber: `LAST-${round}`,
        expiryDate: addDays(today, 30),
        userId: t.userId,
      });
      // Four sales of 2 from 3 units: exactly one lands.
      const results = await Promise.allSettled(
        connections.map((c) =>
          createInvoice(c, { locationId: t.locationId, lines: [{ productId: product.id, quantity: units(2) }], userId: t.userId }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'InsufficientStock' });
      const batch = await t.models.StockBatch.findOne({ where: { productId: product.id } });
      expect(Number(batch!.quantity)).toBe(units(1));
      expect(await stockOnHand(t.models, product.id, t.locationId)).toBe(units(1));
    }
    expect(await bookViolations(t.models)).toEqual([]);
  });
});
