import { mysqlDriver } from './mysql';
import { postgresDriver } from './postgres';

export { mysqlConnectionConfig } from './mysql';
export { dropSpareTenantSchema, listTenantSchemas, pgClientConfig } from './postgres';
import type { Engine } from '@salesfleet/contracts';
import { sqliteDriver } from './sqlite';
import type { DatabaseDriver } from './types';

export * from './spec';
export * from './types';
export { closeSequelize, connectSequelize, openSequelize, SQLITE_STATEMENT_CACHE_SIZE, type OpenSequelizeOptions } from './sequelize';

const drivers: Record<Engine, DatabaseDriver> = { sqlite: sqliteDriver, postgres: postgresDriver, mysql: mysqlDriver };

/** The driver of an engine (`mariadb` is `mysql`: normalise with `normalizeEngine` first). */
export function driverFor(engine: Engine): DatabaseDriver {
  return drivers[engine];
}
