import { DataTypes } from 'sequelize';
import { threadId } from 'node:worker_threads';
import { tenantMigrations, type MigrationDefinition } from '@salesfleet/migrations';

/**
 * Tenant migrations for fleet-migration tests that run in worker threads (loaded there by module
 * path): the compiled list plus one migration adding the nullable column `column` to `products`.
 */
export function withProductColumn(column: string): MigrationDefinition[] {
  return [
    ...tenantMigrations,
    {
      name: `20991231-0002-test-${column}`,
      async up({ queryInterface, transaction }) {
        await queryInterface.addColumn('products', column, { type: DataTypes.STRING(50), allowNull: true }, { transaction });
      },
      async down({ queryInterface, transaction }) {
        await queryInterface.removeColumn('products', column, { transaction });
      },
    },
  ];
}

/**
 * The compiled list plus one migration creating the table `table` with one row: the id of the thread
 * that ran the migration (worker_threads' threadId), so a test sees whether a worker ran it.
 */
export function withThreadNote(table: string): MigrationDefinition[] {
  return [
    ...tenantMigrations,
    {
      name: `20991231-0003-test-${table}`,
      async up({ queryInterface, transaction }) {
        await queryInterface.createTable(table, { thread_id: { type: DataTypes.INTEGER, allowNull: false } }, { transaction });
        await queryInterface.bulkInsert(table, [{ thread_id: threadId }], { transaction });
      },
      async down({ queryInterface, transaction }) {
        await queryInterface.dropTable(table, { transaction });
      },
    },
  ];
}
