import { DataTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';

/**
 * Purchasing (issue 13): suppliers, purchase orders and their lines (quantities in thousandths, unit
 * costs in cents), supplier bills and supplier payments (packages/models/src/purchasing). Their
 * permissions were granted with 202612070240-inventory-valuation.
 */
export const purchasing: MigrationDefinition = {
  name: '202612070250-purchasing',

  async up({ queryInterface, transaction }) {
    const id = () => ({ type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false });
    const timestamp = () => ({ type: DataTypes.DATE, allowNull: false });
    const fk = (table: string, allowNull: boolean, onDelete: 'CASCADE' | 'RESTRICT') => ({
      type: DataTypes.INTEGER,
      allowNull,
      references: { model: table, key: 'id' },
      onDelete,
      onUpdate: 'CASCADE',
    });
    const bigint = (defaultValue?: number) => ({
      type: DataTypes.BIGINT,
      allowNull: false,
      ...(defaultValue === undefined ? {} : { defaultValue }),
    });
    const index = (table: string, fields: string[], name: string, unique = false) =>
      queryInterface.addIndex(table, fields, { name, unique, transaction });

    await queryInterface.createTable(
      'suppliers',
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
    await index('suppliers', ['name'], 'suppliers_name');
    await index('suppliers', ['email'], 'suppliers_email');

    await queryInterface.createTable(
      'purchase_orders',
      {
        id: id(),
        number: { type: DataTypes.STRING(32), allowNull: false },
        supplier_id: fk('suppliers', false, 'RESTRICT'),
        location_id: fk('locations', false, 'RESTRICT'),
        status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'ordered' },
        order_date: { type: DataTypes.DATEONLY, allowNull: false },
        expected_date: { type: DataTypes.DATEONLY, allowNull: true },
        total: bigint(),
        notes: { type: DataTypes.TEXT, allowNull: true },
        created_by: fk('users', false, 'RESTRICT'),
        created_at: timestamp(),
        updated_at: timestamp(),
      },
      { transaction },
    );
    await index('purchase_orders', ['number'], 'purchase_orders_number_unique', true);
    await index('purchase_orders', ['supplier_id'], 'purchase_orders_supplier_id');
    await index('purchase_orders', ['location_id'], 'purchase_orders_location_id');
    await index('purchase_orders', ['created_by'], 'purchase_orders_created_by');

    await queryInterface.createTable(
      'purchase_order_lines',
      {
        id: id(),
        purchase_order_id: fk('purchase_orders', false, 'CASCADE'),
        product_id: fk('products', false, 'RESTRICT'),
        quantity: bigint(),
        quantity_received: bigint(0),
        unit_cost: bigint(),
        line_total: bigint(),
      },
      { transaction },
    );
    await index('purchase_order_lines', ['purchase_order_id'], 'purchase_order_lines_purchase_order_id');
    await index('purchase_order_lines', ['product_id'], 'purchase_order_lines_product_id');

    await queryInterface.createTable(
      'supplier_bills',
      {
        id: id(),
        number: { type: DataTypes.STRING(32), allowNull: false },
        supplier_reference: { type: DataTypes.STRING(100), allowNull: true },
        supplier_id: fk('suppliers', false, 'RESTRICT'),
        purchase_order_id: fk('purchase_orders', true, 'RESTRICT'),
        account_id: fk('accounts', true, 'RESTRICT'),
        status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'open' },
        bill_date: { type: DataTypes.DATEONLY, allowNull: false },
        due_date: { type: DataTypes.DATEONLY, allowNull: true },
        total: bigint(),
        amount_paid: bigint(0),
        description: { type: DataTypes.STRING(255), allowNull: true },
        created_by: fk('users', false, 'RESTRICT'),
        created_at: timestamp(),
        updated_at: timestamp(),
      },
      { transaction },
    );
    await index('supplier_bills', ['number'], 'supplier_bills_number_unique', true);
    await index('supplier_bills', ['supplier_id'], 'supplier_bills_supplier_id');
    await index('supplier_bills', ['purchase_order_id'], 'supplier_bills_purchase_order_id');
    await index('supplier_bills', ['account_id'], 'supplier_bills_account_id');
    await index('supplier_bills', ['created_by'], 'supplier_bills_created_by');

    await queryInterface.createTable(
      'supplier_payments',
      {
        id: id(),
        supplier_bill_id: fk('supplier_bills', false, 'RESTRICT'),
        amount: bigint(),
        paid_from_account_id: fk('accounts', false, 'RESTRICT'),
        payment_date: { type: DataTypes.DATEONLY, allowNull: false },
        reference: { type: DataTypes.STRING(100), allowNull: true },
        created_by: fk('users', false, 'RESTRICT'),
        created_at: timestamp(),
      },
      { transaction },
    );
    await index('supplier_payments', ['supplier_bill_id'], 'supplier_payments_supplier_bill_id');
    await index('supplier_payments', ['paid_from_account_id'], 'supplier_payments_paid_from_account_id');
    await index('supplier_payments', ['created_by'], 'supplier_payments_created_by');
  },

  async down({ queryInterface, transaction }) {
    for (const table of ['supplier_payments', 'supplier_bills', 'purchase_order_lines', 'purchase_orders', 'suppliers']) {
      await queryInterface.dropTable(table, { transaction });
    }
  },
};
