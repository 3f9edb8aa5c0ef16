import { DataTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';

/**
 * The control plane: tenants (where each tenant's database lives), their custom domains, platform
 * admins and their sessions, and the operations audit log. Columns match
 * packages/tenancy/src/registry/models.ts exactly.
 */
export const createRegistry: MigrationDefinition = {
  name: '202611231900-create-registry',

  async up({ queryInterface, transaction }) {
    const now = { type: DataTypes.DATE, allowNull: false };

    await queryInterface.createTable(
      'tenants',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
        slug: { type: DataTypes.STRING(63), allowNull: false, unique: true },
        name: { type: DataTypes.STRING(200), allowNull: false },
        admin_email: { type: DataTypes.STRING(254), allowNull: false },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'provisioning' },
        suspended_reason: { type: DataTypes.STRING(500), allowNull: true },
        max_users: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 50 },
        multi_location: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        trial_ends_at: { type: DataTypes.DATE, allowNull: true },
        paid_until: { type: DataTypes.DATE, allowNull: true },
        db_engine: { type: DataTypes.STRING(16), allowNull: false },
        db_host: { type: DataTypes.STRING(255), allowNull: true },
        db_port: { type: DataTypes.INTEGER, allowNull: true },
        db_name: { type: DataTypes.STRING(255), allowNull: false },
        db_user: { type: DataTypes.STRING(128), allowNull: true },
        db_password_encrypted: { type: DataTypes.TEXT, allowNull: true },
        db_managed: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        schema_version: { type: DataTypes.STRING(255), allowNull: true },
        version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        created_at: now,
        updated_at: now,
      },
      { transaction },
    );

    await queryInterface.createTable(
      'tenant_domains',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
        tenant_id: {
          type: DataTypes.INTEGER,
          allowNull: false,
          references: { model: 'tenants', key: 'id' },
          onDelete: 'CASCADE',
          onUpdate: 'CASCADE',
        },
        domain: { type: DataTypes.STRING(253), allowNull: false, unique: true },
        is_primary: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        created_at: now,
      },
      { transaction },
    );
    await queryInterface.addIndex('tenant_domains', ['tenant_id'], { name: 'tenant_domains_tenant_id', transaction });

    await queryInterface.createTable(
      'platform_admins',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
        username: { type: DataTypes.STRING(150), allowNull: false, unique: true },
        email: { type: DataTypes.STRING(254), allowNull: false, unique: true },
        password_hash: { type: DataTypes.STRING(255), allowNull: false },
        must_change_password: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        is_active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        last_login_at: { type: DataTypes.DATE, allowNull: true },
        created_at: now,
        updated_at: now,
      },
      { transaction },
    );

    await queryInterface.createTable(
      'platform_sessions',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
        token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        admin_id: {
          type: DataTypes.INTEGER,
          allowNull: false,
          references: { model: 'platform_admins', key: 'id' },
          onDelete: 'CASCADE',
          onUpdate: 'CASCADE',
        },
        expires_at: { type: DataTypes.DATE, allowNull: false },
        last_seen_at: { type: DataTypes.DATE, allowNull: false },
        ip: { type: DataTypes.STRING(64), allowNull: true },
        user_agent: { type: DataTypes.STRING(500), allowNull: true },
        created_at: now,
      },
      { transaction },
    );
    await queryInterface.addIndex('platform_sessions', ['admin_id'], { name: 'platform_sessions_admin_id', transaction });
    await queryInterface.addIndex('platform_sessions', ['expires_at'], { name: 'platform_sessions_expires_at', transaction });

    await queryInterface.createTable(
      'operations',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
        run_id: { type: DataTypes.STRING(36), allowNull: false },
        tenant_id: { type: DataTypes.INTEGER, allowNull: true },
        tenant_slug: { type: DataTypes.STRING(63), allowNull: true },
        action: { type: DataTypes.STRING(64), allowNull: false },
        step: { type: DataTypes.STRING(64), allowNull: true },
        outcome: { type: DataTypes.STRING(16), allowNull: false },
        actor: { type: DataTypes.STRING(200), allowNull: false },
        details: { type: DataTypes.TEXT, allowNull: false },
        error: { type: DataTypes.TEXT, allowNull: true },
        duration_ms: { type: DataTypes.INTEGER, allowNull: true },
        created_at: now,
      },
      { transaction },
    );
    await queryInterface.addIndex('operations', ['tenant_slug', 'id'], { name: 'operations_tenant_slug_id', transaction });
    await queryInterface.addIndex('operations', ['action', 'id'], { name: 'operations_action_id', transaction });
    await queryInterface.addIndex('operations', ['run_id'], { name: 'operations_run_id', transaction });
  },

  async down({ queryInterface, transaction }) {
    await queryInterface.dropTable('operations', { transaction });
    await queryInterface.dropTable('platform_sessions', { transaction });
    await queryInterface.dropTable('platform_admins', { transaction });
    await queryInterface.dropTable('tenant_domains', { transaction });
    await queryInterface.dropTable('tenants', { transaction });
  },
};
