import { DataTypes, QueryTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';
import { dropColumn, narrowToInteger, widenToBigint } from './column-types';
import { grantPermissions, revokePermissions } from './grant-permissions';

/**
 * Inventory in the ledger, decimal quantities and units of measure (issue 13).
 *
 * - `units` (pieces, kilograms…, with how many decimals a quantity may have) and `products.unit_id`.
 * - Quantities become integer thousandths in BIGINT columns: stock levels, stock movements and
 *   invoice lines are converted (× 1000).
 * - `products.inventory_quantity` / `inventory_value`: each product's stock on hand and its value at
 *   cost (the moving-average valuation of packages/models/src/sales/valuation.ts), filled from the
 *   stock on hand × the product's cost price.
 * - `invoice_lines.cost_amount`: the cost of goods of each issued line, as it was posted
 *   (quantity × cost price), so a void restores exactly that.
 * - Account 5100 "Inventory adjustments", and one journal entry that brings the Inventory account to
 *   the stock's value at cost (until now receipts posted nothing and sales credited Inventory).
 */
const ADJUSTMENTS = { code: '5100', name: 'Inventory adjustments', type: 'expense' } as const;
const INVENTORY_CODE = '1200';
const UNITS = [
  { code: 'pcs', name: 'Piece', decimals: 0 },
  { code: 'kg', name: 'Kilogram', decimals: 3 },
  { code: 'g', name: 'Gram', decimals: 0 },
  { code: 'l', name: 'Litre', decimals: 3 },
  { code: 'm', name: 'Metre', decimals: 3 },
  { code: 'box', name: 'Box', decimals: 0 },
];
const MEMO = 'Inventory valued at cost (upgrade to inventory accounting)';

/** The permissions of the stock and purchasing work (units, categories, suppliers, purchases, transfers). */
const ALL = ['Admin', 'Managers'] as const;
const PERMISSIONS = [
  ...['unit', 'category'].flatMap((model) =>
    ['view', 'add', 'change', 'delete'].map((action) => ({
      codename: `sales.${action}_${model}`,
      name: `Can ${action} ${model}`,
      groups: action === 'view' ? [...ALL, 'Cashiers'] : ALL,
    })),
  ),
  ...['supplier', 'purchase_order', 'supplier_bill', 'supplier_payment'].flatMap((model) =>
    ['view', 'add', 'change', 'delete'].map((action) => ({
      codename: `purchasing.${action}_${model}`,
      name: `Can ${action} ${model.replace(/_/g, ' ')}`,
      groups: ALL,
    })),
  ),
  { codename: 'sales.transfer_stock', name: 'Can transfer stock between locations', groups: ALL },
  { codename: 'purchasing.receive_goods', name: 'Can receive goods against purchase orders', groups: ALL },
];

const QUANTITY_COLUMNS = [
  { table: 'stock_levels', columns: [{ name: 'quantity', allowNull: false, defaultValue: 0 }] },
  { table: 'stock_movements', columns: [{ name: 'quantity', allowNull: false }] },
  { table: 'invoice_lines', columns: [{ name: 'quantity', allowNull: false }] },
];

export const inventoryValuation: MigrationDefinition = {
  name: '202612070240-inventory-valuation',

  async up({ queryInterface, sequelize, transaction }) {
    const now = new Date();
    const run = (sql: string, replacements?: unknown[]) =>
      sequelize.query(sql, { transaction, raw: true, ...(replacements ? { replacements } : {}) });
    const select = <T extends object>(sql: string, replacements?: unknown[]) =>
      sequelize.query<T>(sql, { transaction, type: QueryTypes.SELECT, raw: true, ...(replacements ? { replacements } : {}) });

    await queryInterface.createTable(
      'units',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
        code: { type: DataTypes.STRING(16), allowNull: false },
        name: { type: DataTypes.STRING(50), allowNull: false },
        decimals: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        is_active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      { transaction },
    );
    await queryInterface.addIndex('units', ['code'], { name: 'units_code_unique', unique: true, transaction });
    await queryInterface.bulkInsert(
      'units',
      UNITS.map((u) => ({ ...u, is_active: true, created_at: now, updated_at: now })),
      { transaction },
    );

    await queryInterface.addColumn(
      'products',
      'inventory_quantity',
      { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      { transaction },
    );
    await queryInterface.addColumn(
      'products',
      'inventory_value',
      { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      { transaction },
    );
    await queryInterface.addColumn(
      'products',
      'unit_id',
      { type: DataTypes.INTEGER, allowNull: true, references: { model: 'units', key: 'id' }, onDelete: 'RESTRICT', onUpdate: 'CASCADE' },
      { transaction },
    );
    await queryInterface.addIndex('products', ['unit_id'], { name: 'products_unit_id', transaction });
    await queryInterface.addColumn('invoice_lines', 'cost_amount', { type: DataTypes.BIGINT, allowNull: true }, { transaction });

    // Values first, from the whole-unit quantities: quantity × cost price is exact in cents.
    await run(
      `UPDATE invoice_lines SET cost_amount = quantity * COALESCE((SELECT p.cost_price FROM products p WHERE p.id = invoice_lines.product_id), 0)
       WHERE product_id IS NOT NULL AND invoice_id IN (SELECT i.id FROM invoices i WHERE i.status IN ('issued', 'paid', 'void'))`,
    );
    await run(
      `UPDATE products SET
         inventory_quantity = 1000 * COALESCE((SELECT SUM(s.quantity) FROM stock_levels s WHERE s.product_id = products.id), 0),
         inventory_value = COALESCE(cost_price, 0) * COALESCE((SELECT SUM(s.quantity) FROM stock_levels s WHERE s.product_id = products.id), 0)`,
    );

    for (const { table, columns } of QUANTITY_COLUMNS) {
      await widenToBigint(queryInterface, sequelize, table, columns, transaction);
      await run(`UPDATE ${table} SET quantity = quantity * 1000`);
    }

    await grantPermissions({ queryInterface, sequelize, transaction }, PERMISSIONS);

    // The adjustments account (unless the tenant already made one with that code).
    const [existing] = await select<{ id: number }>(`SELECT id FROM accounts WHERE code = ?`, [ADJUSTMENTS.code]);
    if (!existing)
      await queryInterface.bulkInsert('accounts', [{ ...ADJUSTMENTS, is_active: true, created_at: now, updated_at: now }], { transaction });
    const [adjustments] = await select<{ id: number }>(`SELECT id FROM accounts WHERE code = ?`, [ADJUSTMENTS.code]);
    const [inventory] = await select<{ id: number }>(`SELECT id FROM accounts WHERE code = ?`, [INVENTORY_CODE]);
    if (!inventory || !adjustments) return; // a tenant without an Inventory account has nothing to correct

    const [ledger] = await select<{ balance: unknown }>(
      `SELECT COALESCE(SUM(debit), 0) - COALESCE(SUM(credit), 0) AS balance FROM journal_lines WHERE account_id = ?`,
      [inventory.id],
    );
    const [stock] = await select<{ value: unknown }>(`SELECT COALESCE(SUM(inventory_value), 0) AS value FROM products`);
    const difference = BigInt(String(stock?.value ?? 0)) - BigInt(String(ledger?.balance ?? 0));
    if (difference === 0n) return;
    const amount = Number(difference < 0n ? -difference : difference);
    await queryInterface.bulkInsert(
      'journal_entries',
      [
        {
          entry_date: now.toISOString().slice(0, 10),
          memo: MEMO,
          source_type: 'stock_adjustment',
          source_id: null,
          posted_by: null,
          created_at: now,
        },
      ],
      { transaction },
    );
    const [entry] = await select<{ id: number }>(`SELECT MAX(id) AS id FROM journal_entries WHERE memo = ?`, [MEMO]);
    const debitInventory = difference > 0n;
    await queryInterface.bulkInsert(
      'journal_lines',
      [
        { journal_entry_id: entry!.id, account_id: inventory.id, debit: debitInventory ? amount : 0, credit: debitInventory ? 0 : amount },
        {
          journal_entry_id: entry!.id,
          account_id: adjustments.id,
          debit: debitInventory ? 0 : amount,
          credit: debitInventory ? amount : 0,
        },
      ],
      { transaction },
    );
  },

  async down({ queryInterface, sequelize, transaction }) {
    await revokePermissions(
      { queryInterface, sequelize, transaction },
      PERMISSIONS.map((p) => p.codename),
    );
    // Quantities go back to whole units (fractions are cut); the valuation entry stays in the books.
    const whole = sequelize.getDialect() === 'mysql' ? 'quantity DIV 1000' : 'quantity / 1000';
    for (const { table, columns } of QUANTITY_COLUMNS) {
      await sequelize.query(`UPDATE ${table} SET quantity = ${whole}`, { transaction, raw: true });
      await narrowToInteger(queryInterface, sequelize, table, columns, transaction);
    }
    await dropColumn(queryInterface, sequelize, 'invoice_lines', 'cost_amount', transaction);
    await dropColumn(queryInterface, sequelize, 'products', 'unit_id', transaction, ['products_unit_id']);
    await dropColumn(queryInterface, sequelize, 'products', 'inventory_value', transaction);
    await dropColumn(queryInterface, sequelize, 'products', 'inventory_quantity', transaction);
    await queryInterface.dropTable('units', { transaction });
  },
};
