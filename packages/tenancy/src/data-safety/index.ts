/**
 * Tenant data safety: engine-neutral backup archives, restore (into a new database, across engines),
 * and the pieces moves build on. Operations take a Tenancy (or its config, registry, operations log).
 */
export {
  ARCHIVE_EXTENSION,
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  manifestPathOf,
  readArchive,
  verifyArchive,
  type ArchiveHeader,
  type ArchiveManifest,
  type ManifestFile,
  type ManifestTable,
} from './archive';
export {
  applyRetention,
  backupDirectory,
  backupTenant,
  backupTenants,
  listBackups,
  type BackupEntry,
  type BackupOptions,
  type BackupProgress,
  type BackupResult,
  type BackupsOptions,
  type BackupsResult,
  type DataSafetyDeps,
  type Retention,
} from './backup';
export type { LoadProgress } from './load';
export { restoreTenant, type RestoreDeps, type RestoreOptions, type RestoreResult, type RestoreStep } from './restore';
export {
  MOVE_STEPS,
  deleteOldDatabase,
  moveTenant,
  tenantSwitchStatus,
  type MoveDeps,
  type MoveOptions,
  type MoveResult,
  type MoveStep,
  type TenantSwitchStatus,
} from './move';
export { repairTenantSchema, tenantSchemaDrift, type RepairResult, type SchemaRepair } from './repair';
export {
  addPlatformAdmin,
  createTenantAdmin,
  disablePlatformAdmin,
  listPlatformAdmins,
  resetPlatformAdminPassword,
  resetTenantUserPassword,
  type PlatformAdminActionOptions,
  type RecoveryDeps,
} from './recovery';
export {
  importDjangoUsers,
  type DjangoImportedUser,
  type DjangoImportOptions,
  type DjangoImportProgress,
  type DjangoImportResult,
} from './django-users';
export { SCHEDULED_BACKUPS_ACTION, startScheduledBackups, type ScheduledBackups, type ScheduledBackupsDeps } from './scheduled-backups';
