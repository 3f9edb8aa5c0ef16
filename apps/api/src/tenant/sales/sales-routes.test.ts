import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GROUPS } from '@salesfleet/models';
import { createTestApp, jsonApi, twoTenantsWithCashier, type Json, type TestApp } from '../../testing';

let t: TestApp;
let host: string;
let otherHost: string;
let admin: string;
let cashier: string;
let other: string;
const { call, get, post, patch, del } = jsonApi(() => ({ t, host, token: admin }));

beforeAll(async () => {
  t = await createTestApp();
  ({ host, otherHost, admin, cashier, other } = await twoTenantsWithCashier(t, { multiLocation: true }));
});

afterAll(async () => {
  await t.cleanup();
});

describe('every sales route', () => {
  const salesPaths = () => t.docs.operations().filter((op) => /^\/api\/(customers|products|stock|invoices|payments)/.test(op.path));

  it('is documented and answers 401 without a session', async () => {
    const ops = salesPaths();
    expect(ops.length).toBeGreaterThanOrEqual(20);
    for (const op of ops) {
      const res = await call(op.method.toUpperCase(), op.path.replace(/^\/api/, '').replace(/:id/g, '1'), {
        token: null,
        json: op.body ? {} : undefined,
      });
      expect(res.status, `${op.method} ${op.path}`).toBe(401);
      expect(res.body.error.code).toBe('Unauthenticated');
    }
  });

  it('answers 403 to a cashier for what cashiers may not do', async () => {
    const allowed = new Set(DEFAULT_GROUPS.find((g) => g.name === 'Cashiers')!.permissions as readonly string[]);
    const denied = salesPaths().filter((op) => op.permission && !allowed.has(op.permission));
    expect(denied.map((op) => op.permission)).toEqual(
      expect.arrayContaining([
        'sales.adjust_stock',
        'sales.void_invoice',
        'sales.delete_invoice',
        'sales.add_product',
        'sales.change_customer',
      ]),
    );
    for (const op of denied) {
      const res = await call(op.method.toUpperCase(), op.path.replace(/^\/api/, '').replace(/:id/g, '1'), {
        token: cashier,
        json: op.body ? {} : undefined,
      });
      expect(res.status, `${op.method} ${op.path}`).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'PermissionDenied', details: { permission: op.permission } });
    }
  });
});

describe('customers', () => {
  let adaId: number;

  it('creates, reads, searches and pages customers', async () => {
    const ada = await post('/customers', { name: 'Ada Lovelace', email: 'ada@example.com' }, cashier);
    expect(ada.status).toBe(201);
    expect(ada.body.customer).toMatchObject({
      id: expect.any(Number),
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: null,
      isActive: true,
    });
    adaId = ada.body.customer.id;
    for (const name of ['Grace Hopper', 'Alan Turing', '50% Off Ltd']) expect((await post('/customers', { name })).status).toBe(201);

    const found = await get('/customers?q=ADA', cashier);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(found.body.customers.map((c: Json) => c.name)).toEqual(['Ada Lovelace']);
    expect((await get('/customers?q=%25')).body.customers.map((c: Json) => c.name)).toEqual(['50% Off Ltd']);
    const page = await get('/customers?limit=2&offset=2');
    expect(page.body).toMatchObject({ total: 4, limit: 2, offset: 2 });
    expect(page.body.customers).toHaveLength(2);
    expect((await get(`/customers/${adaId}`, cashier)).body.customer.name).toBe('Ada Lovelace');
  });

  it('400 with field details, 404 for missing ids (and other tenants’ ids)', async () => {
    const bad = await post('/customers', { name: '', email: 'nope', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('ValidationFailed');
    expect(bad.body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'name' }), expect.objectContaining({ path: 'email' })]),
    );
    expect((await get('/customers?limit=0')).status).toBe(400);
    expect((await get('/customers?active=maybe')).body.error.details[0].path).toBe('active');
    expect((await get('/customers/999999')).status).toBe(404);
    expect((await get('/customers/abc')).status).toBe(404);
    expect((await call('GET', `/customers/${adaId}`, { token: other, on: otherHost })).status).toBe(404);
  });

  it('updates and deletes', async () => {
    const updated = await patch(`/customers/${adaId}`, { phone: '+44 1', isActive: false });
    expect(updated.status).toBe(200);
    expect(updated.body.customer).toMatchObject({ phone: '+44 1', isActive: false });
    expect((await get('/customers?active=false')).body.customers.map((c: Json) => c.id)).toEqual([adaId]);
    expect((await patch('/customers/999999', { name: 'x' })).status).toBe(404);
    expect((await patch(`/customers/${adaId}`, { email: 'bad' })).status).toBe(400);
    const temp = await post('/customers', { name: 'Temporary' });
    expect((await del(`/customers/${temp.body.customer.id}`)).status).toBe(204);
    expect((await del(`/customers/${temp.body.customer.id}`)).status).toBe(404);
  });
});

