import type pg from 'pg';
import { DatabaseExists } from '@salesfleet/contracts';
import { assertSafeIdentifier, type DatabaseSpec } from './spec';
import { MIGRATIONS_TABLE, type DatabaseInspection, type DriverContext } from './types';

/**
 * The `postgres-schema` placement's side of the PostgreSQL driver: a tenant is the schema
 * `spec.schema` of the shared database `spec.database`. Existence, inspection, size and drop are
 * about the schema alone — the shared database is created when missing and never dropped.
 */

interface PgError extends Error {
  code?: string;
}

/** How the PostgreSQL driver lends its connections: to the shared database, or to its maintenance database. */
export interface SchemaConnections {
  withDatabase<T>(spec: DatabaseSpec, ctx: DriverContext, fn: (c: pg.Client) => Promise<T>): Promise<T>;
  withMaintenance<T>(spec: DatabaseSpec, ctx: DriverContext, fn: (c: pg.ClientBase) => Promise<T>): Promise<T>;
}

const quoted = (schema: string) => `"${assertSafeIdentifier(schema, 'schema')}"`;

/** Whether the shared database is missing (3D000) rather than the server unreachable. */
export const isMissingDatabase = (err: unknown): boolean =>
  (err as PgError)?.code === '3D000' || /database ".*" does not exist/.test(String((err as Error)?.message ?? ''));

/**
 * Whether the server has the shared database, asked of the maintenance database: a login to a
 * database that does not exist yet is not harmless behind PgBouncer — it remembers the failed
 * server login and holds every client of that database for `server_login_retry` (15 s), so the
 * creation that follows would time out.
 */
async function sharedDatabaseExists(spec: DatabaseSpec, ctx: DriverContext, db: SchemaConnections): Promise<boolean> {
  return db.withMaintenance(
    spec,
    ctx,
    async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [spec.database])).rowCount === 1,
  );
}

export async function schemaExists(spec: DatabaseSpec, ctx: DriverContext, db: SchemaConnections): Promise<boolean> {
  if (!(await sharedDatabaseExists(spec, ctx, db))) return false;
  try {
    return await db.withDatabase(spec, ctx, async (c) => {
      const r = await c.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [spec.schema]);
      return r.rowCount === 1;
    });
  } catch (err) {
    if (isMissingDatabase(err) || isMissingDatabase((err as { cause?: unknown }).cause)) return false;
    throw err;
  }
}

