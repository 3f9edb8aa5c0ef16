import { DataTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';

/**
 * Sign-in attempts per throttle key (an account or a client address of a tenant or of the platform),
 * shared by every API process on this registry: the API's RegistryAttemptStore. Times are epoch
 * milliseconds; a row is one key's current window.
 */
export const signInAttempts: MigrationDefinition = {
  name: '202612070100-sign-in-attempts',

  async up({ queryInterface, transaction }) {
    await queryInterface.createTable(
      'sign_in_attempts',
      {
        throttle_key: { type: DataTypes.STRING(400), primaryKey: true, allowNull: false },
        window_started_at: { type: DataTypes.BIGINT, allowNull: false },
        failures: { type: DataTypes.INTEGER, allowNull: false },
      },
      { transaction },
    );
  },

  async down({ queryInterface, transaction }) {
    await queryInterface.dropTable('sign_in_attempts', { transaction });
  },
};
