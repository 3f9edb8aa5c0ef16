import { DEFAULT_GROUPS } from '@salesfleet/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Json, jsonApi, type TestApp, twoTenantsWithCashier } from '../../testing';

let t: TestApp;
let host: string;
let otherHost: string;
let admin: string;
let cashier: string;
let other: string;
const { call, get, post, patch, del } = jsonApi(() => ({ t, host, token: admin }));

beforeAll(async () => {
  t = await createTestApp();
  ({ host, otherHost, admin, cashier, other } = await twoTenantsWithCashier(t));
});

afterAll(async () => {
  await t.cleanup();
});

const paths = () => t.docs.operations().filter((op) => /^\/api\/(units|categories|csv)/.test(op.path));

describe('units, categories and CSV routes', () => {
  it('are documented, answer 401 without a session and 403 to a cashier where cashiers may not', async () => {
    expect(paths().length).toBeGreaterThanOrEqual(12);
    const allowed = new Set(DEFAULT_GROUPS.find((g) => g.name === 'Cashiers')!.permissions as readonly string[]);
    for (const op of paths()) {
      const path = op.path.replace(/^\/api/, '').replace(/:id/g, '1');
      const json = op.body ? {} : undefined;
      expect((await call(op.method.toUpperCase(), path, { token: null, json })).status, `${op.method} ${op.path}`).toBe(401);
      if (!allowed.has(op.permission!)) {
        const res = await call(op.method.toUpperCase(), path, { token: cashier, json });
        expect(res.status, `${op.method} ${op.path}`).toBe(403);
      }
    }
    // A cashier reads units and categories (the till shows "kg"), but neither imports nor exports.
    expect((await get('/units', cashier)).status).toBe(200);
    expect((await get('/categories', cashier)).status).toBe(200);
    expect((await get('/csv/customers', cashier)).status).toBe(403);
  });

  it('finds a product by its barcode for the till, keeps barcodes unique, and files products in categories', async () => {
    const units = (await get('/units')).body.units as Json[];
    expect(units.map((u) => u.code)).toEqual(expect.arrayContaining(['pcs', 'kg']));
    const category = await post('/categories', { name: 'Snacks' });
    expect(category.status).toBe(201);
    expect((await post('/categories', { name: 'snacks' })).status).toBe(409);
    const crisps = await post('/products', {
      sku: 'CRISPS',
      name: 'Crisps',
      unitPrice: 150,
      barcode: '4001234567890',
      categoryId: category.body.category.id,
    });
    expect(crisps.status).toBe(201);
    expect(crisps.body.product).toMatchObject({ barcode: '4001234567890', categoryId: category.body.category.id });
    const dup = await post('/products', { sku: 'CRISPS-2', name: 'Other', unitPrice: 150, barcode: '4001234567890' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details).toMatchObject({ field: 'barcode' });

    const scanned = await get('/products?barcode=4001234567890', cashier);
    expect(scanned.status).toBe(200);
    expect(scanned.body.products.map((p: Json) => p.sku)).toEqual(['CRISPS']);
    expect((await get('/products?barcode=0000', cashier)).body.products).toEqual([]);
    expect((await call('GET', '/products?barcode=4001234567890', { token: other, on: otherHost })).body.products).toEqual([]);
    expect((await get(`/products?categoryId=${category.body.category.id}`)).body.products.map((p: Json) => p.sku)).toEqual(['CRISPS']);
    expect((await del(`/categories/${category.body.category.id}`)).status).toBe(409);
    expect((await patch(`/categories/${category.body.category.id}`, { isActive: false })).body.category.isActive).toBe(false);
  });

  it('imports products with opening stock from CSV, all or nothing, and exports them', async () => {
    const bad = await post('/csv/products', { csv: 'sku,name,unit_price,stock_MAIN\nA-1,Apples,abc,2\nA-2,,100,1\n' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: Json) => d.path)).toEqual(['2.unit_price', '3.name']);
    expect((await get('/products?q=A-2')).body.total).toBe(0);

    const csv = 'sku,name,unit_price,cost_price,unit,stock_MAIN\nAPL,Apples,320,150,kg,12.5\n';
    const first = await post('/csv/products', { csv });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ created: 1, updated: 0, openingStock: 1 });
    expect((await post('/csv/products', { csv })).body).toEqual({ created: 0, updated: 1, openingStock: 0 });
    const apples = (await get('/products?q=APL')).body.products[0];
    expect(apples).toMatchObject({ onHand: 12.5, inventoryValue: 1875 });

    const exported = await t.request(host, '/api/csv/products', { method: 'GET', token: admin });
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('text/csv');
    expect(await exported.text()).toContain('APL,Apples,,320,150,');
    const tb = (await get('/reports/trial-balance')).body.report;
    expect(tb.balanced).toBe(true);
  });
});
