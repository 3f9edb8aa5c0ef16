import { DataTypes, QueryTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';
import { frozenDatabaseKey } from './202612070200-tenant-database-key-and-lease';

/**
 * Issue 17: a PostgreSQL database is one tenant's own or a shared database of schema tenants, never
 * both — enforced by the registry's data, not by a check before the insert (two creations at the same
 * instant both passed it). `tenant_databases` has one row per PostgreSQL database that tenants are
 * placed in, keyed (primary key: a unique index) by the database's identity however it is spelled, with
 * its kind (`whole` or `schemas`) and how many tenants of that kind it holds. Placing a tenant is one
 * conditional UPDATE of that row in the tenant row's transaction (same kind, or no tenants left:
 * count + 1); removing one counts down. Backfill: each database takes the kind of its oldest tenant
 * and counts the tenants of that kind (a database already holding both — possible before — keeps
 * its first kind; the others are left uncounted rather than failing the migration).
 */
export const tenantDatabases: MigrationDefinition = {
  name: '202612071400-tenant-databases',

  async up({ queryInterface, sequelize, transaction }) {
    await queryInterface.createTable(
      'tenant_databases',
      {
        db_key: { type: DataTypes.STRING(600), primaryKey: true, allowNull: false },
        kind: { type: DataTypes.STRING(16), allowNull: false },
        tenants: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      },
      { transaction },
    );
    const rows = await sequelize.query<{ db_host: string | null; db_port: number | null; db_name: string; db_schema: string | null }>(
      "SELECT db_host, db_port, db_name, db_schema FROM tenants WHERE db_engine = 'postgres' ORDER BY id",
      { type: QueryTypes.SELECT, transaction },
    );
    const databases = new Map<string, { kind: string; tenants: number }>();
    for (const row of rows) {
      const key = frozenDatabaseKey('postgres', row.db_host, row.db_port, row.db_name);
      const kind = row.db_schema ? 'schemas' : 'whole';
      const database = databases.get(key) ?? { kind, tenants: 0 };
      if (database.kind === kind) database.tenants++;
      databases.set(key, database);
    }
    if (databases.size > 0) {
      await queryInterface.bulkInsert(
        'tenant_databases',
        [...databases].map(([db_key, d]) => ({ db_key, kind: d.kind, tenants: d.tenants })),
        { transaction },
      );
    }
  },

  async down({ queryInterface, transaction }) {
    await queryInterface.dropTable('tenant_databases', { transaction });
  },
};
