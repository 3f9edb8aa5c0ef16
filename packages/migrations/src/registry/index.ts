import type { MigrationDefinition } from '../types';
import { createRegistry } from './202611231900-create-registry';
import { signInAttempts } from './202612070100-sign-in-attempts';
import { tenantDatabaseKeyAndLease } from './202612070200-tenant-database-key-and-lease';
import { tenantListing } from './202612070300-tenant-listing';
import { registryChanges } from './202612070400-registry-changes';
import { fleetJobs } from './202612070720-fleet-jobs';
import { tenantDatabaseSchema } from './202612070730-tenant-database-schema';
import { tenantServers } from './202612070800-tenant-servers';
import { apiProcesses } from './202612071100-api-processes';
import { tenantDatabases } from './202612071400-tenant-databases';

/** The registry (control-plane) migrations, oldest first. Written by the tenancy package's owner. */
export const registryMigrations: MigrationDefinition[] = [
  createRegistry,
  signInAttempts,
  tenantDatabaseKeyAndLease,
  tenantListing,
  registryChanges,
  fleetJobs,
  tenantDatabaseSchema,
  tenantServers,
  apiProcesses,
  tenantDatabases,
];
