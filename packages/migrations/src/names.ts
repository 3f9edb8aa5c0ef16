/**
 * The migrations' names, oldest first, without loading their definitions (which load Sequelize): what
 * a plain read of the registry compares with — its own pending migrations, a tenant's schema version.
 * `migration-names.test.ts` checks that each list is exactly its set's definitions; a new migration
 * adds its name here too.
 */
export const REGISTRY_MIGRATION_NAMES: readonly string[] = Object.freeze([
  '202611231900-create-registry',
  '202612070100-sign-in-attempts',
  '202612070200-tenant-database-key-and-lease',
  '202612070300-tenant-listing',
  '202612070400-registry-changes',
  '202612070720-fleet-jobs',
  '202612070730-tenant-database-schema',
  '202612070800-tenant-servers',
  '202612071100-api-processes',
  '202612071400-tenant-databases',
]);

export const TENANT_MIGRATION_NAMES: readonly string[] = Object.freeze([
  '202611230001-auth',
  '202611230002-sales',
  '202611230003-accounting',
  '202612070100-tenant-settings',
  '202612070200-accounting-tools',
  '202612070220-user-locations',
  '202612070240-inventory-valuation',
  '202612070250-purchasing',
  '202612070260-catalog',
  '202612070300-credit-notes',
  '202612070330-discounts-and-quotes',
  '202612070400-stock-batches',
  '202612070500-purchase-tax',
]);
