import { DataTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';

/** Tax rates that are included in prices (`is_inclusive`), for the tax rates CRUD (packages/models/src/accounting/tax-rates.ts). */
export const accountingTools: MigrationDefinition = {
  name: '202612070200-accounting-tools',

  async up({ queryInterface, transaction }) {
    await queryInterface.addColumn(
      'tax_rates',
      'is_inclusive',
      { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      { transaction },
    );
  },

  async down({ queryInterface, transaction }) {
    await queryInterface.removeColumn('tax_rates', 'is_inclusive', { transaction });
  },
};
