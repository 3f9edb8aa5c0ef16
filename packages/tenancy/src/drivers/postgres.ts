import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { errorText } from '../logger';
import { redact } from '../mask';
import { assertSafeIdentifier, describeSpec, type DatabaseSpec } from './spec';
import { MIGRATIONS_TABLE, type DatabaseDriver, type DriverContext } from './types';
import { DatabaseExists, DatabaseUnreachable } from '@salesfleet/contracts';
import { newPgClient, newPgPool } from './modules';
import {
  createSchema,
  dropSchema,
  dropSpareSchema,
  inspectSchema,
  listSchemas,
  schemaExists,
  schemaSizeBytes,
  type SchemaConnections,
} from './postgres-schema';

const quote = (name: string) => `"${assertSafeIdentifier(name)}"`;

interface PgError extends Error {
  code?: string;
}

function unreachable(spec: DatabaseSpec, err: unknown): DatabaseUnreachable {
  const message = redact((err as Error)?.message ?? String(err), [spec.password]);
  return new DatabaseUnreachable(describeSpec(spec), message || 'connection failed');
}

/**
 * node-postgres options for a connection of ours outside Sequelize (maintenance, migration status,
 * server settings, LISTEN): one place that maps a spec, so they all connect the same way.
 */
export function pgClientConfig(
  spec: DatabaseSpec,
  database: string,
  connectTimeoutMs: number,
  applicationName = 'salesfleet',
): pg.ClientConfig {
  return {
    host: spec.host ?? '127.0.0.1',
    port: spec.port ?? 5432,
    user: spec.user ?? undefined,
    password: spec.password ?? undefined,
    database,
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: applicationName,
  };
}

async function connect(spec: DatabaseSpec, database: string, ctx: DriverContext): Promise<pg.Client> {
  const client = newPgClient(pgClientConfig(spec, database, ctx.connectTimeoutMs));
  // An error after connect (server restart) must not crash the process; the query in flight fails with it.
  client.on('error', (err) =>
    ctx.logger?.warn({ err: errorText(err, [spec.password]), server: describeSpec({ ...spec, database }) }, 'PostgreSQL connection lost'),
  );
  await client.connect();
  return client;
}

