import { DataTypes, QueryTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';
import { dropColumn } from './column-types';

/**
 * Tax on purchases (packages/models/src/purchasing/purchase-tax.ts):
 *
 * - account 1300 "Input tax recoverable" (an asset: the tax paid to suppliers that the tax authority
 *   owes back), added to the chart of existing tenants unless they already have an account 1300;
 * - purchase order lines keep the rate they were ordered at (`tax_rate_bp`, `tax_inclusive`) and their
 *   tax (`line_tax`; `line_total` stays quantity × unit cost in the line's terms), orders their `tax`;
 * - supplier bills keep their `tax` (their `total` includes it) and, per rate, what was taxed
 *   (`supplier_bill_taxes`), which the tax report reads as input tax.
 *
 * Existing orders and bills had no tax, which the defaults say.
 */
const INPUT_TAX = { code: '1300', name: 'Input tax recoverable', type: 'asset' } as const;

export const purchaseTax: MigrationDefinition = {
  name: '202612070500-purchase-tax',

  async up({ queryInterface, sequelize, transaction }) {
    const t = { transaction };
    const cents = () => ({ type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 });
    await queryInterface.addColumn(
      'purchase_order_lines',
      'tax_rate_bp',
      { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      t,
    );
    await queryInterface.addColumn(
      'purchase_order_lines',
      'tax_inclusive',
      { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      t,
    );
    await queryInterface.addColumn('purchase_order_lines', 'line_tax', cents(), t);
    await queryInterface.addColumn('purchase_orders', 'tax', cents(), t);
    await queryInterface.addColumn('supplier_bills', 'tax', cents(), t);
    await queryInterface.createTable(
      'supplier_bill_taxes',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
        supplier_bill_id: {
          type: DataTypes.INTEGER,
          allowNull: false,
          references: { model: 'supplier_bills', key: 'id' },
          onDelete: 'CASCADE',
          onUpdate: 'CASCADE',
        },
        tax_rate_bp: { type: DataTypes.INTEGER, allowNull: false },
        taxable: { type: DataTypes.BIGINT, allowNull: false },
        tax: { type: DataTypes.BIGINT, allowNull: false },
      },
      t,
    );
    await queryInterface.addIndex('supplier_bill_taxes', ['supplier_bill_id'], {
      name: 'supplier_bill_taxes_supplier_bill_id',
      transaction,
    });

    const existing = await sequelize.query<{ id: number }>('SELECT id FROM accounts WHERE code = ?', {
      replacements: [INPUT_TAX.code],
      type: QueryTypes.SELECT,
      transaction,
    });
    if (existing.length === 0) {
      const now = new Date();
      await queryInterface.bulkInsert('accounts', [{ ...INPUT_TAX, is_active: true, created_at: now, updated_at: now }], t);
    }
  },

  async down({ queryInterface, sequelize, transaction }) {
    // The account stays when anything was posted to it (its history is the books').
    await sequelize.query(
      'DELETE FROM accounts WHERE code = ? AND NOT EXISTS (SELECT 1 FROM journal_lines l WHERE l.account_id = accounts.id)',
      { replacements: [INPUT_TAX.code], transaction },
    );
    await queryInterface.dropTable('supplier_bill_taxes', { transaction });
    await dropColumn(queryInterface, sequelize, 'supplier_bills', 'tax', transaction);
    await dropColumn(queryInterface, sequelize, 'purchase_orders', 'tax', transaction);
    for (const column of ['line_tax', 'tax_inclusive', 'tax_rate_bp'])
      await dropColumn(queryInterface, sequelize, 'purchase_order_lines', column, transaction);
  },
};
