import type { MigrationDefinition } from '../types';

/** The registry (control-plane) migrations, oldest first. Written by the tenancy package's owner. */
export const registryMigrations: MigrationDefinition[] = [];