export async function inspectSchema(spec: DatabaseSpec, ctx: DriverContext, db: SchemaConnections): Promise<DatabaseInspection> {
  if (!(await schemaExists(spec, ctx, db))) return { exists: false, tables: [], migrationRows: null };
  return db.withDatabase(spec, ctx, async (c) => {
    const r = await c.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
      [spec.schema],
    );
    const tables = r.rows.map((row) => row.table_name);
    let migrationRows: number | null = null;
    if (tables.includes(MIGRATIONS_TABLE)) {
      const n = await c.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${quoted(spec.schema!)}."${MIGRATIONS_TABLE}"`);
      migrationRows = Number(n.rows[0]?.n ?? 0);
    }
    return { exists: true, tables, migrationRows };
  });
}

/** Creates the shared database when the server does not have it yet (another creator racing us is fine). */
async function ensureSharedDatabase(spec: DatabaseSpec, ctx: DriverContext, db: SchemaConnections): Promise<void> {
  const name = `"${assertSafeIdentifier(spec.database)}"`;
  await db.withMaintenance(spec, ctx, async (c) => {
    const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [spec.database]);
    if (r.rowCount === 1) return;
    try {
      await c.query(`CREATE DATABASE ${name}`);
    } catch (err) {
      // 42P04 duplicate_database; 23505: two CREATE DATABASE at once collide on pg_database's index.
      const code = (err as PgError).code;
      if (code !== '42P04' && code !== '23505') throw err;
    }
  });
}

/**
 * First key of the transaction advisory locks that guard a spare schema (the second: `hashtext` of its
 * name): a claim and a drop of the same spare never run at once, so a spare is claimed once and a
 * claimed one (renamed, a tenant's now) is never dropped as a spare.
 */
const SPARE_LOCK = 0x53465350; // 'SFSP'

/**
 * Renames one free schema whose name starts with `prefix` to `target`: a spare is locked first (held
 * to the end of the transaction), one that another creation renamed after this statement's snapshot
 * is skipped. Leaves `target` missing when no spare is free.
 */
function claimSpareSql(prefix: string, target: string): string {
  const literal = (s: string) => `'${assertSafeIdentifier(s, 'schema')}'`;
  return `DO $claim$
DECLARE spare name;
BEGIN
  FOR spare IN SELECT nspname FROM pg_namespace WHERE starts_with(nspname, ${literal(prefix)}) LOOP
    CONTINUE WHEN NOT pg_try_advisory_xact_lock(${SPARE_LOCK}, hashtext(spare));
    BEGIN
      EXECUTE format('ALTER SCHEMA %I RENAME TO %I', spare, ${literal(target)});
      RETURN;
    EXCEPTION WHEN invalid_schema_name THEN
      NULL; -- claimed and committed by another creation since the loop's snapshot
    END;
  END LOOP;
END
$claim$`;
}

/**
 * `CREATE SCHEMA` (in the shared database, created first when missing); `DatabaseExists` when the schema
 * exists. With `spare`, a migrated spare schema of that prefix is renamed to it when one is free (one
 * round trip); otherwise, and without one, `script` runs in the new schema in the transaction that creates it.
 */
export async function createSchema(
  spec: DatabaseSpec,
  ctx: DriverContext,
  db: SchemaConnections,
  describe: (spec: DatabaseSpec) => string,
  script?: string,
  spare?: string,
): Promise<void> {
  await ensureSharedDatabase(spec, ctx, db);
  const schema = quoted(spec.schema!);
  await db.withDatabase(spec, ctx, async (c) => {
    try {
      if (spare) {
        const results = (await c.query(
          `BEGIN; ${claimSpareSql(spare, spec.schema!)}; SELECT 1 FROM pg_namespace WHERE nspname = '${assertSafeIdentifier(spec.schema!, 'schema')}'; COMMIT`,
        )) as unknown as pg.QueryResult[];
        if (results[2]?.rowCount === 1) return;
      }
      if (!script) {
        await c.query(`CREATE SCHEMA ${schema}`);
        return;
      }
      // One round trip, one transaction: the schema exists migrated, or not at all.
      await c.query(`BEGIN; CREATE SCHEMA ${schema}; SET LOCAL search_path TO ${schema};\n${script};\nCOMMIT`);
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      // 42P06 duplicate_schema; 23505 two creators at once.
      const code = (err as PgError).code;
      if (code === '42P06' || code === '23505') throw new DatabaseExists(describe(spec));
      throw err;
    }
  });
}

/**
 * Drops the spare schema `spec.schema`, unless a creation claimed it: the drop waits for a claim in
 * progress (the spare's lock), and a claimed spare has another name by then, so `IF EXISTS` finds nothing.
 */
export async function dropSpareSchema(spec: DatabaseSpec, ctx: DriverContext, db: SchemaConnections): Promise<void> {
  const name = assertSafeIdentifier(spec.schema!, 'schema');
  await db.withDatabase(spec, ctx, async (c) => {
    try {
      await c.query(
        `BEGIN; SELECT pg_advisory_xact_lock(${SPARE_LOCK}, hashtext('${name}')); DROP SCHEMA IF EXISTS "${name}" CASCADE; COMMIT`,
      );
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}

/** `DROP SCHEMA … CASCADE` — the tenant's tables go with it; the shared database stays. Idempotent. */
export async function dropSchema(spec: DatabaseSpec, ctx: DriverContext, db: SchemaConnections): Promise<void> {
  if (!(await sharedDatabaseExists(spec, ctx, db))) return; // no database, no schema
  try {
    await db.withDatabase(spec, ctx, async (c) => {
      await c.query(`DROP SCHEMA IF EXISTS ${quoted(spec.schema!)} CASCADE`);
    });
  } catch (err) {
    if (isMissingDatabase(err) || isMissingDatabase((err as { cause?: unknown }).cause)) return; // no database, no schema
    throw err;
  }
}

/** Bytes of the schema's tables, indexes and TOAST. */
export async function schemaSizeBytes(spec: DatabaseSpec, ctx: DriverContext, db: SchemaConnections): Promise<number> {
  return db.withDatabase(spec, ctx, async (c) => {
    const r = await c.query<{ size: string | null }>(
      `SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS size
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'm', 'p')`,
      [spec.schema],
    );
    return Number(r.rows[0]?.size ?? 0);
  });
}

/** Schemas of the shared database whose name starts with `prefix` (orphan search). */
export async function listSchemas(server: DatabaseSpec, prefix: string, ctx: DriverContext, db: SchemaConnections): Promise<string[]> {
  if (!(await sharedDatabaseExists(server, ctx, db))) return [];
  try {
    return await db.withDatabase(server, ctx, async (c) => {
      const r = await c.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1) ORDER BY nspname', [
        prefix,
      ]);
      return r.rows.map((row) => row.nspname);
    });
  } catch (err) {
    if (isMissingDatabase(err) || isMissingDatabase((err as { cause?: unknown }).cause)) return [];
    throw err;
  }
}
