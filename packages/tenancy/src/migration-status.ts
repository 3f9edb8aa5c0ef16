import { MIGRATION_TABLE, migrationNames, type MigrationStatus } from '@salesfleet/migrations';
import { assertSafeIdentifier, mysqlConnectionConfig, pgClientConfig, type DatabaseSpec } from './drivers/index';
import { mysqlConnection, newPgClient } from './drivers/modules';

/**
 * `migrationStatus(sequelize, 'tenant')` for a PostgreSQL or MySQL tenant, read over one plain driver
 * connection: connect, one SELECT on the bookkeeping table, close. A fleet `--check` runs it for every
 * tenant; a Sequelize instance there costs its per-instance type query (PostgreSQL), session `SET`s and
 * pool set-up for a single SELECT (measured: ~6–10 ms vs ~4–5 ms per PostgreSQL tenant, 4 at a time).
 * No bookkeeping table means nothing applied. Connection errors are the driver's, as Sequelize's are.
 */
export async function readServerMigrationStatus(
  spec: DatabaseSpec,
  connectTimeoutMs: number,
  names: readonly string[] = migrationNames('tenant'),
): Promise<MigrationStatus> {
  const applied = (await readAppliedNames(spec, connectTimeoutMs)).sort();
  const done = new Set(applied);
  return { applied, pending: names.filter((name) => !done.has(name)) };
}

async function readAppliedNames(spec: DatabaseSpec, connectTimeoutMs: number): Promise<string[]> {
  if (spec.engine === 'postgres') {
    const client = newPgClient(pgClientConfig(spec, spec.database, connectTimeoutMs, 'salesfleet'));
    client.on('error', () => undefined);
    await client.connect();
    try {
      // A schema tenant's bookkeeping table is in its schema (this connection's search path is the default).
      const table = spec.schema ? `"${assertSafeIdentifier(spec.schema, 'schema')}"."${MIGRATION_TABLE}"` : `"${MIGRATION_TABLE}"`;
      const r = await client.query<{ name: string }>(`SELECT "name" FROM ${table}`);
      return r.rows.map((row) => row.name);
    } catch (err) {
      if ((err as { code?: string }).code === '42P01') return []; // undefined_table
      throw err;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (spec.engine === 'mysql') {
    const connection = await mysqlConnection(mysqlConnectionConfig(spec, spec.database, connectTimeoutMs));
    connection.on('error', () => undefined);
    try {
      const [rows] = await connection.query(`SELECT \`name\` FROM \`${MIGRATION_TABLE}\``);
      return (rows as { name: string }[]).map((row) => row.name);
    } catch (err) {
      if ((err as { errno?: number }).errno === 1146) return []; // ER_NO_SUCH_TABLE
      throw err;
    } finally {
      await connection.end().catch(() => undefined);
    }
  }
  throw new Error(`readServerMigrationStatus: ${spec.engine} is not a database server`);
}
