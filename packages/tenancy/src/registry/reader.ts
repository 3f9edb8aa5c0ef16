/**
 * A read of the registry through the plain driver (sqlite3, pg or mysql2), without Sequelize, the
 * models or the rest of the tenancy stack: what `list-tenants` needs at 10,000 tenants, where loading
 * that stack cost more than the listing. The SQL is tenant-list.ts's, which the Registry's own reads
 * use too. `openRegistryReader` answers null whenever the full `openTenancy` has something to do or
 * to say first (registry migrations pending, tenant servers to register, a registry it cannot read
 * this way): the caller then opens the tenancy as before, which reports any problem its usual way.
 */
import { createRequire } from 'node:module';
import type sqlite3 from 'sqlite3';
import { REGISTRY_MIGRATION_NAMES } from '@salesfleet/migrations/names';
import { type Config, registrySpec } from '../config';
import { mysqlConnectionConfig } from '../drivers/mysql';
import { mysqlConnection, newPgClient } from '../drivers/modules';
import { pgClientConfig } from '../drivers/postgres';
import { type DatabaseSpec, resolveSqlitePath } from '../drivers/spec';
import { MIGRATIONS_TABLE } from '../drivers/types';
import type { TenantRecord } from './records';
import {
  type SqlDialect,
  type TenantListFilter,
  type TenantRow,
  tenantFilterConditions,
  tenantListJsonSqliteSql,
  tenantListSql,
  tenantServerFilter,
  toTenantRecord,
} from './tenant-list';

export { pendingMigrationCount } from './records';
export { tenantServerOf } from './tenant-list';

const require = createRequire(import.meta.url);

export interface RegistryReader {
  /** Every tenant matching `filter`, by slug (as `Registry#listTenants`). */
  listTenants(filter?: TenantListFilter): Promise<TenantRecord[]>;
  /** Registered tenant servers' names by id (what `tenantServerOf` shows). */
  serverNames(): Promise<Map<number, string>>;
  close(): Promise<void>;
}

type Rows = Record<string, unknown>[];

/** One connection: a query with positional parameters (written `?`, or `$n` on PostgreSQL). */
interface Plain {
  dialect: SqlDialect;
  query(sql: string, params: readonly (string | number)[]): Promise<Rows>;
  close(): Promise<void>;
}

export async function openRegistryReader(config: Config): Promise<RegistryReader | null> {
  if (config.tenantServers.length > 0) return null; // openTenancy registers SALESFLEET_TENANT_SERVERS first
  const spec = registrySpec(config);
  if (spec.schema) return null;
  let plain: Plain;
  try {
    plain = await connect(spec, config);
  } catch {
    return null;
  }
  try {
    const table = plain.dialect === 'mysql' ? `\`${MIGRATIONS_TABLE}\`` : `"${MIGRATIONS_TABLE}"`;
    const applied = new Set((await plain.query(`SELECT name FROM ${table}`, [])).map((r) => r.name));
    if (REGISTRY_MIGRATION_NAMES.some((name) => !applied.has(name))) throw new Error('registry migrations pending');
  } catch {
    await plain.close().catch(() => undefined);
    return null;
  }
  const placeholder = plain.dialect === 'postgres' ? (n: number) => `$${n}` : () => '?';
  return {
    async listTenants(filter = {}) {
      let registeredServerId: number | null = null;
      const server = filter.server !== undefined ? tenantServerFilter(filter.server) : null;
      if (server?.lookUp) {
        const [row] = await plain.query(`SELECT id FROM tenant_servers WHERE name = ${placeholder(1)}`, [server.server]);
        registeredServerId = row ? Number(row.id) : null;
      }
      const params: (string | number)[] = [];
      const conditions = tenantFilterConditions(filter, {
        dialect: plain.dialect,
        value: (v) => {
          params.push(v);
          return placeholder(params.length);
        },
        registeredServerId,
      });
      if (plain.dialect === 'sqlite') {
        const rows = await plain.query(tenantListJsonSqliteSql(conditions), params);
        return rows.map((row) => toTenantRecord(JSON.parse(row.row as string) as TenantRow));
      }
      const rows = await plain.query(tenantListSql(plain.dialect, conditions), params);
      return rows.map((row) => toTenantRecord(row as TenantRow));
    },
    async serverNames() {
      const rows = await plain.query('SELECT id, name FROM tenant_servers', []);
      return new Map(rows.map((r) => [Number(r.id), String(r.name)]));
    },
    close: () => plain.close(),
  };
}

async function connect(spec: DatabaseSpec, config: Config): Promise<Plain> {
  if (spec.engine === 'sqlite') {
    const { Database, OPEN_READONLY } = require('sqlite3') as typeof sqlite3;
    const path = resolveSqlitePath(config.dataDir, spec.database);
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const opened: sqlite3.Database = new Database(path, OPEN_READONLY, (err) => (err ? reject(err) : resolve(opened)));
    });
    db.configure('busyTimeout', config.dbConnectTimeoutMs);
    return {
      dialect: 'sqlite',
      query: (sql, params) =>
        new Promise((resolve, reject) => db.all(sql, params as unknown[], (err, rows) => (err ? reject(err) : resolve(rows as Rows)))),
      close: () => new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve()))),
    };
  }
  if (spec.engine === 'postgres') {
    const client = newPgClient(pgClientConfig(spec, spec.database, config.dbConnectTimeoutMs, 'salesfleet-registry-reader'));
    client.on('error', () => undefined); // a lost connection fails the query in flight
    await client.connect();
    return {
      dialect: 'postgres',
      query: async (sql, params) => (await client.query(sql, params as unknown[])).rows as Rows,
      close: () => client.end(),
    };
  }
  // Dates as Sequelize writes and reads them on MySQL/MariaDB: UTC.
  const conn = await mysqlConnection({ ...mysqlConnectionConfig(spec, spec.database, config.dbConnectTimeoutMs), timezone: '+00:00' });
  conn.on('error', () => undefined);
  return {
    dialect: 'mysql',
    query: async (sql, params) => (await conn.query(sql, params as unknown[]))[0] as Rows,
    close: () => conn.end(),
  };
}
