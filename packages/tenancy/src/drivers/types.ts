import type { Logger } from '../logger';
import type { DatabaseSpec } from './spec';
import type { Engine } from '@salesfleet/contracts';

/** What a driver needs besides the spec. */
export interface DriverContext {
  /** Absolute data dir: SQLite paths are resolved (and confined) inside it. */
  dataDir: string;
  /** Connect timeout for every connection a driver opens. */
  connectTimeoutMs: number;
  /** PostgreSQL database to connect to for CREATE/DROP DATABASE (default `postgres`). */
  maintenanceDatabase?: string | null;
  /** Where a connection's error after connect (a server restart) is reported; it does not crash the process. */
  logger?: Logger;
}

/** What is in a database, for the "must be empty" rule. */
export interface DatabaseInspection {
  exists: boolean;
  /** Tables (and views), schema-qualified outside PostgreSQL's `public`. */
  tables: string[];
  /** Rows of the migrations table when it exists (null otherwise). */
  migrationRows: number | null;
}

export interface CreateDatabaseOptions {
  /** Clone this database / file instead of creating an empty one (must be idle). */
  template?: string;
  /**
   * `postgres-schema`: SQL run in the new schema in the transaction that creates it (a recorded
   * migration of a template schema, see templates.ts) — the schema is created migrated or not at all.
   * MySQL: the template database's DDL and seed rows (templates.ts), run in the new database on one
   * connection in one round trip; a database the script fails in is dropped again.
   */
  script?: string;
  /**
   * `postgres-schema`: the name prefix of migrated spare schemas (spare-schemas.ts) at this version; one
   * that is free is renamed to the new schema instead of running `script`, which runs when none is.
   */
  spare?: string;
}

/** One per engine. Every function opens its own short-lived connection and closes it. */
export interface DatabaseDriver {
  readonly engine: Engine;
  exists(spec: DatabaseSpec, ctx: DriverContext): Promise<boolean>;
  inspect(spec: DatabaseSpec, ctx: DriverContext): Promise<DatabaseInspection>;
  /** Throws `DatabaseExists` when it already exists. */
  create(spec: DatabaseSpec, ctx: DriverContext, options?: CreateDatabaseOptions): Promise<void>;
  /** Idempotent: dropping a missing database is not an error. Closes other sessions on PostgreSQL. */
  drop(spec: DatabaseSpec, ctx: DriverContext): Promise<void>;
  /** Opens, runs `SELECT 1`, closes; returns the round trip in ms. Throws `DatabaseUnreachable`. */
  ping(spec: DatabaseSpec, ctx: DriverContext): Promise<number>;
  sizeBytes(spec: DatabaseSpec, ctx: DriverContext): Promise<number | null>;
  /**
   * Names of the databases on `server` whose name starts with `prefix` (SQLite: the `.sqlite` files
   * under the data dir's `prefix` folder, as paths relative to the data dir) — for finding orphans.
   */
  list(server: DatabaseSpec, prefix: string, ctx: DriverContext): Promise<string[]>;
}

/** Name of the table Umzug's SequelizeStorage keeps the applied migrations in. */
export const MIGRATIONS_TABLE = 'SequelizeMeta';
