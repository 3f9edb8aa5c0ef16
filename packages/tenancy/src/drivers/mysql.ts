import { performance } from 'node:perf_hooks';
import type mysql from 'mysql2/promise';
import { errorText } from '../logger';
import { redact } from '../mask';
import { assertSafeIdentifier, describeSpec, type DatabaseSpec } from './spec';
import { MIGRATIONS_TABLE, type DatabaseDriver, type DriverContext } from './types';
import { DatabaseExists, DatabaseUnreachable } from '@salesfleet/contracts';
import { mysqlConnection } from './modules';

/** The server's recorded maintenance database, else none (MySQL needs no database to create or drop one). */
const maintenance = (ctx: DriverContext) => ctx.maintenanceDatabase || undefined;

const quote = (name: string) => `\`${assertSafeIdentifier(name)}\``;

interface MysqlError extends Error {
  code?: string;
  errno?: number;
}

function unreachable(spec: DatabaseSpec, err: unknown): DatabaseUnreachable {
  const message = redact((err as Error)?.message ?? String(err), [spec.password]);
  return new DatabaseUnreachable(describeSpec(spec), message || 'connection failed');
}

/** mysql2 options for a connection of ours outside Sequelize (maintenance, migration status, server settings). */
export function mysqlConnectionConfig(spec: DatabaseSpec, database: string | undefined, connectTimeoutMs: number): mysql.ConnectionOptions {
  return {
    host: spec.host ?? '127.0.0.1',
    port: spec.port ?? 3306,
    user: spec.user ?? undefined,
    password: spec.password ?? undefined,
    database,
    connectTimeout: connectTimeoutMs,
  };
}

async function connect(
  spec: DatabaseSpec,
  database: string | undefined,
  ctx: DriverContext,
  extra: mysql.ConnectionOptions = {},
): Promise<mysql.Connection> {
  const conn = await mysqlConnection({ ...mysqlConnectionConfig(spec, database, ctx.connectTimeoutMs), ...extra });
  // An error after connect (server restart) must not crash the process; the query in flight fails with it.
  conn.on('error', (err) =>
    ctx.logger?.warn({ err: errorText(err, [spec.password]), server: describeSpec(spec) }, 'MySQL connection lost'),
  );
  return conn;
}

async function withConnection<T>(
  spec: DatabaseSpec,
  database: string | undefined,
  ctx: DriverContext,
  fn: (c: mysql.Connection) => Promise<T>,
  extra: mysql.ConnectionOptions = {},
): Promise<T> {
  let conn: mysql.Connection;
  try {
    conn = await connect(spec, database, ctx, extra);
  } catch (err) {
    throw unreachable(spec, err);
  }
  try {
    return await fn(conn);
  } finally {
    await conn.end().catch(() => undefined);
  }
}

export const mysqlDriver: DatabaseDriver = {
  engine: 'mysql',

  async list(server, prefix, ctx) {
    return withConnection(server, maintenance(ctx), ctx, async (c) => {
      const [rows] = await c.query(
        'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE LEFT(SCHEMA_NAME, ?) = ? ORDER BY SCHEMA_NAME',
        [prefix.length, prefix],
      );
      return (rows as { name: string }[]).map((row) => row.name);
    });
  },

  async exists(spec, ctx) {
    return withConnection(spec, maintenance(ctx), ctx, async (c) => {
      const [rows] = await c.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [spec.database]);
      return (rows as unknown[]).length === 1;
    });
  },

  async inspect(spec, ctx) {
    let conn: mysql.Connection;
    try {
      conn = await connect(spec, spec.database, ctx);
    } catch (err) {
      if ((err as MysqlError).code === 'ER_BAD_DB_ERROR') return { exists: false, tables: [], migrationRows: null };
      throw unreachable(spec, err);
    }
    try {
      const [rows] = await conn.query(
        'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME',
      );
      const tables = (rows as { name: string }[]).map((r) => r.name);
      let migrationRows: number | null = null;
      if (tables.includes(MIGRATIONS_TABLE)) {
        const [n] = await conn.query(`SELECT COUNT(*) AS n FROM \`${MIGRATIONS_TABLE}\``);
        migrationRows = Number((n as { n: number }[])[0]?.n ?? 0);
      }
      return { exists: true, tables, migrationRows };
    } finally {
      await conn.end().catch(() => undefined);
    }
  },

  async create(spec, ctx, options = {}) {
    if (options.template) throw new Error('MySQL cannot clone a database from a template');
    const name = quote(spec.database);
    const create = `CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;
    // The script needs several statements in one query: only this connection of ours, closed after, allows them.
    await withConnection(
      spec,
      maintenance(ctx),
      ctx,
      async (c) => {
        try {
          await c.query(options.script ? `${create};\nUSE ${name};\n${options.script}` : create);
        } catch (err) {
          if ((err as MysqlError).code === 'ER_DB_CREATE_EXISTS') throw new DatabaseExists(describeSpec(spec));
          // DDL is not transactional: a script that failed half-way leaves a database no one should use.
          if (options.script) await c.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
          throw err;
        }
      },
      options.script ? { multipleStatements: true } : {},
    );
  },

  async drop(spec, ctx) {
    const name = quote(spec.database);
    await withConnection(spec, maintenance(ctx), ctx, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
    });
  },

  async ping(spec, ctx) {
    const started = performance.now();
    await withConnection(spec, spec.database, ctx, async (c) => {
      await c.query('SELECT 1');
    });
    return performance.now() - started;
  },

  async sizeBytes(spec, ctx) {
    return withConnection(spec, spec.database, ctx, async (c) => {
      const [rows] = await c.query(
        'SELECT COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) AS size FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()',
      );
      return Number((rows as { size: string | number }[])[0]?.size ?? 0);
    });
  },
};
