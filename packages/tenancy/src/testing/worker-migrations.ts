import { DataTypes } from 'sequelize';
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
