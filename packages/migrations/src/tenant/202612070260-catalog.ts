import { DataTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';
import { dropColumn } from './column-types';

/** Catalog (issue 13): product categories, and a product's barcode (unique when set) and category. */
export const catalog: MigrationDefinition = {
  name: '202612070260-catalog',

  async up({ queryInterface, transaction }) {
    await queryInterface.createTable(
      'categories',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
        name: { type: DataTypes.STRING(100), allowNull: false },
        is_active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      { transaction },
    );
    await queryInterface.addIndex('categories', ['name'], { name: 'categories_name_unique', unique: true, transaction });
    await queryInterface.addColumn(
      'products',
      'category_id',
      {
        type: DataTypes.INTEGER,
        allowNull: true,
        references: { model: 'categories', key: 'id' },
        onDelete: 'SET NULL',
        onUpdate: 'CASCADE',
      },
      { transaction },
    );
    await queryInterface.addIndex('products', ['category_id'], { name: 'products_category_id', transaction });
    await queryInterface.addColumn('products', 'barcode', { type: DataTypes.STRING(64), allowNull: true }, { transaction });
    // Unique where set: every engine lets any number of rows hold NULL in a unique index.
    await queryInterface.addIndex('products', ['barcode'], { name: 'products_barcode_unique', unique: true, transaction });
  },

  async down({ queryInterface, sequelize, transaction }) {
    await dropColumn(queryInterface, sequelize, 'products', 'barcode', transaction, ['products_barcode_unique']);
    await dropColumn(queryInterface, sequelize, 'products', 'category_id', transaction, ['products_category_id']);
    await queryInterface.dropTable('categories', { transaction });
  },
};