describe('products and stock', () => {
  let mainId: number;
  let teaId: number;

  beforeAll(async () => {
    mainId = (await get('/locations')).body.locations[0].id;
  });

  it('creates products (standard tax rate by default), refuses duplicate SKUs and bad input', async () => {
    const tea = await post('/products', { sku: 'TEA-1', name: 'Green tea', unitPrice: 450, costPrice: 200 });
    expect(tea.status).toBe(201);
    expect(tea.body.product).toMatchObject({ sku: 'TEA-1', unitPrice: 450, costPrice: 200, taxRateId: expect.any(Number), stock: [] });
    teaId = tea.body.product.id;
    const dup = await post('/products', { sku: 'tea-1', name: 'Again', unitPrice: 1 });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'Conflict', details: { field: 'sku' } });
    const bad = await post('/products', { sku: 'has space', name: 'x', unitPrice: 1.5 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: Json) => d.path)).toEqual(expect.arrayContaining(['sku', 'unitPrice']));
    const unknownRate = await post('/products', { sku: 'R-1', name: 'x', unitPrice: 1, taxRateId: 999 });
    expect(unknownRate.status).toBe(400);
    expect(unknownRate.body.error.details).toEqual([{ path: 'taxRateId', message: 'no tax rate 999' }]);
  });

  it('adjusts stock per location (201), refuses to go below zero (409) and zero (400)', async () => {
    const received = await post('/stock/adjustments', {
      productId: teaId,
      locationId: mainId,
      quantity: 10,
      reason: 'receipt',
      note: 'delivery 7',
    });
    expect(received.status).toBe(201);
    expect(received.body).toMatchObject({ quantity: 10, movement: { quantity: 10, reason: 'receipt', reference: 'delivery 7' } });
    const broken = await post('/stock/adjustments', { productId: teaId, locationId: mainId, quantity: -2, note: 'broken' });
    expect(broken.body.quantity).toBe(8);
    const tooMany = await post('/stock/adjustments', { productId: teaId, locationId: mainId, quantity: -9 });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error).toMatchObject({
      code: 'InsufficientStock',
      details: { shortages: [{ productId: teaId, requested: 9, available: 8 }] },
    });
    const zero = await post('/stock/adjustments', { productId: teaId, locationId: mainId, quantity: 0 });
    expect(zero.status).toBe(400);
    expect(zero.body.error.details).toEqual([{ path: 'quantity', message: 'not zero' }]);
    const missing = await post('/stock/adjustments', { productId: 999999, locationId: mainId, quantity: 1 });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([{ path: 'productId', message: 'no product 999999' }]);

    const stock = await get(`/stock?productId=${teaId}`);
    expect(stock.status).toBe(200);
    expect(stock.body.stock).toEqual([expect.objectContaining({ productId: teaId, sku: 'TEA-1', locationId: mainId, quantity: 8 })]);
    const movements = await get(`/stock/movements?productId=${teaId}&reason=adjustment`);
    expect(movements.body.movements.map((m: Json) => m.quantity)).toEqual([-2]);
    expect((await get('/stock/movements?reason=stolen')).status).toBe(400);
  });

  it('lists, reads and updates products with their stock', async () => {
    const list = await get('/products?q=green', cashier);
    expect(list.status).toBe(200);
    expect(list.body.products).toEqual([expect.objectContaining({ id: teaId, stock: [{ locationId: mainId, quantity: 8 }] })]);
    expect((await get(`/products?locationId=${mainId}&limit=1`)).body).toMatchObject({ total: 1, limit: 1 });
    expect((await get(`/products/${teaId}`, cashier)).body.product.stock).toEqual([{ locationId: mainId, quantity: 8 }]);
    expect((await get('/products/999999')).status).toBe(404);
    const updated = await patch(`/products/${teaId}`, { unitPrice: 500, allowNegativeStock: false });
    expect(updated.body.product).toMatchObject({ unitPrice: 500, stock: [{ locationId: mainId, quantity: 8 }] });
    expect((await patch('/products/999999', { name: 'x' })).status).toBe(404);
    expect((await patch(`/products/${teaId}`, { unitPrice: -1 })).status).toBe(400);
  });

  it('deletes unused products only', async () => {
    const unused = await post('/products', { sku: 'UNUSED', name: 'Unused', unitPrice: 1 });
    expect((await del(`/products/${unused.body.product.id}`)).status).toBe(204);
    expect((await del(`/products/${unused.body.product.id}`)).status).toBe(404);
    const used = await del(`/products/${teaId}`);
    expect(used.status).toBe(409);
    expect(used.body.error.details).toEqual({ reason: 'inUse' });
  });
});

