import { DataTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';
import { dropColumn } from './column-types';
import { grantPermissions, revokePermissions, type GrantedPermission } from './grant-permissions';

const PERMISSIONS: readonly GrantedPermission[] = [
  ...(['view', 'add', 'change', 'delete'] as const).map((action) => ({
    codename: `sales.${action}_quote`,
    name: `Can ${action} quote`,
    groups: ['Admin', 'Managers'],
  })),
  { codename: 'sales.give_discount', name: 'Can give discounts on invoices and quotes', groups: ['Admin', 'Managers'] },
];

/**
 * Discounts per line and per invoice, tax-inclusive lines (packages/contracts/src/rules/pricing.ts
 * priceLines) and quotes that turn into invoices (sales/quotes.ts). Existing invoices have no
 * discount and exclusive tax, which the defaults say. Managers quote and discount; cashiers do not.
 */
export const discountsAndQuotes: MigrationDefinition = {
  name: '202612070330-discounts-and-quotes',

  async up(ctx) {
    const { queryInterface, transaction } = ctx;
    const t = { transaction };
    const cents = () => ({ type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 });
    const bp = () => ({ type: DataTypes.INTEGER, allowNull: true });
    const id = () => ({ type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false });
    const fk = (table: string, allowNull: boolean, onDelete: 'CASCADE' | 'RESTRICT' | 'SET NULL') => ({
      type: DataTypes.INTEGER,
      allowNull,
      references: { model: table, key: 'id' },
      onDelete,
      onUpdate: 'CASCADE',
    });
    const index = (table: string, fields: string[], name: string, unique = false) =>
      queryInterface.addIndex(table, fields, { name, unique, transaction });

    await queryInterface.addColumn('invoice_lines', 'tax_inclusive', { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false }, t);
    await queryInterface.addColumn('invoice_lines', 'discount_bp', bp(), t);
    await queryInterface.addColumn('invoice_lines', 'discount_amount', cents(), t);
    await queryInterface.addColumn('invoice_lines', 'invoice_discount', cents(), t);
    await queryInterface.addColumn('invoices', 'discount_bp', bp(), t);
    await queryInterface.addColumn('invoices', 'discount_amount', cents(), t);
    await queryInterface.addColumn('invoices', 'discount_total', cents(), t);

    await queryInterface.createTable(
      'quotes',
      {
        id: id(),
        number: { type: DataTypes.STRING(32), allowNull: false },
        location_id: fk('locations', false, 'RESTRICT'),
        customer_id: fk('customers', true, 'SET NULL'),
        status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'open' },
        issue_date: { type: DataTypes.DATEONLY, allowNull: false },
        valid_until: { type: DataTypes.DATEONLY, allowNull: false },
        discount_bp: bp(),
        discount_amount: cents(),
        discount_total: cents(),
        subtotal: cents(),
        tax: cents(),
        total: cents(),
        notes: { type: DataTypes.TEXT, allowNull: true },
        // Not a foreign key: invoices.quote_id is, and a cycle would leave backups no restore order.
        invoice_id: { type: DataTypes.INTEGER, allowNull: true },
        created_by: fk('users', false, 'RESTRICT'),
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      t,
    );
    await index('quotes', ['number'], 'quotes_number_unique', true);
    await index('quotes', ['issue_date'], 'quotes_issue_date');
    await index('quotes', ['status'], 'quotes_status');
    await index('quotes', ['location_id'], 'quotes_location_id');
    await index('quotes', ['customer_id'], 'quotes_customer_id');
    await index('quotes', ['invoice_id'], 'quotes_invoice_id');
    await index('quotes', ['created_by'], 'quotes_created_by');

    await queryInterface.createTable(
      'quote_lines',
      {
        id: id(),
        quote_id: fk('quotes', false, 'CASCADE'),
        product_id: fk('products', true, 'RESTRICT'),
        description: { type: DataTypes.STRING(255), allowNull: false },
        quantity: { type: DataTypes.BIGINT, allowNull: false },
        unit_price: { type: DataTypes.BIGINT, allowNull: false },
        tax_rate_bp: { type: DataTypes.INTEGER, allowNull: false },
        tax_inclusive: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        discount_bp: bp(),
        discount_amount: cents(),
        invoice_discount: cents(),
        line_subtotal: { type: DataTypes.BIGINT, allowNull: false },
        line_tax: { type: DataTypes.BIGINT, allowNull: false },
        line_total: { type: DataTypes.BIGINT, allowNull: false },
      },
      t,
    );
    await index('quote_lines', ['quote_id'], 'quote_lines_quote_id');
    await index('quote_lines', ['product_id'], 'quote_lines_product_id');

    await queryInterface.addColumn('invoices', 'quote_id', fk('quotes', true, 'RESTRICT'), t);
    await index('invoices', ['quote_id'], 'invoices_quote_id');
    await grantPermissions(ctx, PERMISSIONS);
  },

  async down(ctx) {
    const { queryInterface, sequelize, transaction } = ctx;
    await revokePermissions(
      ctx,
      PERMISSIONS.map((p) => p.codename),
    );
    await dropColumn(queryInterface, sequelize, 'invoices', 'quote_id', transaction, ['invoices_quote_id']);
    await queryInterface.dropTable('quote_lines', { transaction });
    await queryInterface.dropTable('quotes', { transaction });
    for (const column of ['discount_total', 'discount_amount', 'discount_bp'])
      await dropColumn(queryInterface, sequelize, 'invoices', column, transaction);
    for (const column of ['invoice_discount', 'discount_amount', 'discount_bp', 'tax_inclusive'])
      await dropColumn(queryInterface, sequelize, 'invoice_lines', column, transaction);
  },
};
