import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantModels } from '../model-types';
import { createSupplier } from '../purchasing/suppliers';
import { createCustomer } from '../sales/catalog';
import { stockOnHand } from '../sales/stock';
import { openTestTenant, type TestTenant } from '../sales/test-tenant';
import { bookViolations, testDialects } from '../testing';
import { parseCsv } from './csv';
import {
  exportCustomersCsv,
  exportProductsCsv,
  exportSuppliersCsv,
  importCustomersCsv,
  importProductsCsv,
  importSuppliersCsv,
} from './import-export';

const dialects = await testDialects();

describe.each(dialects)('CSV import and export on %s', (dialect) => {
  let t: TestTenant;
  let models: TenantModels;

  beforeAll(async () => {
    t = await openTestTenant(dialect);
    models = t.models;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const count = () => models.Product.count();

  it('reports every bad row with its line number and imports nothing', async () => {
    const before = await count();
    const csv = [
      'sku,name,unit_price,cost_price,unit,stock_MAIN,stock_NOWHERE',
      'OK-1,Fine,100,50,pcs,3,',
      ',No SKU,100,,,,',
      'BAD-PRICE,Bad price,12.50,,,,',
      'OK-1,Twice,100,,,,',
      'KG-1,"Cheese, aged",1899,900,kg,1.2345,',
      'PCS-1,Pieces,100,,pcs,1.5,',
    ].join('\n');
    const err = await importProductsCsv(models, csv, t.userId).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ValidationFailed' });
    expect((err as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(['1.stock_nowhere']);

    const good = csv.replace(',stock_NOWHERE', '').replace(/,$/gm, '');
    const err2 = await importProductsCsv(models, good, t.userId).catch((e: unknown) => e);
    expect(err2).toMatchObject({ code: 'ValidationFailed', message: expect.stringContaining('5 product rows are invalid') });
    expect((err2 as { details: { path: string }[] }).details.map((d) => d.path)).toEqual([
      '3.sku',
      '4.unit_price',
      '5.sku',
      '6.stock_main',
      '7.stock_main',
    ]);
    expect(await count()).toBe(before);
    expect(await bookViolations(models)).toEqual([]);
  });

  it('imports products with opening stock at cost, idempotently by SKU, and exports them back', async () => {
    const csv = [
      'sku,name,unit_price,cost_price,tax_rate,unit,barcode,category,stock_MAIN',
      'IMP-1,Imported tea,450,200,STANDARD,pcs,5012345678900,Tea,10',
      'imp-2,"Rice, long grain",300,120,,kg,,Dry goods,2.5',
    ].join('\r\n');
    expect(await importProductsCsv(models, csv, t.userId)).toEqual({ created: 2, updated: 0, openingStock: 2 });
    const tea = await models.Product.findOne({ where: { sku: 'IMP-1' }, raw: true });
    expect(tea).toMatchObject({ barcode: '5012345678900', inventoryQuantity: 10_000, inventoryValue: 2000 });
    expect(await stockOnHand(models, tea!.id, t.locationId)).toBe(10_000);
    expect(await bookViolations(models)).toEqual([]);

    // The same file again, with a new price: updated, no second opening stock, no duplicate.
    const again = csv.replace('Imported tea,450', 'Imported tea,475').replace('imp-2', 'IMP-2');
    expect(await importProductsCsv(models, again, t.userId)).toEqual({ created: 0, updated: 2, openingStock: 0 });
    expect(await stockOnHand(models, tea!.id, t.locationId)).toBe(10_000);
    expect((await models.Product.findByPk(tea!.id))!.unitPrice).toBe(475);
    expect(await models.Category.count()).toBe(2);

    const exported = parseCsv(await exportProductsCsv(models));
    const header = exported[0]!.fields;
    const rice = exported.find((r) => r.fields[0] === 'imp-2')!.fields;
    expect(rice[header.indexOf('name')]).toBe('Rice, long grain');
    expect(rice[header.indexOf('unit')]).toBe('kg');
    expect(rice[header.indexOf('stock_MAIN')]).toBe('2.5');
    expect(rice[header.indexOf('category')]).toBe('Dry goods');
    // What was exported imports back as it is.
    const text = await exportProductsCsv(models);
    const result = await importProductsCsv(models, text, t.userId);
    expect(result.created).toBe(0);
    expect(await bookViolations(models)).toEqual([]);
  });

  it('imports customers and suppliers idempotently by email, and refuses bad emails by line', async () => {
    await createCustomer(models, { name: 'Existing', email: 'known@example.com' });
    const customers = await models.Customer.count();
    const csv = 'name,email,phone\nKnown Again,KNOWN@example.com,123\nNew Person,new@example.com,\nNo Email,,555\n';
    expect(await importCustomersCsv(models, csv)).toEqual({ created: 2, updated: 1, openingStock: 0 });
    expect(await importCustomersCsv(models, csv)).toEqual({ created: 0, updated: 3, openingStock: 0 });
    expect(await models.Customer.count()).toBe(customers + 2);
    const bad = await importCustomersCsv(models, 'name,email\nA,not-an-email\n,b@example.com\n').catch((e: unknown) => e);
    expect((bad as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(['2.email', '3.name']);
    expect(parseCsv(await exportCustomersCsv(models)).map((r) => r.fields[0])).toContain('Known Again');

    await createSupplier(models, { name: 'Mill', email: 'mill@example.com' });
    expect(await importSuppliersCsv(models, 'name,email\nThe Mill,mill@example.com\nFarm,farm@example.com\n')).toEqual({
      created: 1,
      updated: 1,
      openingStock: 0,
    });
    expect(
      parseCsv(await exportSuppliersCsv(models))
        .slice(1)
        .map((r) => r.fields[0]),
    ).toEqual(['Farm', 'The Mill']);
    // A spreadsheet formula in a name is exported inert.
    await createSupplier(models, { name: '=HYPERLINK("http://evil")' });
    expect(await exportSuppliersCsv(models)).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });
});
