import { Sequelize, ValidationError } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { defineTenantModels } from './define-tenant-models';
import { tenantSequelizeOptions, usePgNumberParsers } from './sequelize-options';

// Validation runs in the model before any query: an instance that never connects is enough.
const models = defineTenantModels(new Sequelize({ dialect: 'sqlite', storage: ':memory:', logging: false }));

async function problems(instance: { validate(): Promise<unknown> }): Promise<string[]> {
  try {
    await instance.validate();
    return [];
  } catch (err) {
    if (err instanceof ValidationError) return err.errors.map((e) => e.path ?? '');
    throw err;
  }
}

describe('string enumerations are validated by the models', () => {
  it('accepts the listed values and refuses anything else', async () => {
    const invoice = { number: 'INV-1', locationId: 1, issueDate: '2026-11-23', createdBy: 1 };
    expect(await problems(models.Invoice.build({ ...invoice, status: 'issued' }))).toEqual([]);
    expect(await problems(models.Invoice.build({ ...invoice, status: 'lost' as never }))).toEqual(['status']);
    expect(await problems(models.Payment.build({ invoiceId: 1, amount: 100, method: 'cheque' as never, createdBy: 1 }))).toEqual([
      'method',
    ]);
    expect(await problems(models.Account.build({ code: '7000', name: 'Odd', type: 'revenue' as never }))).toEqual(['type']);
    expect(await problems(models.StockMovement.build({ productId: 1, locationId: 1, quantity: -1, reason: 'theft' as never }))).toEqual([
      'reason',
    ]);
    expect(await problems(models.StockMovement.build({ productId: 1, locationId: 1, quantity: -1, reason: 'sale' }))).toEqual([]);
  });

  it('refuses negative prices, fractional quantities and tax rates above 100 %', async () => {
    expect(await problems(models.Product.build({ sku: 'A', name: 'A', unitPrice: -1 }))).toEqual(['unitPrice']);
    expect(await problems(models.Product.build({ sku: 'A', name: 'A', unitPrice: 1.5 }))).toEqual(['unitPrice']);
    expect(await problems(models.TaxRate.build({ code: 'X', name: 'X', rateBp: 10001 }))).toEqual(['rateBp']);
    expect(
      await problems(
        models.InvoiceLine.build({ invoiceId: 1, description: 'x', quantity: 0, unitPrice: 1, lineSubtotal: 0, lineTotal: 0 }),
      ),
    ).toEqual(['quantity']);
  });
});

describe('tenantSequelizeOptions', () => {
  it('adds the PostgreSQL number parsers after hooks the caller already has', () => {
    const mine = () => undefined;
    const options = tenantSequelizeOptions('postgres', { logging: false, hooks: { afterConnect: mine } });
    expect(options).toMatchObject({ dialect: 'postgres', logging: false });
    expect(options.hooks?.afterConnect).toEqual([mine, usePgNumberParsers]);
  });

  it('keeps MySQL dialect options and adds decimalNumbers', () => {
    const options = tenantSequelizeOptions('mysql', { dialectOptions: { connectTimeout: 2000 } });
    expect(options.dialectOptions).toEqual({ connectTimeout: 2000, decimalNumbers: true });
  });

  it('leaves SQLite options as they are', () => {
    expect(tenantSequelizeOptions('sqlite', { storage: 'x.sqlite' })).toEqual({ dialect: 'sqlite', storage: 'x.sqlite' });
  });
});
