import { DataTypes, QueryTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';

/**
 * Issue 10 items 1 and 8.
 * - `tenants.db_key`: the tenant database's identity however it is spelled, under a unique index —
 *   the registry itself refuses a second tenant on one database (a check before the insert raced).
 *   Nullable only so that it can be added to a filled table; the registry always writes it.
 * - `tenants.provisioning_owner` / `provisioning_lease_until`: which process is creating the tenant
 *   (`host:pid:token`) and until when its lease runs (renewed while it works), so a retry can tell a
 *   crashed creator from a live one at once instead of after a ten-minute stale window.
 */
export const tenantDatabaseKeyAndLease: MigrationDefinition = {
  name: '202612070200-tenant-database-key-and-lease',

  async up({ queryInterface, sequelize, transaction }) {
    await queryInterface.addColumn('tenants', 'db_key', { type: DataTypes.STRING(600), allowNull: true }, { transaction });
    await queryInterface.addColumn('tenants', 'provisioning_owner', { type: DataTypes.STRING(255), allowNull: true }, { transaction });
    await queryInterface.addColumn('tenants', 'provisioning_lease_until', { type: DataTypes.DATE, allowNull: true }, { transaction });

    // Backfill, oldest tenant first; a later tenant already sharing a database keeps NULL (reported
    // by check-tenants) rather than failing the migration and with it every process.
    const rows = await sequelize.query<{ id: number; db_engine: string; db_host: string | null; db_port: number | null; db_name: string }>(
      'SELECT id, db_engine, db_host, db_port, db_name FROM tenants ORDER BY id',
      { type: QueryTypes.SELECT, transaction },
    );
    const seen = new Set<string>();
    for (const row of rows) {
      const key = frozenDatabaseKey(row.db_engine, row.db_host, row.db_port, row.db_name);
      if (seen.has(key)) continue;
      seen.add(key);
      await sequelize.query('UPDATE tenants SET db_key = :key WHERE id = :id', { replacements: { key, id: row.id }, transaction });
    }
    await queryInterface.addIndex('tenants', ['db_key'], { name: 'tenants_db_key', unique: true, transaction });
  },

  async down({ queryInterface, transaction }) {
    await queryInterface.removeIndex('tenants', 'tenants_db_key', { transaction });
    await queryInterface.removeColumn('tenants', 'provisioning_lease_until', { transaction });
    await queryInterface.removeColumn('tenants', 'provisioning_owner', { transaction });
    await queryInterface.removeColumn('tenants', 'db_key', { transaction });
  },
};

/** tenancy's `databaseKey` as it was when this migration was written (a migration must not change later). */
export function frozenDatabaseKey(engine: string, host: string | null, port: number | null, name: string): string {
  if (engine === 'sqlite') {
    const parts: string[] = [];
    for (const part of name.replace(/\\/g, '/').split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..' && parts.length > 0 && parts.at(-1) !== '..') parts.pop();
      else parts.push(part);
    }
    return `sqlite:${name.startsWith('/') ? '/' : ''}${parts.join('/')}`;
  }
  let h = (host ?? '127.0.0.1').trim().toLowerCase().replace(/\.$/, '');
  if (['localhost', '127.0.0.1', '::1', '[::1]', 'ip6-localhost', 'localhost.localdomain', ''].includes(h)) h = '127.0.0.1';
  return `${engine}:${h}:${port ?? (engine === 'postgres' ? 5432 : 3306)}/${name.trim().toLowerCase()}`;
}
