import { DataTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';

/**
 * The API processes alive on this registry, each renewing its row's heartbeat (tenancy's
 * `process-census.ts`): a shared per-server connection budget is divided by how many there are.
 * Rows whose heartbeat stopped are deleted by whichever process sees them first.
 */
export const apiProcesses: MigrationDefinition = {
  name: '202612071100-api-processes',

  async up({ queryInterface, transaction }) {
    await queryInterface.createTable(
      'api_processes',
      {
        id: { type: DataTypes.STRING(36), primaryKey: true, allowNull: false },
        started_at: { type: DataTypes.DATE, allowNull: false },
        heartbeat_at: { type: DataTypes.DATE, allowNull: false },
      },
      { transaction },
    );
    await queryInterface.addIndex('api_processes', ['heartbeat_at'], { name: 'api_processes_heartbeat_at', transaction });
  },

  async down({ queryInterface, transaction }) {
    await queryInterface.dropTable('api_processes', { transaction });
  },
};