async function withClient<T>(spec: DatabaseSpec, database: string, ctx: DriverContext, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  let client: pg.Client;
  try {
    client = await connect(spec, database, ctx);
  } catch (err) {
    throw unreachable({ ...spec, database }, err);
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const maintenance = (ctx: DriverContext) => ctx.maintenanceDatabase || 'postgres';

/**
 * Maintenance connections (CREATE/DROP DATABASE, existence checks) are pooled per server and
 * credentials: provisioning many tenants in a row then pays for one connection, not one per tenant.
 * Idle connections close after 10 s and never keep the process alive.
 */
const maintenancePools = new Map<string, pg.Pool>();

function maintenancePool(spec: DatabaseSpec, database: string, ctx: DriverContext): pg.Pool {
  const key = [
    spec.host,
    spec.port,
    spec.user,
    database,
    createHash('sha256')
      .update(spec.password ?? '')
      .digest('hex'),
  ].join('|');
  let pool = maintenancePools.get(key);
  if (!pool) {
    pool = newPgPool({
      ...pgClientConfig(spec, database, ctx.connectTimeoutMs, 'salesfleet-maintenance'),
      max: 2,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
    });
    // An idle maintenance connection that the server closed: the pool drops it and opens another when needed.
    const logger = ctx.logger;
    pool.on('error', (err) =>
      logger?.warn(
        { err: errorText(err, [spec.password]), server: describeSpec({ ...spec, database }) },
        'idle PostgreSQL maintenance connection lost',
      ),
    );
    maintenancePools.set(key, pool);
  }
  return pool;
}

async function withMaintenance<T>(spec: DatabaseSpec, ctx: DriverContext, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const database = maintenance(ctx);
  let client: pg.PoolClient;
  try {
    client = await maintenancePool(spec, database, ctx).connect();
  } catch (err) {
    throw unreachable({ ...spec, database }, err);
  }
  let broken = false;
  try {
    return await fn(client);
  } catch (err) {
    broken = (err as PgError).code === undefined; // a connection-level failure, not an SQL error
    throw err;
  } finally {
    client.release(broken);
  }
}

/** Connections for the `postgres-schema` placement's operations (postgres-schema.ts). */
const schemaConnections: SchemaConnections = {
  withDatabase: (spec, ctx, fn) => withClient(spec, spec.database, ctx, fn),
  withMaintenance: (spec, ctx, fn) => withMaintenance(spec, ctx, fn),
};

/** The schemas of the shared database `shared.database` whose name starts with `prefix` (none when it does not exist). */
export function listTenantSchemas(shared: DatabaseSpec, prefix: string, ctx: DriverContext): Promise<string[]> {
  return listSchemas(shared, prefix, ctx, schemaConnections);
}

/** Drops a spare schema of the shared database `spare.database` unless a creation claimed it (postgres-schema.ts). */
export function dropSpareTenantSchema(spare: DatabaseSpec, ctx: DriverContext): Promise<void> {
  return dropSpareSchema(spare, ctx, schemaConnections);
}

/**
 * Specs with a `schema` are a schema of a shared database (the `postgres-schema` placement): every
 * operation below is then about that schema, and the database itself is never dropped.
 */
export const postgresDriver: DatabaseDriver = {
  engine: 'postgres',

  async list(server, prefix, ctx) {
    return withMaintenance(server, ctx, async (c) => {
      const r = await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname', [
        prefix,
      ]);
      return r.rows.map((row) => row.datname);
    });
  },

  async exists(spec, ctx) {
    if (spec.schema) return schemaExists(spec, ctx, schemaConnections);
    return withMaintenance(spec, ctx, async (c) => {
      const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [spec.database]);
      return r.rowCount === 1;
    });
  },

  async inspect(spec, ctx) {
    if (spec.schema) return inspectSchema(spec, ctx, schemaConnections);
    let client: pg.Client;
    try {
      client = await connect(spec, spec.database, ctx);
    } catch (err) {
      // 3D000 invalid_catalog_name: the database does not exist (the server is fine).
      if ((err as PgError).code === '3D000') return { exists: false, tables: [], migrationRows: null };
      throw unreachable(spec, err);
    }
    try {
      const r = await client.query<{ table_schema: string; table_name: string }>(
        `SELECT table_schema, table_name FROM information_schema.tables
          WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg_toast%'
          ORDER BY table_schema, table_name`,
      );
      const tables = r.rows.map((row) => (row.table_schema === 'public' ? row.table_name : `${row.table_schema}.${row.table_name}`));
      let migrationRows: number | null = null;
      if (tables.includes(MIGRATIONS_TABLE)) {
        const n = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "${MIGRATIONS_TABLE}"`);
        migrationRows = Number(n.rows[0]?.n ?? 0);
      }
      return { exists: true, tables, migrationRows };
    } finally {
      await client.end().catch(() => undefined);
    }
  },

  async create(spec, ctx, options = {}) {
    if (spec.schema) return createSchema(spec, ctx, schemaConnections, describeSpec, options.script, options.spare);
    const sql = `CREATE DATABASE ${quote(spec.database)}${options.template ? ` TEMPLATE ${quote(options.template)}` : ''}`;
    await withMaintenance(spec, ctx, async (c) => {
      try {
        await c.query(sql);
      } catch (err) {
        if ((err as PgError).code === '42P04') throw new DatabaseExists(describeSpec(spec));
        throw err;
      }
    });
  },

  async drop(spec, ctx) {
    if (spec.schema) return dropSchema(spec, ctx, schemaConnections);
    const name = quote(spec.database);
    await withMaintenance(spec, ctx, async (c) => {
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch (err) {
        // WITH (FORCE) needs PostgreSQL 13+; older servers: end other sessions, then drop.
        if ((err as PgError).code !== '42601') throw err;
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
          spec.database,
        ]);
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
      }
    });
  },

  async ping(spec, ctx) {
    const started = performance.now();
    await withClient(spec, spec.database, ctx, async (c) => {
      await c.query('SELECT 1');
    });
    return performance.now() - started;
  },

  async sizeBytes(spec, ctx) {
    if (spec.schema) return schemaSizeBytes(spec, ctx, schemaConnections);
    return withClient(spec, spec.database, ctx, async (c) => {
      const r = await c.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size');
      return Number(r.rows[0]?.size ?? 0);
    });
  },
};
