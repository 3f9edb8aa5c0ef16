import { DataTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';

/**
 * The locations a user may sell at (packages/models/src/auth/user-locations.ts): no rows = every
 * location, so existing users keep what they could do; an admin restricts a cashier to some.
 */
export const userLocations: MigrationDefinition = {
  name: '202612070220-user-locations',

  async up({ queryInterface, transaction }) {
    const cascadeTo = (table: string) => ({
      type: DataTypes.INTEGER,
      allowNull: false,
      primaryKey: true,
      references: { model: table, key: 'id' },
      onDelete: 'CASCADE',
      onUpdate: 'CASCADE',
    });
    await queryInterface.createTable(
      'user_locations',
      { user_id: cascadeTo('users'), location_id: cascadeTo('locations') },
      { transaction },
    );
    await queryInterface.addIndex('user_locations', ['location_id'], { name: 'user_locations_location_id', transaction });
  },

  async down({ queryInterface, transaction }) {
    await queryInterface.dropTable('user_locations', { transaction });
  },
};