describe('invoices and payments', () => {
  let mainId: number;
  let mugId: number;
  let customerId: number;
  let invoiceId: number;

  beforeAll(async () => {
    mainId = (await get('/locations')).body.locations[0].id;
    mugId = (await post('/products', { sku: 'MUG', name: 'Mug', unitPrice: 1000, costPrice: 400 })).body.product.id;
    await post('/stock/adjustments', { productId: mugId, locationId: mainId, quantity: 5, reason: 'receipt' });
    customerId = (await post('/customers', { name: 'Invoice Customer' })).body.customer.id;
  });

  it('a cashier sells: the invoice is issued, numbered and posted; the single location is the default', async () => {
    const res = await post(
      '/invoices',
      {
        customerId,
        lines: [
          { productId: mugId, quantity: 2 },
          { description: 'Engraving', quantity: 1, unitPrice: 333, taxRateBp: 1500 },
        ],
      },
      cashier,
    );
    expect(res.status).toBe(201);
    expect(res.body.invoice).toMatchObject({
      number: expect.stringMatching(/^INV-\d{6}$/),
      status: 'issued',
      locationId: mainId,
      customerId,
      subtotal: 2333,
      tax: 450, // 400 + 49.95 → 50
      total: 2783,
      amountPaid: 0,
      amountDue: 2783,
    });
    expect(res.body.invoice.lines).toHaveLength(2);
    invoiceId = res.body.invoice.id;
    expect((await get(`/products/${mugId}`)).body.product.stock).toEqual([{ locationId: mainId, quantity: 3 }]);
    const entries = await get(`/journal-entries?sourceType=invoice&sourceId=${invoiceId}`);
    expect(entries.body.entries[0]).toMatchObject({ total: 2783 + 800 });
  });

  it('refuses to oversell (409 with shortages), bad lines (400 with paths), unknown references (400)', async () => {
    const over = await post('/invoices', { lines: [{ productId: mugId, quantity: 4 }] }, cashier);
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({
      code: 'InsufficientStock',
      details: { shortages: [{ productId: mugId, sku: 'MUG', requested: 4, available: 3 }] },
    });
    const empty = await post('/invoices', { lines: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details).toEqual([expect.objectContaining({ path: 'lines' })]);
    const badLine = await post('/invoices', { issueDate: '2026-02-30', lines: [{ quantity: 0 }] });
    expect(badLine.body.error.details.map((d: Json) => d.path)).toEqual(expect.arrayContaining(['issueDate', 'lines.0.quantity']));
    const freeText = await post('/invoices', { lines: [{ quantity: 1 }] });
    expect(freeText.status).toBe(400);
    expect(freeText.body.error.details.map((d: Json) => d.path)).toEqual(
      expect.arrayContaining(['lines.0.description', 'lines.0.unitPrice']),
    );
    const unknown = await post('/invoices', { customerId: 999999, lines: [{ productId: 999999, quantity: 1 }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.map((d: Json) => d.path)).toEqual(['customerId']);
  });

  it('takes a payment at the till for a walk-in sale', async () => {
    const res = await post('/invoices', { lines: [{ productId: mugId, quantity: 1 }], payment: { method: 'cash' } }, cashier);
    expect(res.status).toBe(201);
    expect(res.body.invoice).toMatchObject({
      status: 'paid',
      amountPaid: 1200,
      amountDue: 0,
      payments: [expect.objectContaining({ amount: 1200, method: 'cash' })],
    });
    const tooMuch = await post('/invoices', { lines: [{ productId: mugId, quantity: 1 }], payment: { method: 'cash', amount: 999999 } });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.details).toEqual([expect.objectContaining({ path: 'payment.amount' })]);
  });

  it('takes a split payment (card + cash) in the one sale request, with the change, and refuses what does not add up', async () => {
    // Stock of its own: the tests after this one count the mugs left.
    await post('/stock/adjustments', { productId: mugId, locationId: mainId, quantity: 2, reason: 'receipt' });
    const before = (await get(`/products/${mugId}`)).body.product.onHand;
    const res = await post(
      '/invoices',
      {
        lines: [{ productId: mugId, quantity: 1 }],
        payments: [
          { method: 'card', amount: 700, reference: 'auth 77' },
          { method: 'cash', amount: 500, tendered: 2000 },
        ],
      },
      cashier,
    );
    expect(res.status).toBe(201);
    expect(res.body.change).toBe(1500);
    expect(res.body.invoice).toMatchObject({
      status: 'paid',
      total: 1200,
      amountPaid: 1200,
      amountDue: 0,
      payments: [
        expect.objectContaining({ amount: 700, method: 'card', reference: 'auth 77' }),
        expect.objectContaining({ amount: 500, method: 'cash' }),
      ],
    });
    expect((await get(`/products/${mugId}`)).body.product.onHand).toBe(before - 1);
    const single = await post(
      '/invoices',
      { lines: [{ productId: mugId, quantity: 1 }], payment: { method: 'cash', tendered: 1500 } },
      cashier,
    );
    expect(single.body).toMatchObject({ change: 300, invoice: { status: 'paid', amountPaid: 1200 } });

    const refused = async (body: Json) => {
      const r = await post('/invoices', { lines: [{ productId: mugId, quantity: 1 }], ...body }, cashier);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('ValidationFailed');
      return r.body.error.details.map((d: Json) => d.path);
    };
    expect(
      await refused({
        payments: [
          { method: 'card', amount: 700 },
          { method: 'cash', amount: 501 },
        ],
      }),
    ).toEqual(['payments']);
    expect(
      await refused({
        payments: [
          { method: 'card', amount: 700 },
          { method: 'cash', amount: 500, tendered: 499 },
        ],
      }),
    ).toEqual(['payments.1.tendered']);
    expect(await refused({ payments: [{ method: 'card' }, { method: 'cash', amount: 500 }] })).toEqual(['payments.0.amount']);
    expect(await refused({ payments: [] })).toEqual(['payments']);
    expect(await refused({ payment: { method: 'cash' }, payments: [{ method: 'cash', amount: 1200 }] })).toEqual(['payments']);
    expect(await refused({ payments: [{ method: 'cheque', amount: 1200 }] })).toEqual(['payments.0.method']);
    expect((await get(`/products/${mugId}`)).body.product.onHand).toBe(before - 2);
  });

  it('records payments up to what is owed; the invoice becomes paid', async () => {
    const first = await post(`/invoices/${invoiceId}/payments`, { amount: 783, method: 'card', reference: 'auth 9' }, cashier);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      payment: { amount: 783, method: 'card', reference: 'auth 9' },
      invoice: { status: 'issued', amountDue: 2000 },
    });
    const over = await post(`/invoices/${invoiceId}/payments`, { amount: 2001, method: 'cash' });
    expect(over.status).toBe(409);
    expect(over.body.error.details).toMatchObject({ outstanding: 2000 });
    expect((await post(`/invoices/${invoiceId}/payments`, { amount: 10, method: 'cheque' })).status).toBe(400);
    expect((await post(`/invoices/${invoiceId}/payments`, { amount: 10, method: 'cash', receivedAt: 'yesterday' })).status).toBe(400);
    expect((await post('/invoices/999999/payments', { amount: 10, method: 'cash' })).status).toBe(404);
    const rest = await post(`/invoices/${invoiceId}/payments`, { amount: 2000, method: 'transfer', receivedAt: '2026-03-02T10:00:00Z' });
    expect(rest.body.invoice).toMatchObject({ status: 'paid', amountDue: 0 });
    expect((await post(`/invoices/${invoiceId}/payments`, { amount: 1, method: 'cash' })).status).toBe(409);
    const payments = await get(`/invoices/${invoiceId}/payments`, cashier);
    expect(payments.body.payments.map((p: Json) => p.amount)).toEqual([783, 2000]);
    expect((await get('/invoices/999999/payments')).status).toBe(404);
    const listed = await get(`/payments?invoiceId=${invoiceId}&method=transfer`, cashier);
    expect(listed.body).toMatchObject({ total: 1, payments: [expect.objectContaining({ amount: 2000 })] });
  });

  it('drafts: saved without stock or number, issued once, deleted while drafts', async () => {
    const draft = await post('/invoices', { draft: true, lines: [{ productId: mugId, quantity: 1 }] }, cashier);
    expect(draft.status).toBe(201);
    expect(draft.body.invoice).toMatchObject({ status: 'draft', number: expect.stringMatching(/^DRAFT-/) });
    const issued = await post(`/invoices/${draft.body.invoice.id}/issue`, { payment: { method: 'card' } }, cashier);
    expect(issued.status).toBe(200);
    expect(issued.body.invoice).toMatchObject({ status: 'paid', number: expect.stringMatching(/^INV-/) });
    const again = await post(`/invoices/${draft.body.invoice.id}/issue`, {});
    expect(again.status).toBe(409);
    expect((await post('/invoices/999999/issue', {})).status).toBe(404);
    expect((await post(`/invoices/${draft.body.invoice.id}/issue`, { issueDate: 'soon' })).status).toBe(400);
    expect((await del(`/invoices/${draft.body.invoice.id}`)).status).toBe(409);
    const another = await post('/invoices', { draft: true, lines: [{ description: 'Quote', quantity: 1, unitPrice: 100 }] });
    expect((await del(`/invoices/${another.body.invoice.id}`)).status).toBe(204);
    expect((await del(`/invoices/${another.body.invoice.id}`)).status).toBe(404);
  });

  it('voids with reversing entries and stock returned; a second void is 409', async () => {
    const sale = await post('/invoices', { lines: [{ productId: mugId, quantity: 1 }] });
    const id = sale.body.invoice.id;
    const before = (await get(`/products/${mugId}`)).body.product.stock[0].quantity;
    const voided = await post(`/invoices/${id}/void`, { reason: 'wrong item' });
    expect(voided.status).toBe(200);
    expect(voided.body.invoice).toMatchObject({ status: 'void', amountDue: 0 });
    expect((await get(`/products/${mugId}`)).body.product.stock[0].quantity).toBe(before + 1);
    const reversal = await get(`/journal-entries?sourceType=void&sourceId=${id}`);
    expect(reversal.body.entries[0].memo).toContain('wrong item');
    const again = await post(`/invoices/${id}/void`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual({ status: 'void' });
    expect((await post('/invoices/999999/void', {})).status).toBe(404);
    expect((await post(`/invoices/${id}/void`, { date: '2026-13-01' })).status).toBe(400);
  });

  it('lists and filters invoices; reads one; 404 for missing and for other tenants’ ids', async () => {
    const all = await get('/invoices', cashier);
    expect(all.status).toBe(200);
    expect(all.body.total).toBeGreaterThanOrEqual(4);
    expect((await get('/invoices?status=void')).body.invoices.every((i: Json) => i.status === 'void')).toBe(true);
    expect((await get(`/invoices?customerId=${customerId}`)).body.invoices.map((i: Json) => i.id)).toEqual([invoiceId]);
    expect((await get(`/invoices?locationId=${mainId}&limit=1`)).body).toMatchObject({ limit: 1, invoices: [expect.any(Object)] });
    expect((await get('/invoices?from=2000-01-01&to=2000-01-31')).body).toMatchObject({ total: 0, invoices: [] });
    const backwards = await get('/invoices?from=2026-02-01&to=2026-01-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details).toEqual([{ path: 'from', message: 'from must not be after to' }]);
    expect((await get('/invoices?status=open')).status).toBe(400);
    const one = await get(`/invoices/${invoiceId}`, cashier);
    expect(one.body.invoice).toMatchObject({ id: invoiceId, lines: expect.any(Array), payments: expect.any(Array) });
    expect((await get('/invoices/999999')).status).toBe(404);
    expect((await call('GET', `/invoices/${invoiceId}`, { token: other, on: otherHost })).status).toBe(404);
  });

  it('needs a location once the workspace has several', async () => {
    const second = await post('/locations', { code: 'SECOND', name: 'Second store' });
    expect(second.status).toBe(201);
    const res = await post('/invoices', { lines: [{ description: 'Service', quantity: 1, unitPrice: 100 }] });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'locationId', message: 'required' }]);
    expect(
      (await post('/invoices', { locationId: second.body.location.id, lines: [{ description: 'Service', quantity: 1, unitPrice: 100 }] }))
        .status,
    ).toBe(201);
  });
});

