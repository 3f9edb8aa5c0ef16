import { DataTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';
import { grantPermissions, revokePermissions, type GrantedPermission } from './grant-permissions';

const PERMISSIONS: readonly GrantedPermission[] = (['view', 'add', 'change', 'delete'] as const).map((action) => ({
  codename: `sales.${action}_credit_note`,
  name: `Can ${action} credit note`,
  groups: ['Admin', 'Managers'],
}));

/**
 * Credit notes and their lines (packages/models/src/sales/credit-notes.ts), and the part of each
 * invoice settled by credit notes (`invoices.amount_credited`). Managers may credit; cashiers may not.
 */
export const creditNotes: MigrationDefinition = {
  name: '202612070300-credit-notes',

  async up(ctx) {
    const { queryInterface, transaction } = ctx;
    const id = () => ({ type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false });
    const fk = (table: string, allowNull: boolean, onDelete: 'CASCADE' | 'RESTRICT') => ({
      type: DataTypes.INTEGER,
      allowNull,
      references: { model: table, key: 'id' },
      onDelete,
      onUpdate: 'CASCADE',
    });
    const bigint = () => ({ type: DataTypes.BIGINT, allowNull: false });
    const index = (table: string, fields: string[], name: string, unique = false) =>
      queryInterface.addIndex(table, fields, { name, unique, transaction });

    await queryInterface.addColumn(
      'invoices',
      'amount_credited',
      { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      { transaction },
    );
    await queryInterface.createTable(
      'credit_notes',
      {
        id: id(),
        number: { type: DataTypes.STRING(32), allowNull: false },
        invoice_id: fk('invoices', false, 'RESTRICT'),
        issue_date: { type: DataTypes.DATEONLY, allowNull: false },
        subtotal: bigint(),
        tax: bigint(),
        total: bigint(),
        applied: bigint(),
        refunded: bigint(),
        refund_method: { type: DataTypes.STRING(10), allowNull: true },
        reason: { type: DataTypes.STRING(200), allowNull: true },
        created_by: fk('users', false, 'RESTRICT'),
        created_at: { type: DataTypes.DATE, allowNull: false },
      },
      { transaction },
    );
    await index('credit_notes', ['number'], 'credit_notes_number_unique', true);
    await index('credit_notes', ['invoice_id'], 'credit_notes_invoice_id');
    await index('credit_notes', ['issue_date'], 'credit_notes_issue_date');
    await index('credit_notes', ['created_by'], 'credit_notes_created_by');

    await queryInterface.createTable(
      'credit_note_lines',
      {
        id: id(),
        credit_note_id: fk('credit_notes', false, 'CASCADE'),
        invoice_line_id: fk('invoice_lines', false, 'RESTRICT'),
        product_id: fk('products', true, 'RESTRICT'),
        description: { type: DataTypes.STRING(255), allowNull: false },
        quantity: bigint(),
        tax_rate_bp: { type: DataTypes.INTEGER, allowNull: false },
        line_subtotal: bigint(),
        line_tax: bigint(),
        line_total: bigint(),
        cost_amount: { type: DataTypes.BIGINT, allowNull: true },
      },
      { transaction },
    );
    await index('credit_note_lines', ['credit_note_id'], 'credit_note_lines_credit_note_id');
    await index('credit_note_lines', ['invoice_line_id'], 'credit_note_lines_invoice_line_id');
    await index('credit_note_lines', ['product_id'], 'credit_note_lines_product_id');
    await grantPermissions(ctx, PERMISSIONS);
  },

  async down(ctx) {
    const { queryInterface, transaction } = ctx;
    await revokePermissions(
      ctx,
      PERMISSIONS.map((p) => p.codename),
    );
    await queryInterface.dropTable('credit_note_lines', { transaction });
    await queryInterface.dropTable('credit_notes', { transaction });
    await queryInterface.removeColumn('invoices', 'amount_credited', { transaction });
  },
};
