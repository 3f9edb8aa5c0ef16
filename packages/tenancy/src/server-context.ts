import type { Config } from './config';
import { parseDatabaseUrl, type DatabaseSpec, type DriverContext } from './drivers/index';
import type { Logger } from './logger';
import type { Registry } from './registry/registry';

/**
 * The driver context for work on `spec`'s server (CREATE/DROP DATABASE, existence checks): the
 * maintenance database recorded for that server — a registered tenant server of the same engine,
 * host and port, else `SALESFLEET_TENANT_SERVER_URL` when it is that server — so a server whose
 * `postgres`/`mysql` database is not ours to use is reached through the one its operator gave.
 * Null when neither names one: the driver's default.
 */
export async function serverDriverContext(
  deps: { config: Config; registry: Registry; logger?: Logger },
  spec: DatabaseSpec,
): Promise<DriverContext> {
  const base: DriverContext = { dataDir: deps.config.dataDir, connectTimeoutMs: deps.config.dbConnectTimeoutMs };
  if (deps.logger) base.logger = deps.logger;
  if (spec.engine === 'sqlite') return base;
  const registered = await deps.registry.servers.maintenanceDatabaseOf(spec);
  if (registered !== undefined) return { ...base, maintenanceDatabase: registered };
  if (deps.config.tenantServerUrl) {
    const server = parseDatabaseUrl(deps.config.tenantServerUrl);
    if (server.engine === spec.engine && server.host === spec.host && server.port === spec.port)
      return { ...base, maintenanceDatabase: server.database || null };
  }
  return base;
}
