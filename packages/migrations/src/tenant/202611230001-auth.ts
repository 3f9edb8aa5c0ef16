import { DataTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';

/** Users, groups, permissions, their links and sessions (packages/models/src/auth). */
export const auth: MigrationDefinition = {
  name: '202611230001-auth',

  async up({ queryInterface, transaction }) {
    const id = () => ({ type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false });
    const timestamp = () => ({ type: DataTypes.DATE, allowNull: false });

    await queryInterface.createTable(
      'users',
      {
        id: id(),
        username: { type: DataTypes.STRING(150), allowNull: false },
        email: { type: DataTypes.STRING(254), allowNull: false },
        password_hash: { type: DataTypes.STRING(255), allowNull: false },
        first_name: { type: DataTypes.STRING(150), allowNull: false, defaultValue: '' },
        last_name: { type: DataTypes.STRING(150), allowNull: false, defaultValue: '' },
        is_active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        is_superuser: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        must_change_password: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        last_login_at: { type: DataTypes.DATE, allowNull: true },
        created_at: timestamp(),
        updated_at: timestamp(),
      },
      { transaction },
    );
    await queryInterface.addIndex('users', ['username'], { name: 'users_username_unique', unique: true, transaction });
    await queryInterface.addIndex('users', ['email'], { name: 'users_email', transaction });

    await queryInterface.createTable(
      'auth_groups',
      {
        id: id(),
        name: { type: DataTypes.STRING(150), allowNull: false },
      },
      { transaction },
    );
    await queryInterface.addIndex('auth_groups', ['name'], { name: 'auth_groups_name_unique', unique: true, transaction });

    await queryInterface.createTable(
      'auth_permissions',
      {
        id: id(),
        codename: { type: DataTypes.STRING(100), allowNull: false },
        name: { type: DataTypes.STRING(255), allowNull: false },
      },
      { transaction },
    );
    await queryInterface.addIndex('auth_permissions', ['codename'], {
      name: 'auth_permissions_codename_unique',
      unique: true,
      transaction,
    });

    const cascadeTo = (table: string) => ({
      type: DataTypes.INTEGER,
      allowNull: false,
      primaryKey: true,
      references: { model: table, key: 'id' },
      onDelete: 'CASCADE',
      onUpdate: 'CASCADE',
    });

    await queryInterface.createTable('user_groups', { user_id: cascadeTo('users'), group_id: cascadeTo('auth_groups') }, { transaction });
    await queryInterface.addIndex('user_groups', ['group_id'], { name: 'user_groups_group_id', transaction });

    await queryInterface.createTable(
      'group_permissions',
      { group_id: cascadeTo('auth_groups'), permission_id: cascadeTo('auth_permissions') },
      { transaction },
    );
    await queryInterface.addIndex('group_permissions', ['permission_id'], {
      name: 'group_permissions_permission_id',
      transaction,
    });

    await queryInterface.createTable(
      'sessions',
      {
        id: id(),
        token_hash: { type: DataTypes.STRING(128), allowNull: false },
        user_id: {
          type: DataTypes.INTEGER,
          allowNull: false,
          references: { model: 'users', key: 'id' },
          onDelete: 'CASCADE',
          onUpdate: 'CASCADE',
        },
        expires_at: { type: DataTypes.DATE, allowNull: false },
        created_at: timestamp(),
        last_seen_at: { type: DataTypes.DATE, allowNull: true },
        ip: { type: DataTypes.STRING(45), allowNull: true },
        user_agent: { type: DataTypes.STRING(512), allowNull: true },
      },
      { transaction },
    );
    await queryInterface.addIndex('sessions', ['token_hash'], { name: 'sessions_token_hash_unique', unique: true, transaction });
    await queryInterface.addIndex('sessions', ['user_id'], { name: 'sessions_user_id', transaction });
  },

  async down({ queryInterface, transaction }) {
    for (const table of ['sessions', 'group_permissions', 'user_groups', 'auth_permissions', 'auth_groups', 'users']) {
      await queryInterface.dropTable(table, { transaction });
    }
  },
};
