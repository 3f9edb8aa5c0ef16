import { DataTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';

/**
 * The registry's change feed for registries without LISTEN/NOTIFY (SQLite, MySQL/MariaDB): every
 * change to a tenant made by one API process is appended here, and the others poll for rows after the
 * last id they saw (tenancy's `registry/change-feed.ts`). Rows are pruned after a few minutes.
 */
export const registryChanges: MigrationDefinition = {
  name: '202612070400-registry-changes',

  async up({ queryInterface, transaction }) {
    await queryInterface.createTable(
      'registry_changes',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
        origin: { type: DataTypes.STRING(36), allowNull: false },
        kind: { type: DataTypes.STRING(32), allowNull: false },
        tenant_id: { type: DataTypes.INTEGER, allowNull: false },
        slug: { type: DataTypes.STRING(63), allowNull: false },
        domain: { type: DataTypes.STRING(253), allowNull: true },
        keep_connections: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        created_at: { type: DataTypes.DATE, allowNull: false },
      },
      { transaction },
    );
    await queryInterface.addIndex('registry_changes', ['created_at'], { name: 'registry_changes_created_at', transaction });
  },

  async down({ queryInterface, transaction }) {
    await queryInterface.dropTable('registry_changes', { transaction });
  },
};
