import { DataTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';

/**
 * The `postgres-schema` placement (issue 17): a tenant may be one schema (`t_<slug>`) of a shared
 * PostgreSQL database. `db_schema` names it (null: the tenant is the whole database). The unique
 * `db_key` of such a tenant names the schema too (`postgres:host:port/db/t_slug`), so a schema belongs
 * to one tenant while many tenants share the database. Existing rows have no schema: nothing to backfill.
 */
export const tenantDatabaseSchema: MigrationDefinition = {
  name: '202612070730-tenant-database-schema',

  async up({ queryInterface, transaction }) {
    await queryInterface.addColumn('tenants', 'db_schema', { type: DataTypes.STRING(63), allowNull: true }, { transaction });
  },

  async down({ queryInterface, transaction }) {
    await queryInterface.removeColumn('tenants', 'db_schema', { transaction });
  },
};
