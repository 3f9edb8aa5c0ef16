import { DataTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';

/**
 * Tenant servers (placement): the database servers new tenants are spread over, each with an engine,
 * its connection (password encrypted like tenants' database passwords), a capacity in tenants and a
 * state (open, draining, full). `tenants.server_id` records which server a tenant's database is on
 * (null: a database given by URL, a SQLite file, or a tenant created before servers were registered).
 */
export const tenantServers: MigrationDefinition = {
  name: '202612070800-tenant-servers',

  async up({ queryInterface, transaction }) {
    await queryInterface.createTable(
      'tenant_servers',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
        name: { type: DataTypes.STRING(63), allowNull: false, unique: true },
        engine: { type: DataTypes.STRING(16), allowNull: false },
        host: { type: DataTypes.STRING(255), allowNull: false },
        port: { type: DataTypes.INTEGER, allowNull: false },
        user: { type: DataTypes.STRING(128), allowNull: true },
        password_encrypted: { type: DataTypes.TEXT, allowNull: true },
        maintenance_database: { type: DataTypes.STRING(255), allowNull: true },
        capacity: { type: DataTypes.INTEGER, allowNull: false },
        state: { type: DataTypes.STRING(16), allowNull: false },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      { transaction },
    );
    await queryInterface.addColumn('tenants', 'server_id', { type: DataTypes.INTEGER, allowNull: true }, { transaction });
    await queryInterface.addIndex('tenants', ['server_id', 'slug'], { name: 'tenants_server_id_slug', transaction });
  },

  async down({ queryInterface, transaction }) {
    await queryInterface.removeIndex('tenants', 'tenants_server_id_slug', { transaction });
    await queryInterface.removeColumn('tenants', 'server_id', { transaction });
    await queryInterface.dropTable('tenant_servers', { transaction });
  },
};
