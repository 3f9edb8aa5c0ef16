import { createRequire } from 'node:module';
import type pg from 'pg';
import type mysql2 from 'mysql2';
import type mysql from 'mysql2/promise';

/**
 * The PostgreSQL and MySQL client libraries, loaded on first use: a process whose registry and
 * tenants are SQLite files (the default set-up, `--help`, most CLI commands) never pays for them
 * (together about a third of the API's start-up before this). Both are CommonJS, so a synchronous
 * require keeps every caller as it was; the module cache makes later calls a lookup.
 */
const require = createRequire(import.meta.url);

/** node-postgres (also Sequelize's `dialectModule` for PostgreSQL). */
export const pgModule = (): typeof pg => require('pg') as typeof pg;
/** mysql2 (Sequelize's `dialectModule` for MySQL/MariaDB). */
export const mysql2Module = (): typeof mysql2 => require('mysql2') as typeof mysql2;

export const newPgClient = (config: pg.ClientConfig): pg.Client => new (pgModule().Client)(config);
export const newPgPool = (config: pg.PoolConfig): pg.Pool => new (pgModule().Pool)(config);
export const mysqlConnection = (options: mysql.ConnectionOptions): Promise<mysql.Connection> =>
  (require('mysql2/promise') as typeof mysql).createConnection(options);