describe('batch numbers and expiry dates', () => {
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  it('receives named batches, sells first-expiry-first-out, lists stock per batch and what expires soon', async () => {
    const mainId = (await get('/locations')).body.locations[0].id;
    const created = await post('/products', { sku: 'PARA-500', name: 'Paracetamol 500', unitPrice: 300, trackBatches: true });
    expect(created.status).toBe(201);
    expect(created.body.product.trackBatches).toBe(true);
    const productId = created.body.product.id;

    const unnamed = await post('/stock/adjustments', { productId, locationId: mainId, quantity: 5, reason: 'receipt' });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.error.details).toEqual([{ path: 'batchNumber', message: expect.stringContaining('tracked in batches') }]);
    const badDate = await post('/stock/adjustments', {
      productId,
      locationId: mainId,
      quantity: 5,
      batchNumber: 'P1',
      expiryDate: '2027-02-30',
    });
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.details).toEqual([expect.objectContaining({ path: 'expiryDate' })]);
    // Ten days left (clear of any time-zone day boundary: the window is 30).
    const soon = await post('/stock/adjustments', {
      productId,
      locationId: mainId,
      quantity: 4,
      batchNumber: 'P1',
      expiryDate: inDays(10),
      unitCost: 50,
    });
    expect(soon.status).toBe(201);
    expect(soon.body.movement.batchId).toEqual(expect.any(Number));
    await post('/stock/adjustments', {
      productId,
      locationId: mainId,
      quantity: 6,
      batchNumber: 'P2',
      expiryDate: inDays(300),
      unitCost: 50,
    });

    const sale = await post('/invoices', { locationId: mainId, lines: [{ productId, quantity: 5 }], payment: { method: 'cash' } });
    expect(sale.status).toBe(201);
    const batches = await get(`/stock/batches?productId=${productId}`);
    expect(batches.status).toBe(200);
    expect(batches.body.batches.map((b: Json) => [b.batchNumber, b.quantity])).toEqual([['P2', 5]]);
    expect((await get(`/stock/batches?productId=${productId}&includeEmpty=true`)).body.batches.map((b: Json) => b.batchNumber)).toEqual([
      'P1',
      'P2',
    ]);

    await post('/stock/adjustments', {
      productId,
      locationId: mainId,
      quantity: 2,
      batchNumber: 'P3',
      expiryDate: inDays(20),
      unitCost: 50,
    });
    const expiring = await get('/stock/expiring?days=30');
    expect(expiring.status).toBe(200);
    expect(expiring.body.report.batches).toEqual([
      expect.objectContaining({ productId, sku: 'PARA-500', batchNumber: 'P3', quantity: 2, expired: false, locationId: mainId }),
    ]);
    expect((await get(`/stock/expiring?days=400&locationId=${mainId}`)).body.report.batches.map((b: Json) => b.batchNumber)).toEqual([
      'P3',
      'P2',
    ]);
    expect((await get('/stock/expiring?days=-1')).status).toBe(400);
    expect((await get('/stock/expiring?days=soon')).status).toBe(400);
    // Another tenant sees none of it.
    expect((await call('GET', '/stock/expiring?days=400', { token: other, on: otherHost })).body.report.batches).toEqual([]);
    expect((await call('GET', `/stock/batches?productId=${productId}`, { token: other, on: otherHost })).body.batches).toEqual([]);
  });
});
