// @salesfleet/migrations — versioned schema changes (Umzug) for the registry and for tenant databases.

export type { MigrationContext, MigrationDefinition, MigrationSet } from './types';
export {
  migrateDown,
  migrateUp,
  MIGRATION_TABLE,
  migrationNames,
  migrationStatus,
  type MigrateUpOptions,
  type MigrationRunOptions,
  type MigrationStatus,
} from './runner';
export {
  compareSchemaWithModels,
  databaseTypeFamily,
  modelTypeFamily,
  type CompareSchemaOptions,
  type SchemaDifference,
  type SchemaDifferenceKind,
} from './schema-drift';
export { tenantMigrations } from './tenant/index';
export { registryMigrations } from './registry/index';
