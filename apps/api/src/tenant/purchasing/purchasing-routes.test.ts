import { DEFAULT_GROUPS } from '@salesfleet/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Json, jsonApi, type TestApp, twoTenantsWithCashier } from '../../testing';

let t: TestApp;
let host: string;
let otherHost: string;
let admin: string;
let cashier: string;
let other: string;
const { call, get, post } = jsonApi(() => ({ t, host, token: admin }));

beforeAll(async () => {
  t = await createTestApp();
  ({ host, otherHost, admin, cashier, other } = await twoTenantsWithCashier(t, { multiLocation: true }));
});

afterAll(async () => {
  await t.cleanup();
});

const purchasingPaths = () =>
  t.docs.operations().filter((op) => /^\/api\/(suppliers|purchase-orders|supplier-bills|stock\/transfers)/.test(op.path));

describe('every purchasing route', () => {
  it('is documented and answers 401 without a session', async () => {
    const ops = purchasingPaths();
    expect(ops.length).toBeGreaterThanOrEqual(14);
    for (const op of ops) {
      const res = await call(op.method.toUpperCase(), op.path.replace(/^\/api/, '').replace(/:id/g, '1'), {
        token: null,
        json: op.body ? {} : undefined,
      });
      expect(res.status, `${op.method} ${op.path}`).toBe(401);
    }
    const doc = (await call('GET', '/openapi.json', { token: null })).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/purchase-orders/{id}/receipts',
        '/api/supplier-bills/{id}/payments',
        '/api/supplier-bills/{id}/void',
        '/api/stock/transfers',
      ]),
    );
  });

  it('answers 403 to a cashier for every one of them: a cashier does not buy, receive, pay suppliers or move stock', async () => {
    const allowed = new Set(DEFAULT_GROUPS.find((g) => g.name === 'Cashiers')!.permissions as readonly string[]);
    for (const op of purchasingPaths()) {
      expect(allowed.has(op.permission!), op.permission).toBe(false);
      const res = await call(op.method.toUpperCase(), op.path.replace(/^\/api/, '').replace(/:id/g, '1'), {
        token: cashier,
        json: op.body ? {} : undefined,
      });
      expect(res.status, `${op.method} ${op.path}`).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'PermissionDenied', details: { permission: op.permission } });
    }
  });
});

