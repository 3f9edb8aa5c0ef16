import { DataTypes } from 'sequelize';
import { tenantMigrations, type MigrationDefinition } from '@salesfleet/migrations';

/**
 * The tenant migrations of benchmark 6's step `n`: the compiled list plus bench migrations 1..n, each
 * adding one nullable column to `products` (same work every step). A module of its own (no side
 * effects): the fleet migration's worker threads load it by path.
 */
export function withBenchMigrations(n: number): MigrationDefinition[] {
  return [
    ...tenantMigrations,
    ...Array.from(
      { length: n },
      (_, i): MigrationDefinition => ({
        name: `20991231${String(i + 1).padStart(4, '0')}-bench-product-note-${i + 1}`,
        async up({ queryInterface, transaction }) {
          await queryInterface.addColumn(
            'products',
            `bench_note_${i + 1}`,
            { type: DataTypes.STRING(100), allowNull: true },
            { transaction },
          );
        },
        async down({ queryInterface, transaction }) {
          await queryInterface.removeColumn('products', `bench_note_${i + 1}`, { transaction });
        },
      }),
    ),
  ];
}
