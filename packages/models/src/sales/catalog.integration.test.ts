import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BARCODE_MESSAGE } from '@salesfleet/contracts';
import type { TenantModels } from '../model-types';
import { testDialects } from '../testing';
import {
  createCustomer,
  createProduct,
  deleteCustomer,
  deleteProduct,
  getCustomer,
  listCustomers,
  listProducts,
  updateCustomer,
  updateProduct,
} from './catalog';
import { createInvoice } from './invoicing';
import { adjustStock, listStockLevels, listStockMovements, stockByProduct, stockOnHand } from './stock';
import { openTestTenant, type TestTenant } from './test-tenant';
import { units } from './quantity';

const dialects = await testDialects();

describe.each(dialects)('customers, products and stock on %s', (dialect) => {
  let t: TestTenant;
  let models: TenantModels;

  beforeAll(async () => {
    t = await openTestTenant(dialect);
    models = t.models;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('searches customers by name, email or phone ignoring case, with LIKE wildcards taken literally', async () => {
    await createCustomer(models, { name: 'Émile Zola', email: 'EMILE@Example.org' });
    await createCustomer(models, { name: 'Ada Lovelace', email: 'ada@analytical.example', phone: '+44 100' });
    await createCustomer(models, { name: '100% Cotton Ltd', email: 'sales@cotton.example' });
    await createCustomer(models, { name: 'Under_score Inc', isActive: false });
    const names = async (q: string, extra: { active?: boolean } = {}) =>
      (await listCustomers(models, { q, ...extra })).items.map((c) => c.name);
    expect(await names('ADA')).toEqual(['Ada Lovelace']);
    expect(await names('example.org')).toEqual(['Émile Zola']);
    expect(await names('+44')).toEqual(['Ada Lovelace']);
    expect(await names('%')).toEqual(['100% Cotton Ltd']);
    expect(await names('_')).toEqual(['Under_score Inc']);
    expect(await names('a_a')).toEqual([]); // '_' as a wildcard would match "Ada"
    expect(await names('o', { active: false })).toEqual(['Under_score Inc']);
    expect(await names("o'")).toEqual([]);
  });

  it('pages customers with a total, and validates, updates and deletes them', async () => {
    const page = await listCustomers(models, { limit: 2, offset: 1 });
    expect(page).toMatchObject({ total: 4, limit: 2, offset: 1 });
    const everyone = await listCustomers(models, { limit: 10 });
    expect(page.items.map((c) => c.id)).toEqual(everyone.items.slice(1, 3).map((c) => c.id));
    await expect(createCustomer(models, { name: '  ', email: 'not-an-email' })).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: [
        { path: 'name', message: 'required' },
        { path: 'email', message: 'an email address' },
      ],
    });
    await expect(listCustomers(models, { limit: 0 })).rejects.toMatchObject({ code: 'ValidationFailed' });
    const c = await createCustomer(models, { name: 'Temp', phone: '123' });
    expect(await updateCustomer(models, c.id, { name: 'Temporary', phone: null })).toMatchObject({ name: 'Temporary', phone: null });
    await deleteCustomer(models, c.id);
    await expect(getCustomer(models, c.id)).rejects.toMatchObject({ code: 'NotFound' });
    await expect(updateCustomer(models, c.id, { name: 'x' })).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('keeps a deleted customer’s invoices, anonymous', async () => {
    const c = await createCustomer(models, { name: 'Leaving' });
    const p = await t.product({}, 1);
    const invoice = await createInvoice(models, {
      locationId: t.locationId,
      customerId: c.id,
      userId: t.userId,
      lines: [{ productId: p.id, quantity: units(1) }],
    });
    await deleteCustomer(models, c.id);
    expect((await models.Invoice.findByPk(invoice.id))!.customerId).toBeNull();
  });

  it('creates products with the default tax rate, unique SKUs ignoring case, and searches name and SKU', async () => {
    const standard = await models.TaxRate.findOne({ where: { code: 'STANDARD' } });
    const tea = await createProduct(models, { sku: 'TEA-01', name: 'Green tea', unitPrice: 450, costPrice: 200 });
    expect(tea.taxRateId).toBe(standard!.id);
    const untaxed = await createProduct(models, { sku: 'BOOK-1', name: 'Paperback', unitPrice: 900, taxRateId: null });
    expect(untaxed.taxRateId).toBeNull();
    await expect(createProduct(models, { sku: 'tea-01', name: 'Dup', unitPrice: 1 })).rejects.toMatchObject({
      code: 'Conflict',
      details: { field: 'sku' },
    });
    await expect(createProduct(models, { sku: 'bad sku', name: '', unitPrice: -1, taxRateId: 424242 })).rejects.toMatchObject({
      code: 'ValidationFailed',
      details: expect.arrayContaining([
        { path: 'sku', message: expect.any(String) },
        { path: 'name', message: 'required' },
        { path: 'unitPrice', message: expect.any(String) },
      ]),
    });
    await expect(createProduct(models, { sku: 'SCAN-1', name: 'Scan', unitPrice: 1, barcode: '400 123' })).rejects.toMatchObject({
      details: [{ path: 'barcode', message: BARCODE_MESSAGE }],
    });
    await expect(createProduct(models, { sku: 'OK-1', name: 'Ok', unitPrice: 1, taxRateId: 424242 })).rejects.toMatchObject({
      details: [{ path: 'taxRateId', message: 'no tax rate 424242' }],
    });
    expect((await listProducts(models, { q: 'tea-0' })).items.map((p) => p.sku)).toEqual(['TEA-01']);
    expect((await listProducts(models, { q: 'PAPER' })).items.map((p) => p.sku)).toEqual(['BOOK-1']);
    await expect(updateProduct(models, untaxed.id, { sku: 'TEA-01' })).rejects.toMatchObject({ code: 'Conflict' });
    expect(await updateProduct(models, untaxed.id, { unitPrice: 950, isActive: false })).toMatchObject({ unitPrice: 950, isActive: false });
    expect((await listProducts(models, { q: 'paper', active: true })).total).toBe(0);
  });

  it('pages products with the total of every match, also past the last page, in one statement per page', async () => {
    for (const n of [1, 2, 3, 4, 5]) await createProduct(models, { sku: `PAGE-${n}`, name: `Paged item ${n}`, unitPrice: 100 * n });
    const statements: string[] = [];
    const logging = (sql: string) => statements.push(sql);
    const options = (models.sequelize as unknown as { options: { logging?: unknown } }).options;
    const before = options.logging;
    options.logging = logging;
    let first;
    try {
      first = await listProducts(models, { q: 'paged item', limit: 2, offset: 0 });
    } finally {
      options.logging = before;
    }
    expect(statements).toHaveLength(1);
    expect(first.items.map((p) => p.sku)).toEqual(['PAGE-1', 'PAGE-2']);
    expect(first.total).toBe(5);
    // Plain rows (no model instances on this hot read), without the window count's column.
    expect(Object.getPrototypeOf(first.items[0])).toBe(Object.prototype);
    expect(first.items[0]).not.toHaveProperty('__fullCount');
    expect(Object.keys(first.items[0]!).sort()).toEqual(Object.keys(models.Product.getAttributes()).sort());
    const last = await listProducts(models, { q: 'paged item', limit: 2, offset: 4 });
    expect(last).toMatchObject({ total: 5, limit: 2, offset: 4 });
    expect(last.items.map((p) => p.sku)).toEqual(['PAGE-5']);
    expect(await listProducts(models, { q: 'paged item', limit: 2, offset: 10 })).toMatchObject({ items: [], total: 5 });
    expect(await listProducts(models, { q: 'no such product anywhere' })).toMatchObject({ items: [], total: 0 });
    await updateProduct(models, first.items[0]!.id, { description: 'first of the paged items' });
    expect((await listProducts(models, { q: 'PAGE-1' })).items[0]).toMatchObject({ description: 'first of the paged items' });
  });

  it('deletes only products that were never sold or moved', async () => {
    const unused = await createProduct(models, { sku: 'UNUSED', name: 'Unused', unitPrice: 1 });
    await deleteProduct(models, unused.id);
    await expect(deleteProduct(models, unused.id)).rejects.toMatchObject({ code: 'NotFound' });
    const moved = await createProduct(models, { sku: 'MOVED', name: 'Moved', unitPrice: 1 });
    await adjustStock(models, { productId: moved.id, locationId: t.locationId, quantity: units(2), reason: 'receipt', userId: t.userId });
    await expect(deleteProduct(models, moved.id)).rejects.toMatchObject({ code: 'Conflict', details: { reason: 'inUse' } });
  });

  it('adjusts stock with signed quantities and a reason, refusing to go below zero unless allowed', async () => {
    const p = await createProduct(models, { sku: 'ADJ-1', name: 'Adjustable', unitPrice: 100 });
    const first = await adjustStock(models, {
      productId: p.id,
      locationId: t.locationId,
      quantity: units(5),
      reason: 'receipt',
      note: 'delivery 42',
      userId: t.userId,
    });
    expect(first.quantity).toBe(units(5));
    expect(first.movement).toMatchObject({ quantity: units(5), reason: 'receipt', reference: 'delivery 42', createdBy: t.userId });
    const second = await adjustStock(models, {
      productId: p.id,
      locationId: t.locationId,
      quantity: units(-2),
      note: 'broken',
      userId: t.userId,
    });
    expect(second.quantity).toBe(units(3));
    await expect(
      adjustStock(models, { productId: p.id, locationId: t.locationId, quantity: units(-4), userId: t.userId }),
    ).rejects.toMatchObject({
      code: 'InsufficientStock',
      details: { shortages: [{ productId: p.id, locationId: t.locationId, requested: 4, available: 3 }] },
    });
    expect(await stockOnHand(models, p.id, t.locationId)).toBe(units(3));
    await expect(
      adjustStock(models, { productId: p.id, locationId: t.locationId, quantity: units(0), userId: t.userId }),
    ).rejects.toMatchObject({
      details: [{ path: 'quantity', message: 'not zero' }],
    });
    await expect(
      adjustStock(models, { productId: p.id, locationId: t.locationId, quantity: units(-1), reason: 'receipt', userId: t.userId }),
    ).rejects.toMatchObject({
      code: 'ValidationFailed',
    });
    await expect(
      adjustStock(models, { productId: 999_999, locationId: 999_999, quantity: units(1), userId: t.userId }),
    ).rejects.toMatchObject({
      details: [
        { path: 'productId', message: expect.any(String) },
        { path: 'locationId', message: expect.any(String) },
      ],
    });
    const loose = await createProduct(models, { sku: 'NEG-1', name: 'Negative ok', unitPrice: 100, allowNegativeStock: true });
    expect(
      (await adjustStock(models, { productId: loose.id, locationId: t.locationId, quantity: units(-3), userId: t.userId })).quantity,
    ).toBe(units(-3));

    const other = await models.Location.create({ code: 'BACK', name: 'Back store' });
    await adjustStock(models, { productId: p.id, locationId: other.id, quantity: units(7), userId: t.userId });
    expect((await stockByProduct(models, [p.id])).get(p.id)).toEqual([
      { locationId: t.locationId, quantity: units(3) },
      { locationId: other.id, quantity: units(7) },
    ]);
    const levels = await listStockLevels(models, { productId: p.id });
    expect(levels.total).toBe(2);
    expect(levels.items.map((l) => [l.locationId, l.quantity, l.product?.sku])).toEqual([
      [t.locationId, units(3), 'ADJ-1'],
      [other.id, units(7), 'ADJ-1'],
    ]);
    expect((await listStockLevels(models, { locationId: other.id })).items.map((l) => l.productId)).toEqual([p.id]);
    const movements = await listStockMovements(models, { productId: p.id, locationId: t.locationId });
    expect(movements.items.map((m) => m.quantity)).toEqual([units(-2), units(5)]);
  });
});
