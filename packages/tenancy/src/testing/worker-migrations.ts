import { DataTypes } from 'sequelize';
import { isMainThread, threadId } from 'node:worker_threads';
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

/**
 * The compiled list plus one migration adding the nullable column `column` to `products` after
 * waiting `waitMs` (inside its transaction, holding the tenant's lock): a test can act meanwhile.
 */
export function withSlowColumn(column: string, waitMs: number): MigrationDefinition[] {
  return [
    ...tenantMigrations,
    {
      name: `20991231-0004-test-${column}`,
      async up({ queryInterface, transaction }) {
        await new Promise((resolve) => setTimeout(resolve, waitMs));
        await queryInterface.addColumn('products', column, { type: DataTypes.STRING(50), allowNull: true }, { transaction });
      },
      async down({ queryInterface, transaction }) {
        await queryInterface.removeColumn('products', column, { transaction });
      },
    },
  ];
}

/**
 * The compiled list plus one migration adding the nullable column `column` to `products` — except on
 * a worker thread, which it ends (`process.exit` there ends the thread alone) while it holds the
 * tenant's lock: a worker's crash in the middle of a tenant.
 */
export function withWorkerCrash(column: string): MigrationDefinition[] {
  return [
    ...tenantMigrations,
    {
      name: `20991231-0005-test-${column}`,
      async up({ queryInterface, transaction }) {
        if (!isMainThread) process.exit(1);
        await queryInterface.addColumn('products', column, { type: DataTypes.STRING(50), allowNull: true }, { transaction });
      },
      async down({ queryInterface, transaction }) {
        await queryInterface.removeColumn('products', column, { transaction });
      },
    },
  ];
}
