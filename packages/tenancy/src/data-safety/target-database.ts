import type { Config } from '../config';
import {
  assertSafeIdentifier,
  DEFAULT_PORTS,
  DEFAULT_SCHEMA_DATABASE,
  driverFor,
  isSchemaEngine,
  managedSchemaName,
  managedDatabaseName,
  parseDatabaseUrl,
  specFromParams,
  sqliteTenantPath,
  type DatabaseParams,
  type DatabaseSpec,
  type DriverContext,
} from '../drivers/index';
import { describeSpec } from '../drivers/index';
import { isEmptyDatabase } from '../provisioning/create-tenant';
import { DatabaseExists, DatabaseNotEmpty, ValidationFailed } from '@salesfleet/contracts';

/** A database a restore or a move writes into: always a new one (or an existing empty one). */
export interface TargetDatabase {
  spec: DatabaseSpec;
  /** Made by us (a managed name): dropped on failure, and by delete-old-database later. */
  managed: boolean;
}

/**
 * Where a restored or moved tenant's data goes. Nothing given: a SQLite file, or a managed
 * `sales_<slug>` on SALESFLEET_TENANT_SERVER_URL. An engine: that engine's managed place. A URL
 * without a database name: managed on that server; with a name: that database (must be new or empty).
 * `suffix` distinguishes the new database from the live one it will replace.
 */
export function targetDatabase(config: Config, slug: string, params: DatabaseParams | undefined, suffix = ''): TargetDatabase {
  const server = config.tenantServerUrl ? parseDatabaseUrl(config.tenantServerUrl) : null;
  const managedName = managedDatabaseName(slug).slice(0, 63 - suffix.length) + suffix.replace(/-/g, '_');
  const sqlite = (): TargetDatabase => ({
    spec: {
      engine: 'sqlite',
      database: suffix ? `tenants/${slug}${suffix}.sqlite` : sqliteTenantPath(slug),
      host: null,
      port: null,
      user: null,
      password: null,
    },
    managed: true,
  });
  const given = params && Object.values(params).some((x) => x !== undefined && x !== null && x !== '');
  if (!given) return server ? { spec: { ...server, database: managedName }, managed: true } : sqlite();
  if (isSchemaEngine(params!.engine) || params!.schema || (params!.url && parseDatabaseUrl(params!.url).schema)) {
    return schemaTarget(server, slug, params!, suffix);
  }
  const spec = specFromParams(params);
  if (spec.engine === 'sqlite') return sqlite();
  if (!params!.url && !params!.host) {
    if (server && server.engine === spec.engine)
      return { spec: { ...server, database: params!.name || managedName }, managed: !params!.name };
    throw new ValidationFailed(`No ${spec.engine} server configured to put the database on`, [
      { path: 'database', message: `give --database-url for a ${spec.engine} server, or set SALESFLEET_TENANT_SERVER_URL to one` },
    ]);
  }
  if (!spec.host) spec.host = '127.0.0.1';
  if (!spec.port) spec.port = DEFAULT_PORTS[spec.engine];
  if (!spec.database) return { spec: { ...spec, database: managedName }, managed: true };
  return { spec, managed: false };
}

/**
 * A `postgres-schema` target: the schema `t_<slug>` (+ suffix), or the one named (must be new or
 * empty), in the URL's shared database or `salesfleet_schemas` (or `name`) on the URL's server or the
 * configured PostgreSQL tenant server.
 */
function schemaTarget(server: DatabaseSpec | null, slug: string, params: DatabaseParams, suffix: string): TargetDatabase {
  const direct = Boolean(params.url || params.host);
  let spec: DatabaseSpec;
  if (direct) spec = specFromParams({ ...params, engine: 'postgres' });
  else if (server?.engine === 'postgres') spec = { ...server, database: '', schema: params.schema ?? null };
  else {
    throw new ValidationFailed('No PostgreSQL server configured to put the schema on', [
      { path: 'database', message: 'give --database-url postgres://…, or set SALESFLEET_TENANT_SERVER_URL to a PostgreSQL server' },
    ]);
  }
  if (spec.engine !== 'postgres') {
    throw new ValidationFailed('A schema tenant needs PostgreSQL', [
      { path: 'database.engine', message: 'postgres-schema is PostgreSQL only' },
    ]);
  }
  if (!spec.host) spec.host = '127.0.0.1';
  if (!spec.port) spec.port = DEFAULT_PORTS.postgres;
  spec.database = assertSafeIdentifier(params.name || spec.database || DEFAULT_SCHEMA_DATABASE);
  if (spec.schema) return { spec: { ...spec, schema: assertSafeIdentifier(spec.schema, 'schema') }, managed: false };
  const schema = managedSchemaName(slug).slice(0, 63 - suffix.length) + suffix.replace(/-/g, '_');
  return { spec: { ...spec, schema }, managed: true };
}

/** Creates the target database, or checks that a given one is empty; true when created here. */
export async function prepareTarget(target: TargetDatabase, ctx: DriverContext): Promise<boolean> {
  const driver = driverFor(target.spec.engine);
  const inspection = await driver.inspect(target.spec, ctx);
  if (!inspection.exists) {
    await driver.create(target.spec, ctx);
    return true;
  }
  if (target.managed) throw new DatabaseExists(describeSpec(target.spec));
  if (!isEmptyDatabase(inspection)) throw new DatabaseNotEmpty(describeSpec(target.spec), inspection.tables);
  return false;
}
