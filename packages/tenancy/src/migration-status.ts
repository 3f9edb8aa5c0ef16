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

/** Schemas per UNION ALL statement: each locks its schema's table (and the planner its indexes) until it ends. */
const SCHEMAS_PER_STATEMENT = 100;

/**
 * The applied migrations of many schema tenants (`postgres-schema`) of one shared database, over one
 * connection: which schemas have a bookkeeping table (one catalog query), then their rows with one
 * UNION ALL statement per 100 schemas — a fleet `--check` of 1,000 schemas is 11 round trips on one
 * connection instead of a connection and a SELECT per schema. A schema without the table (or without
 * the schema) has nothing applied, as in `readServerMigrationStatus`. `shared` is any of the schemas'
 * specs (its schema is ignored); the result is keyed by schema.
 */
export async function readSchemaMigrationStatuses(
  shared: DatabaseSpec,
  schemas: readonly string[],
  connectTimeoutMs: number,
  names: readonly string[] = migrationNames('tenant'),
): Promise<Map<string, MigrationStatus>> {
  const client = newPgClient(pgClientConfig(shared, shared.database, connectTimeoutMs, 'salesfleet'));
  client.on('error', () => undefined);
  await client.connect();
  const applied = new Map<string, string[]>(schemas.map((schema) => [schema, []]));
  try {
    const found = await client.query<{ nspname: string }>(
      `SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relname = $1 AND c.relkind IN ('r', 'p') AND n.nspname = ANY($2::text[])`,
      [MIGRATION_TABLE, [...applied.keys()]],
    );
    const withTable = found.rows.map((row) => row.nspname);
    for (let i = 0; i < withTable.length; i += SCHEMAS_PER_STATEMENT) {
      const batch = withTable.slice(i, i + SCHEMAS_PER_STATEMENT);
      const sql = batch
        .map((schema, k) => `SELECT ${k} AS k, "name" FROM "${assertSafeIdentifier(schema, 'schema')}"."${MIGRATION_TABLE}"`)
        .join(' UNION ALL ');
      let rows: { k: number; name: string }[];
      try {
        rows = (await client.query<{ k: number; name: string }>(sql)).rows;
      } catch (err) {
        if ((err as { code?: string }).code !== '42P01') throw err;
        // A schema dropped since the catalog query: read this batch's schemas one by one.
        rows = [];
        for (const [k, schema] of batch.entries()) {
          const one = await client.query<{ name: string }>(`SELECT "name" FROM "${schema}"."${MIGRATION_TABLE}"`).catch((e: unknown) => {
            if ((e as { code?: string }).code === '42P01') return { rows: [] };
            throw e;
          });
          rows.push(...one.rows.map((row) => ({ k, name: row.name })));
        }
      }
      for (const row of rows) applied.get(batch[row.k]!)!.push(row.name);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  const statuses = new Map<string, MigrationStatus>();
  for (const [schema, list] of applied) {
    const done = new Set(list);
    statuses.set(schema, { applied: list.sort(), pending: names.filter((name) => !done.has(name)) });
  }
  return statuses;
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
