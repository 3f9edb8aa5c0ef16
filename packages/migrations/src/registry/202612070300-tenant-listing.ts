import { DataTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';

/**
 * What the tenants list shows without opening any tenant database: the active user count (written
 * when a tenant's users change) and the last health check (written by health checks), plus indexes
 * for the list's filters and sorts at 10,000 tenants (search is a substring match and scans).
 */
export const tenantListing: MigrationDefinition = {
  name: '202612070300-tenant-listing',

  async up({ queryInterface, transaction }) {
    const column = (type: DataTypes.DataType) => ({ type, allowNull: true });
    await queryInterface.addColumn('tenants', 'user_count', column(DataTypes.INTEGER), { transaction });
    await queryInterface.addColumn('tenants', 'health_reachable', column(DataTypes.BOOLEAN), { transaction });
    await queryInterface.addColumn('tenants', 'health_latency_ms', column(DataTypes.DOUBLE), { transaction });
    await queryInterface.addColumn('tenants', 'health_size_bytes', column(DataTypes.BIGINT), { transaction });
    await queryInterface.addColumn('tenants', 'health_error', column(DataTypes.STRING(500)), { transaction });
    await queryInterface.addColumn('tenants', 'health_checked_at', column(DataTypes.DATE), { transaction });
    for (const [name, fields] of TENANT_LIST_INDEXES) await queryInterface.addIndex('tenants', fields, { name, transaction });
  },

  async down({ queryInterface, transaction }) {
    for (const [name] of TENANT_LIST_INDEXES) await queryInterface.removeIndex('tenants', name, { transaction });
    for (const c of ['health_checked_at', 'health_error', 'health_size_bytes', 'health_latency_ms', 'health_reachable', 'user_count']) {
      await queryInterface.removeColumn('tenants', c, { transaction });
    }
  },
};

/** Filter columns lead, slug follows so a filtered page is read in slug order from the index. */
const TENANT_LIST_INDEXES: readonly [string, string[]][] = [
  ['tenants_status_slug', ['status', 'slug']],
  ['tenants_db_engine_slug', ['db_engine', 'slug']],
  ['tenants_db_host_slug', ['db_host', 'slug']],
  ['tenants_created_at', ['created_at']],
  ['tenants_user_count', ['user_count']],
];
