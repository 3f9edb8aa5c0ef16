import { DataTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';
import { dropColumn } from './column-types';

/**
 * Batch numbers and expiry dates (packages/models/src/sales/batches.ts): products opt in
 * (`products.track_batches`); a tracked product's stock at a location is held in batches
 * (`stock_batches`, Σ batches = the stock level) and each of its stock movements names its batch
 * (`stock_movements.batch_id`). Existing products start untracked, so nothing changes for them.
 */
export const stockBatches: MigrationDefinition = {
  name: '202612070400-stock-batches',

  async up({ queryInterface, transaction }) {
    const fk = (table: string, allowNull: boolean) => ({
      type: DataTypes.INTEGER,
      allowNull,
      references: { model: table, key: 'id' },
      onDelete: 'RESTRICT',
      onUpdate: 'CASCADE',
    });
    await queryInterface.addColumn(
      'products',
      'track_batches',
      { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      { transaction },
    );
    await queryInterface.createTable(
      'stock_batches',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
        product_id: fk('products', false),
        location_id: fk('locations', false),
        batch_number: { type: DataTypes.STRING(50), allowNull: false },
        expiry_date: { type: DataTypes.DATEONLY, allowNull: false },
        quantity: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      { transaction },
    );
    await queryInterface.addIndex('stock_batches', ['product_id', 'location_id', 'batch_number'], {
      name: 'stock_batches_product_location_number_unique',
      unique: true,
      transaction,
    });
    await queryInterface.addIndex('stock_batches', ['location_id', 'expiry_date'], { name: 'stock_batches_location_expiry', transaction });
    await queryInterface.addColumn('stock_movements', 'batch_id', fk('stock_batches', true), { transaction });
    await queryInterface.addIndex('stock_movements', ['batch_id'], { name: 'stock_movements_batch_id', transaction });
  },

  async down({ queryInterface, sequelize, transaction }) {
    await dropColumn(queryInterface, sequelize, 'stock_movements', 'batch_id', transaction, ['stock_movements_batch_id']);
    await queryInterface.dropTable('stock_batches', { transaction });
    await dropColumn(queryInterface, sequelize, 'products', 'track_batches', transaction);
  },
};
