import { createInvoice, defineAllTenantModels, defineTenantModels, tenantSequelizeOptions, voidInvoice } from '@salesfleet/models';
import { bookViolations, createTestDatabase, testDialects, type TestDatabase } from '@salesfleet/models/testing';
import { QueryTypes, type Sequelize } from 'sequelize';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateUp } from '../runner';
import { compareSchemaWithModels } from '../schema-drift';

const dialects = await testDialects();

/** A tenant as the sales and accounting migrations left it, with stock, a sale and its (old-style) posting. */
async function oldTenant(sequelize: Sequelize): Promise<void> {
  await migrateUp(sequelize, 'tenant', { to: '202611230003-accounting' });
  const qi = sequelize.getQueryInterface();
  const now = new Date();
  const stamps = { created_at: now, updated_at: now };
  await qi.bulkInsert('users', [{ username: 'admin', email: 'a@example.com', password_hash: 'x', is_superuser: true, ...stamps }]);
  await qi.bulkInsert('auth_groups', [{ name: 'Admin' }, { name: 'Managers' }, { name: 'Cashiers' }]);
  await qi.bulkInsert('accounts', [
    { code: '1000', name: 'Cash', type: 'asset', ...stamps },
    { code: '1010', name: 'Bank', type: 'asset', ...stamps },
    { code: '1100', name: 'Accounts receivable', type: 'asset', ...stamps },
    { code: '1200', name: 'Inventory', type: 'asset', ...stamps },
    { code: '2000', name: 'Accounts payable', type: 'liability', ...stamps },
    { code: '2100', name: 'Tax payable', type: 'liability', ...stamps },
    { code: '3000', name: "Owner's equity", type: 'equity', ...stamps },
    { code: '3100', name: 'Retained earnings', type: 'equity', ...stamps },
    { code: '4000', name: 'Sales revenue', type: 'income', ...stamps },
    { code: '5000', name: 'Cost of goods sold', type: 'expense', ...stamps },
    { code: '6000', name: 'Operating expenses', type: 'expense', ...stamps },
  ]);
  await qi.bulkInsert('locations', [{ code: 'MAIN', name: 'Main', ...stamps }]);
  await qi.bulkInsert('products', [
    { sku: 'A', name: 'Costed', unit_price: 1000, cost_price: 300, ...stamps },
    { sku: 'B', name: 'Uncosted', unit_price: 500, cost_price: null, ...stamps },
  ]);
  const id = async (table: string, where: string) =>
    (await sequelize.query<{ id: number }>(`SELECT id FROM ${table} WHERE ${where}`, { type: QueryTypes.SELECT }))[0]!.id;
  const [user, main, a, b] = [
    await id('users', "username = 'admin'"),
    await id('locations', "code = 'MAIN'"),
    await id('products', "sku = 'A'"),
    await id('products', "sku = 'B'"),
  ];
  await qi.bulkInsert('stock_levels', [
    { product_id: a, location_id: main, quantity: 7, updated_at: now },
    { product_id: b, location_id: main, quantity: 2, updated_at: now },
  ]);
  await qi.bulkInsert('stock_movements', [
    { product_id: a, location_id: main, quantity: 10, reason: 'receipt', created_by: user, created_at: now },
    { product_id: a, location_id: main, quantity: -3, reason: 'sale', reference: 'invoice:1', created_by: user, created_at: now },
    { product_id: b, location_id: main, quantity: 2, reason: 'receipt', created_by: user, created_at: now },
  ]);
  await qi.bulkInsert('invoices', [
    {
      number: 'INV-000001',
      location_id: main,
      status: 'issued',
      issue_date: '2026-11-01',
      subtotal: 3000,
      tax: 0,
      total: 3000,
      amount_paid: 0,
      created_by: user,
      ...stamps,
    },
  ]);
  const invoice = await id('invoices', "number = 'INV-000001'");
  await qi.bulkInsert('invoice_lines', [
    {
      invoice_id: invoice,
      product_id: a,
      description: 'Costed',
      quantity: 3,
      unit_price: 1000,
      tax_rate_bp: 0,
      line_subtotal: 3000,
      line_tax: 0,
      line_total: 3000,
    },
  ]);
  await qi.bulkInsert('journal_entries', [
    { entry_date: '2026-11-01', memo: 'Invoice INV-000001', source_type: 'invoice', source_id: invoice, posted_by: user, created_at: now },
  ]);
  const entry = await id('journal_entries', `source_id = ${invoice}`);
  const account = (code: string) => id('accounts', `code = '${code}'`);
  await qi.bulkInsert('journal_lines', [
    { journal_entry_id: entry, account_id: await account('1100'), debit: 3000, credit: 0 },
    { journal_entry_id: entry, account_id: await account('4000'), debit: 0, credit: 3000 },
    // Before inventory accounting: the cost of goods left an Inventory account nothing had filled.
    { journal_entry_id: entry, account_id: await account('5000'), debit: 900, credit: 0 },
    { journal_entry_id: entry, account_id: await account('1200'), debit: 0, credit: 900 },
  ]);
}

