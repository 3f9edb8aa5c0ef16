import { DataTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';

/**
 * Locations, customers, products, stock and invoices (packages/models/src/sales). `tax_rates` is an
 * accounting table created here because products reference it.
 * Amounts are integer cents: INTEGER for one unit's price, BIGINT for anything that adds up.
 */
export const sales: MigrationDefinition = {
  name: '202611230002-sales',

  async up({ queryInterface, transaction }) {
    const id = () => ({ type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false });
    const timestamp = () => ({ type: DataTypes.DATE, allowNull: false });
    const fk = (table: string, allowNull: boolean, onDelete: 'CASCADE' | 'RESTRICT' | 'SET NULL') => ({
      type: DataTypes.INTEGER,
      allowNull,
      references: { model: table, key: 'id' },
      onDelete,
      onUpdate: 'CASCADE',
    });
    const cents = (defaultValue?: number) => ({
      type: DataTypes.BIGINT,
      allowNull: false,
      ...(defaultValue === undefined ? {} : { defaultValue }),
    });
    const index = (table: string, fields: string[], name: string, unique = false) =>
      queryInterface.addIndex(table, fields, { name, unique, transaction });

    await queryInterface.createTable(
      'tax_rates',
      {
        id: id(),
        code: { type: DataTypes.STRING(20), allowNull: false },
        name: { type: DataTypes.STRING(100), allowNull: false },
        rate_bp: { type: DataTypes.INTEGER, allowNull: false },
        is_active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        created_at: timestamp(),
        updated_at: timestamp(),
      },
      { transaction },
    );
    await index('tax_rates', ['code'], 'tax_rates_code_unique', true);

    await queryInterface.createTable(
      'locations',
      {
        id: id(),
        code: { type: DataTypes.STRING(32), allowNull: false },
        name: { type: DataTypes.STRING(150), allowNull: false },
        address: { type: DataTypes.TEXT, allowNull: true },
        is_active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        created_at: timestamp(),
        updated_at: timestamp(),
      },
      { transaction },
    );
    await index('locations', ['code'], 'locations_code_unique', true);

    await queryInterface.createTable(
      'customers',
      {
        id: id(),
        name: { type: DataTypes.STRING(200), allowNull: false },
        email: { type: DataTypes.STRING(254), allowNull: true },
        phone: { type: DataTypes.STRING(50), allowNull: true },
        tax_number: { type: DataTypes.STRING(50), allowNull: true },
        address: { type: DataTypes.TEXT, allowNull: true },
        is_active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        created_at: timestamp(),
        updated_at: timestamp(),
      },
      { transaction },
    );
    await index('customers', ['name'], 'customers_name');

    await queryInterface.createTable(
      'products',
      {
        id: id(),
        sku: { type: DataTypes.STRING(64), allowNull: false },
        name: { type: DataTypes.STRING(200), allowNull: false },
        description: { type: DataTypes.TEXT, allowNull: true },
        unit_price: { type: DataTypes.INTEGER, allowNull: false },
        cost_price: { type: DataTypes.INTEGER, allowNull: true },
        tax_rate_id: fk('tax_rates', true, 'RESTRICT'),
        allow_negative_stock: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        is_active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        created_at: timestamp(),
        updated_at: timestamp(),
      },
      { transaction },
    );
    await index('products', ['sku'], 'products_sku_unique', true);
    await index('products', ['name'], 'products_name');
    await index('products', ['tax_rate_id'], 'products_tax_rate_id');

    await queryInterface.createTable(
      'stock_levels',
      {
        id: id(),
        product_id: fk('products', false, 'CASCADE'),
        location_id: fk('locations', false, 'CASCADE'),
        quantity: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        updated_at: timestamp(),
      },
      { transaction },
    );
    await index('stock_levels', ['product_id', 'location_id'], 'stock_levels_product_location_unique', true);
    await index('stock_levels', ['location_id'], 'stock_levels_location_id');

    await queryInterface.createTable(
      'stock_movements',
      {
        id: id(),
        product_id: fk('products', false, 'RESTRICT'),
        location_id: fk('locations', false, 'RESTRICT'),
        quantity: { type: DataTypes.INTEGER, allowNull: false },
        reason: { type: DataTypes.STRING(20), allowNull: false },
        reference: { type: DataTypes.STRING(100), allowNull: true },
        created_by: fk('users', true, 'SET NULL'),
        created_at: timestamp(),
      },
      { transaction },
    );
    await index('stock_movements', ['product_id', 'location_id'], 'stock_movements_product_location');
    await index('stock_movements', ['location_id'], 'stock_movements_location_id');
    await index('stock_movements', ['created_by'], 'stock_movements_created_by');

    await queryInterface.createTable(
      'invoices',
      {
        id: id(),
        number: { type: DataTypes.STRING(32), allowNull: false },
        location_id: fk('locations', false, 'RESTRICT'),
        customer_id: fk('customers', true, 'SET NULL'),
        status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'draft' },
        issue_date: { type: DataTypes.DATEONLY, allowNull: false },
        subtotal: cents(0),
        tax: cents(0),
        total: cents(0),
        amount_paid: cents(0),
        created_by: fk('users', false, 'RESTRICT'),
        notes: { type: DataTypes.TEXT, allowNull: true },
        created_at: timestamp(),
        updated_at: timestamp(),
      },
      { transaction },
    );
    await index('invoices', ['number'], 'invoices_number_unique', true);
    await index('invoices', ['issue_date'], 'invoices_issue_date');
    await index('invoices', ['status'], 'invoices_status');
    await index('invoices', ['location_id'], 'invoices_location_id');
    await index('invoices', ['customer_id'], 'invoices_customer_id');
    await index('invoices', ['created_by'], 'invoices_created_by');

    await queryInterface.createTable(
      'invoice_lines',
      {
        id: id(),
        invoice_id: fk('invoices', false, 'CASCADE'),
        product_id: fk('products', true, 'RESTRICT'),
        description: { type: DataTypes.STRING(255), allowNull: false },
        quantity: { type: DataTypes.INTEGER, allowNull: false },
        unit_price: cents(),
        tax_rate_bp: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        line_subtotal: cents(),
        line_tax: cents(0),
        line_total: cents(),
      },
      { transaction },
    );
    await index('invoice_lines', ['invoice_id'], 'invoice_lines_invoice_id');
    await index('invoice_lines', ['product_id'], 'invoice_lines_product_id');

    await queryInterface.createTable(
      'payments',
      {
        id: id(),
        invoice_id: fk('invoices', false, 'RESTRICT'),
        amount: cents(),
        method: { type: DataTypes.STRING(10), allowNull: false },
        received_at: timestamp(),
        reference: { type: DataTypes.STRING(100), allowNull: true },
        created_by: fk('users', false, 'RESTRICT'),
        created_at: timestamp(),
      },
      { transaction },
    );
    await index('payments', ['invoice_id'], 'payments_invoice_id');
    await index('payments', ['received_at'], 'payments_received_at');
    await index('payments', ['created_by'], 'payments_created_by');
  },

  async down({ queryInterface, transaction }) {
    for (const table of [
      'payments',
      'invoice_lines',
      'invoices',
      'stock_movements',
      'stock_levels',
      'products',
      'customers',
      'locations',
      'tax_rates',
    ]) {
      await queryInterface.dropTable(table, { transaction });
    }
  },
};