describe('buying stock', () => {
  it('orders, receives in parts (decimal quantities), bills and pays, with the books balanced and Inventory at cost', async () => {
    const main = (await get('/locations')).body.locations[0].id;
    const supplier = await post('/suppliers', { name: 'Flour Mill', email: 'orders@mill.example.com' });
    expect(supplier.status).toBe(201);
    expect((await post('/suppliers', { name: '', email: 'nope' })).status).toBe(400);
    const flour = (await post('/products', { sku: 'FLOUR', name: 'Flour', unitPrice: 250 })).body.product;

    const order = await post('/purchase-orders', {
      supplierId: supplier.body.supplier.id,
      locationId: main,
      lines: [{ productId: flour.id, quantity: 40, unitCost: 120 }],
    });
    expect(order.status).toBe(201);
    expect(order.body.purchaseOrder).toMatchObject({ number: 'PO-000001', status: 'ordered', total: 4800 });
    const lineId = order.body.purchaseOrder.lines[0].id;

    const bad = await post(`/purchase-orders/${order.body.purchaseOrder.id}/receipts`, { lines: [{ lineId, quantity: '1.2345' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: 'lines.0.quantity' })]);

    const part = await post(`/purchase-orders/${order.body.purchaseOrder.id}/receipts`, {
      lines: [{ lineId, quantity: '15' }],
      supplierReference: 'M-1',
    });
    expect(part.status).toBe(201);
    expect(part.body.purchaseOrder).toMatchObject({ status: 'partial', lines: [{ quantity: 40, quantityReceived: 15 }] });
    expect(part.body.bill).toMatchObject({ number: 'BILL-000001', total: 1800, amountDue: 1800, status: 'open' });
    const product = (await get(`/products/${flour.id}`)).body.product;
    expect(product).toMatchObject({ onHand: 15, inventoryValue: 1800, costPrice: 120 });

    const over = await post(`/purchase-orders/${order.body.purchaseOrder.id}/receipts`, { lines: [{ lineId, quantity: 26 }] });
    expect(over.status).toBe(400);

    const pay = await post(`/supplier-bills/${part.body.bill.id}/payments`, { amount: 1000 });
    expect(pay.status).toBe(201);
    expect(pay.body.bill).toMatchObject({ amountPaid: 1000, amountDue: 800, status: 'open' });
    const overpay = await post(`/supplier-bills/${part.body.bill.id}/payments`, { amount: 801 });
    expect(overpay.status).toBe(409);
    expect(overpay.body.error.details).toMatchObject({ owed: 800 });

    // Another tenant sees none of it.
    expect((await call('GET', `/supplier-bills/${part.body.bill.id}`, { token: other, on: otherHost })).status).toBe(404);

    const tb = (await get('/reports/trial-balance')).body.report;
    const balance = (code: string) => tb.accounts.find((a: Json) => a.code === code)?.balance ?? 0;
    expect(tb.totals.debit).toBe(tb.totals.credit);
    expect(balance('1200')).toBe(1800); // Inventory = 15 × 1.20
    expect(balance('2000')).toBe(-800); // Accounts payable = what is still owed

    // Payables ageing: the same 800 owed to the mill, in the newest bucket; another tenant owes nothing.
    const ageing = await get('/reports/payables-ageing');
    expect(ageing.status).toBe(200);
    expect(ageing.body.report.suppliers).toEqual([
      { supplierId: supplier.body.supplier.id, name: 'Flour Mill', bills: 1, '0-30': 800, '31-60': 0, '61-90': 0, '90+': 0, total: 800 },
    ]);
    expect(ageing.body.report.totals.total).toBe(-balance('2000'));
    expect((await get('/reports/payables-ageing?asOf=31-12-2026')).status).toBe(400);
    const theirs = await call('GET', '/reports/payables-ageing', { token: other, on: otherHost });
    expect(theirs.body.report.totals.total).toBe(0);
  });

  it('charges VAT on a purchase: Inventory at net cost, input tax, Accounts payable at gross; the tax report nets it', async () => {
    const main = (await get('/locations')).body.locations[0].id;
    const supplier = (await post('/suppliers', { name: 'VAT Registered Ltd' })).body.supplier;
    const standard = ((await get('/tax-rates')).body.taxRates as Json[]).find((r) => r.code === 'STANDARD')!;
    const sugar = (await post('/products', { sku: 'SUGAR', name: 'Sugar', unitPrice: 500 })).body.product;
    const tb = async () => {
      const report = (await get('/reports/trial-balance')).body.report;
      return (code: string) => report.accounts.find((a: Json) => a.code === code)?.balance ?? 0;
    };
    const before = await tb();
    const order = await post('/purchase-orders', {
      supplierId: supplier.id,
      locationId: main,
      orderDate: '2026-09-01',
      lines: [{ productId: sugar.id, quantity: 10, unitCost: 300, taxRateId: standard.id }],
    });
    expect(order.status).toBe(201);
    expect(order.body.purchaseOrder).toMatchObject({
      total: 3600,
      tax: 600,
      lines: [{ unitCost: 300, taxRateBp: 2000, taxInclusive: false, lineTotal: 3600, lineTax: 600 }],
    });
    const received = await post(`/purchase-orders/${order.body.purchaseOrder.id}/receipts`, { date: '2026-09-02' });
    expect(received.status).toBe(201);
    expect(received.body.bill).toMatchObject({ total: 3600, tax: 600, amountDue: 3600 });
    expect((await get(`/products/${sugar.id}`)).body.product).toMatchObject({ inventoryValue: 3000, costPrice: 300 });
    const after = await tb();
    expect(after('1200') - before('1200')).toBe(3000);
    expect(after('1300') - before('1300')).toBe(600);
    expect(after('2000') - before('2000')).toBe(-3600);

    const bad = await post('/purchase-orders', {
      supplierId: supplier.id,
      locationId: main,
      lines: [{ productId: sugar.id, quantity: 1, unitCost: 300, taxRateId: 999_999 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: 'lines.0.taxRateId' })]);
    expect((await post('/supplier-bills', { supplierId: supplier.id, accountId: 1, amount: 100, taxRateId: 'x' })).status).toBe(400);

    const report = (await get('/reports/tax?from=2026-09-01&to=2026-09-30')).body.report;
    expect(report).toMatchObject({
      rates: [],
      inputRates: [{ rateBp: 2000, taxable: 3000, tax: 600 }],
      inputTotals: { taxable: 3000, tax: 600 },
      netPayable: -600,
    });
  });

  it('voids a service bill entered by mistake (its posting reversed); refuses a paid one and a goods receipt', async () => {
    const supplier = (await post('/suppliers', { name: 'Window Cleaner' })).body.supplier;
    const accountId = ((await get('/accounts')).body.accounts as Json[]).find((a) => a.code === '6000')!.id;
    const payable = async () =>
      ((await get('/reports/trial-balance')).body.report.accounts as Json[]).find((a) => a.code === '2000')?.balance ?? 0;
    const before = await payable();
    const bill = (await post('/supplier-bills', { supplierId: supplier.id, accountId, amount: 4_500 })).body.bill;
    expect(await payable()).toBe(before - 4_500);
    expect((await post(`/supplier-bills/${bill.id}/void`, { reason: 'x'.repeat(201) })).status).toBe(400);
    const voided = await post(`/supplier-bills/${bill.id}/void`, { reason: 'entered twice' });
    expect(voided.status).toBe(200);
    expect(voided.body.bill).toMatchObject({ status: 'void', amountDue: 0 });
    expect(await payable()).toBe(before);
    expect((await post(`/supplier-bills/${bill.id}/void`, {})).status).toBe(409);
    expect((await post(`/supplier-bills/${bill.id}/payments`, { amount: 100 })).status).toBe(409);
    expect((await post('/supplier-bills/999999/void', {})).status).toBe(404);
    expect((await call('POST', `/supplier-bills/${bill.id}/void`, { token: other, on: otherHost, json: {} })).status).toBe(404);

    const paid = (await post('/supplier-bills', { supplierId: supplier.id, accountId, amount: 2_000 })).body.bill;
    await post(`/supplier-bills/${paid.id}/payments`, { amount: 500 });
    const refused = await post(`/supplier-bills/${paid.id}/void`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toMatchObject({ reason: 'paid', amountPaid: 500 });
    const goods = ((await get('/supplier-bills')).body.bills as Json[]).find((b) => b.number === 'BILL-000001')!;
    expect((await post(`/supplier-bills/${goods.id}/void`, {})).body.error.details).toMatchObject({ reason: 'goodsReceived' });
  });

  it('transfers stock between locations and refuses more than the source holds', async () => {
    const locations = (await get('/locations')).body.locations as Json[];
    expect(locations.length).toBeGreaterThanOrEqual(1);
    let second = locations[1]?.id;
    if (!second) second = (await post('/locations', { code: 'BACK', name: 'Back room' })).body.location.id;
    const main = locations[0]!.id;
    const soap = (await post('/products', { sku: 'SOAP', name: 'Soap', unitPrice: 300, costPrice: 100 })).body.product;
    await post('/stock/adjustments', { productId: soap.id, locationId: main, quantity: 5, reason: 'receipt' });
    const moved = await post('/stock/transfers', { productId: soap.id, fromLocationId: main, toLocationId: second, quantity: 2 });
    expect(moved.status).toBe(201);
    expect(moved.body).toMatchObject({ from: 3, to: 2 });
    expect(moved.body.movements.map((m: Json) => [m.quantity, m.reason])).toEqual([
      [-2, 'transfer'],
      [2, 'transfer'],
    ]);
    const refused = await post('/stock/transfers', { productId: soap.id, fromLocationId: second, toLocationId: main, quantity: 3 });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'InsufficientStock', details: { shortages: [{ requested: 3, available: 2 }] } });
  });
});