describe.each(dialects)('upgrading an existing tenant to inventory accounting on %s', (dialect) => {
  let db: TestDatabase;
  afterEach(async () => {
    await db?.drop();
  });

  it('converts quantities to thousandths, values the stock at cost and brings the Inventory account to that value', async () => {
    db = await createTestDatabase(dialect);
    const sequelize = db.connect(tenantSequelizeOptions(dialect));
    await oldTenant(sequelize);
    await migrateUp(sequelize, 'tenant');

    const rows = <T extends object>(sql: string) => sequelize.query<T>(sql, { type: QueryTypes.SELECT, raw: true });
    expect((await rows<{ quantity: unknown }>('SELECT quantity FROM stock_levels ORDER BY id')).map((r) => Number(r.quantity))).toEqual([
      7000, 2000,
    ]);
    expect((await rows<{ quantity: unknown }>('SELECT quantity FROM stock_movements ORDER BY id')).map((r) => Number(r.quantity))).toEqual([
      10_000, -3000, 2000,
    ]);
    expect(
      (await rows<{ quantity: unknown; cost_amount: unknown }>('SELECT quantity, cost_amount FROM invoice_lines')).map((r) => [
        Number(r.quantity),
        Number(r.cost_amount),
      ]),
    ).toEqual([[3000, 900]]);
    expect(
      (
        await rows<{ sku: string; q: unknown; v: unknown }>(
          'SELECT sku, inventory_quantity AS q, inventory_value AS v FROM products ORDER BY sku',
        )
      ).map((r) => [r.sku, Number(r.q), Number(r.v)]),
    ).toEqual([
      ['A', 7000, 2100],
      ['B', 2000, 0],
    ]);
    const cashierGrants = await rows<{ codename: string }>(
      "SELECT p.codename FROM group_permissions gp JOIN auth_permissions p ON p.id = gp.permission_id JOIN auth_groups g ON g.id = gp.group_id WHERE g.name = 'Cashiers'",
    );
    expect(cashierGrants.map((r) => r.codename).sort()).toEqual(['sales.view_category', 'sales.view_unit']);

    const models = defineTenantModels(sequelize);
    expect(await compareSchemaWithModels(sequelize, defineAllTenantModels(models))).toEqual([]);
    expect(await bookViolations(models)).toEqual([]);

    // The upgraded tenant trades on: a sale at the average cost, a void of the old sale at the cost it was posted at.
    const user = (await models.User.findOne())!.id;
    const main = (await models.Location.findOne())!.id;
    const a = (await models.Product.findOne({ where: { sku: 'A' } }))!;
    const sale = await createInvoice(models, {
      locationId: main,
      userId: user,
      lines: [
        { productId: a.id, quantity: 2000 },
        { productId: a.id, quantity: 1000 },
      ],
    });
    expect(sale.lines!.map((l) => l.costAmount)).toEqual([600, 300]);
    await voidInvoice(models, (await models.Invoice.findOne({ where: { number: 'INV-000001' } }))!.id, { userId: user });
    expect(await models.Product.findByPk(a.id, { raw: true })).toMatchObject({ inventoryQuantity: 7000, inventoryValue: 2100 });
    expect(await bookViolations(models)).toEqual([]);
  });
});
