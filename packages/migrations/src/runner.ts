import { DataTypes, QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { SequelizeStorage, UmzugStorage } from 'umzug';
import { registryMigrations } from './registry/index';
import { tenantMigrations } from './tenant/index';
import type { MigrationDefinition, MigrationSet } from './types';
import { Conflict, type MigrationDirection, MigrationFailed, NotFound } from '@salesfleet/contracts';

/** Umzug's bookkeeping table (SequelizeStorage default), one row per applied migration. */
export const MIGRATION_TABLE = 'SequelizeMeta';

export interface MigrationRunOptions {
  /** Use this list instead of the set's migrations (tests inject a failing migration this way). */
  migrations?: readonly MigrationDefinition[];
}

export interface MigrateUpOptions extends MigrationRunOptions {
  /** Stop after this migration (inclusive); default: apply everything pending. */
  to?: string;
}

export interface MigrationStatus {
  /** Applied migrations, oldest first; the last one is the schema version. */
  applied: string[];
  /** Known migrations not yet applied, in the order they would run. */
  pending: string[];
}

function definitions(set: MigrationSet, options: MigrationRunOptions = {}): readonly MigrationDefinition[] {
  if (options.migrations) return options.migrations;
  if (set === 'tenant') return tenantMigrations;
  if (set === 'registry') return registryMigrations;
  throw new NotFound('Migration set', String(set));
}

/** Names of a set's migrations, oldest first. */
export function migrationNames(set: MigrationSet, options: MigrationRunOptions = {}): string[] {
  return definitions(set, options).map((m) => m.name);
}

/**
 * PostgreSQL and SQLite DDL is transactional: there each migration and its bookkeeping row commit
 * together (on SQLite this is also ~10× faster than one fsync per statement). MySQL commits DDL
 * implicitly, so there a failing migration can leave part of its changes behind.
 */
function isTransactional(sequelize: Sequelize): boolean {
  const dialect = sequelize.getDialect();
  return dialect === 'postgres' || dialect === 'sqlite';
}

function isMissingTable(err: unknown): boolean {
  const e = err as { original?: { code?: string; errno?: number }; parent?: { code?: string }; message?: string };
  const code = e.original?.code ?? e.parent?.code;
  return (
    code === '42P01' || // postgres: undefined_table
    code === 'ER_NO_SUCH_TABLE' || // mysql / mariadb
    e.original?.errno === 1146 ||
    /no such table/i.test(e.message ?? '') // sqlite
  );
}

/** Applied migration names, oldest first: one SELECT; no bookkeeping table means nothing applied. */
async function readApplied(sequelize: Sequelize): Promise<string[]> {
  const qi = sequelize.getQueryInterface();
  try {
    const rows = await sequelize.query<{ name: string }>(
      `SELECT ${qi.quoteIdentifier('name')} AS name FROM ${qi.quoteIdentifier(MIGRATION_TABLE)}`,
      { type: QueryTypes.SELECT },
    );
    return rows.map((r) => r.name).sort();
  } catch (err) {
    if (isMissingTable(err)) return [];
    throw err;
  }
}

/**
 * `{ applied, pending }` for one database — a single SELECT on the bookkeeping table (fleet checks
 * run it for every tenant). Applied names the code does not know (a newer deployment) are listed in
 * `applied` too; the last applied name is the database's schema version.
 */
export async function migrationStatus(
  sequelize: Sequelize,
  set: MigrationSet,
  options: MigrationRunOptions = {},
): Promise<MigrationStatus> {
  const applied = await readApplied(sequelize);
  const done = new Set(applied);
  return { applied, pending: migrationNames(set, options).filter((name) => !done.has(name)) };
}

interface MetaModel {
  sync(): Promise<unknown>;
  create(values: { name: string }, options: { transaction: Transaction }): Promise<unknown>;
  destroy(options: { where: { name: string }; transaction: Transaction }): Promise<unknown>;
}

/**
 * SequelizeStorage, except that on PostgreSQL and SQLite the row is written by the migration's own
 * transaction (see `runner`), so Umzug's separate log/unlog calls do nothing there.
 */
class MigrationLog implements UmzugStorage {
  readonly meta: MetaModel;

  constructor(
    private readonly storage: SequelizeStorage,
    private readonly sequelize: Sequelize,
    private readonly transactional: boolean,
  ) {
    this.meta = storage.model as unknown as MetaModel;
  }

  async logMigration(params: { name: string }): Promise<void> {
    if (!this.transactional) await this.storage.logMigration(params);
  }

  async unlogMigration(params: { name: string }): Promise<void> {
    if (!this.transactional) await this.storage.unlogMigration(params);
  }

  executed(): Promise<string[]> {
    return readApplied(this.sequelize);
  }
}

/**
 * Umzug and its dependencies are loaded only when something is to be applied or reverted: a start
 * with an up-to-date registry (nearly every start) skips them.
 */
async function runner(sequelize: Sequelize, set: MigrationSet, options: MigrationRunOptions, metaTableExists: boolean) {
  const { MigrationError, SequelizeStorage, Umzug } = await import('umzug');
  const transactional = isTransactional(sequelize);
  const log = new MigrationLog(new SequelizeStorage({ sequelize }), sequelize, transactional);
  const queryInterface = sequelize.getQueryInterface();

  // A bookkeeping table with rows exists: no CREATE TABLE IF NOT EXISTS before each migration then.
  let metaTableReady = metaTableExists;
  const run = async (definition: MigrationDefinition, direction: MigrationDirection) => {
    if (!transactional) {
      await definition[direction]({ queryInterface, sequelize });
      return;
    }
    await sequelize.transaction(async (transaction) => {
      if (!metaTableReady) {
        // Same table SequelizeStorage defines, created in the first migration's transaction.
        await queryInterface.createTable(
          MIGRATION_TABLE,
          { name: { type: DataTypes.STRING, allowNull: false, unique: true, primaryKey: true } },
          { transaction },
        );
      }
      await definition[direction]({ queryInterface, sequelize, transaction });
      if (direction === 'up') await log.meta.create({ name: definition.name }, { transaction });
      else await log.meta.destroy({ where: { name: definition.name }, transaction });
    });
    metaTableReady = true;
  };

  const umzug = new Umzug({
    migrations: definitions(set, options).map((definition) => ({
      name: definition.name,
      up: () => run(definition, 'up'),
      down: () => run(definition, 'down'),
    })),
    context: {},
    storage: log,
    logger: undefined,
  });
  const failure = (err: unknown, direction: MigrationDirection, completed: string[]): unknown => {
    if (err instanceof MigrationError) {
      const name = (err.migration as { name?: string } | undefined)?.name ?? 'unknown';
      return new MigrationFailed(name, direction, err.cause ?? err, { completed, rolledBack: transactional });
    }
    return err;
  };
  return { umzug, log, transactional, failure };
}

/**
 * Applies pending migrations of `set` (all, or up to and including `to`), stopping at the first
 * failure; migrations before it stay applied. On PostgreSQL and SQLite each migration and its
 * bookkeeping row run in one transaction, so the failing one leaves nothing behind; on MySQL its
 * statements before the error stay (DDL commits implicitly there).
 * Throws MigrationFailed (with the failing migration's name) or NotFound for an unknown `to`.
 * `status`: what is applied and pending once it has run (its own first read plus what it applied).
 */
export async function migrateUp(
  sequelize: Sequelize,
  set: MigrationSet,
  options: MigrateUpOptions = {},
): Promise<{ applied: string[]; status: MigrationStatus }> {
  const names = migrationNames(set, options);
  if (options.to !== undefined && !names.includes(options.to)) throw new NotFound('Migration', options.to);
  const before = await readApplied(sequelize);
  const done = new Set(before);
  // The status after the run, from the read it starts with: a caller needs no second read.
  const statusAfter = (applied: string[]): MigrationStatus => {
    for (const name of applied) done.add(name);
    return { applied: [...before, ...applied].sort(), pending: names.filter((name) => !done.has(name)) };
  };
  const wanted = options.to === undefined ? names : names.slice(0, names.indexOf(options.to) + 1);
  if ((options.to !== undefined && done.has(options.to)) || wanted.every((name) => done.has(name)))
    return { applied: [], status: statusAfter([]) };
  const { umzug, log, transactional, failure } = await runner(sequelize, set, options, before.length > 0);
  // Transactional dialects create it with the first migration; a table with rows is there already.
  if (!transactional && before.length === 0) await log.meta.sync();

  const applied: string[] = [];
  umzug.on('migrated', ({ name }) => void applied.push(name));
  try {
    await umzug.up(options.to === undefined ? {} : { to: options.to });
  } catch (err) {
    throw failure(err, 'up', applied);
  }
  return { applied, status: statusAfter(applied) };
}

/** Reverts the last applied migration of `set` (none applied: nothing to do). */
export async function migrateDown(
  sequelize: Sequelize,
  set: MigrationSet,
  options: MigrationRunOptions = {},
): Promise<{ reverted: string[] }> {
  const last = (await readApplied(sequelize)).at(-1);
  if (last !== undefined && !migrationNames(set, options).includes(last)) {
    // Reverting an older, known migration under an unknown newer one would corrupt the schema.
    throw new Conflict(`The last applied migration ${last} is unknown to this version; revert it with the version that applied it.`);
  }
  const { umzug, failure } = await runner(sequelize, set, options, last !== undefined);
  const reverted: string[] = [];
  umzug.on('reverted', ({ name }) => void reverted.push(name));
  try {
    await umzug.down();
  } catch (err) {
    throw failure(err, 'down', reverted);
  }
  return { reverted };
}
