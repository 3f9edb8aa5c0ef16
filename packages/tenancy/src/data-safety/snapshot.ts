import { QueryTypes, Transaction, type Sequelize } from 'sequelize';
import { MIGRATION_TABLE } from '@salesfleet/migrations';
import { type ArchiveTableHeader, type RowValue, canonicalValue } from './archive';
import { readTablePlan, type TablePlan } from './table-plan';

/** Rows read per statement: keyset pages by primary key keep memory flat and every page cheap. */
export const PAGE_ROWS = 2000;

export interface Snapshot {
  transaction: Transaction;
  tables: TablePlan[];
  /** Applied tenant migrations, oldest first. */
  migrations: string[];
}

/**
 * Runs `fn` inside one read-only transaction that sees a single point in time: REPEATABLE READ on
 * PostgreSQL and MySQL/MariaDB (InnoDB's consistent read), a deferred read transaction on SQLite (a
 * WAL reader keeps the snapshot of its first read). Writers are never blocked. `sequelize` must be a
 * private instance with a pool of one (MySQL's read-only mode is set on its session).
 */
export async function withSnapshot<T>(sequelize: Sequelize, fn: (snapshot: Snapshot) => Promise<T>): Promise<T> {
  const dialect = sequelize.getDialect();
  // MySQL sets the isolation level before START TRANSACTION and takes no READ ONLY from Sequelize:
  // the session (this instance's only connection) is made read-only instead.
  if (dialect === 'mysql') await sequelize.query('SET SESSION TRANSACTION READ ONLY');
  const options =
    dialect === 'sqlite' ? { type: Transaction.TYPES.DEFERRED } : { isolationLevel: Transaction.ISOLATION_LEVELS.REPEATABLE_READ };
  return sequelize.transaction(options, async (transaction) => {
    if (dialect === 'postgres') await sequelize.query('SET TRANSACTION READ ONLY', { transaction });
    if (dialect === 'sqlite') await sequelize.query('PRAGMA query_only = ON', { transaction });
    // The first read fixes the snapshot; the table plan and migrations are read inside it.
    const migrations = await readMigrations(sequelize, transaction);
    const tables = await readTablePlan(sequelize, transaction);
    return fn({ transaction, tables, migrations });
  });
}

async function readMigrations(sequelize: Sequelize, transaction: Transaction): Promise<string[]> {
  const qi = sequelize.getQueryInterface();
  const rows = await sequelize.query<{ name: string }>(
    `SELECT ${qi.quoteIdentifier('name')} AS name FROM ${qi.quoteIdentifier(MIGRATION_TABLE)}`,
    {
      type: QueryTypes.SELECT,
      transaction,
    },
  );
  return rows.map((r) => r.name).sort();
}

export async function countRows(sequelize: Sequelize, table: string, transaction?: Transaction): Promise<number> {
  const qi = sequelize.getQueryInterface();
  const rows = await sequelize.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${qi.quoteIdentifier(table)}`, {
    type: QueryTypes.SELECT,
    transaction,
  });
  return Number(rows[0]?.n ?? 0);
}

/**
 * Every row of `table` as canonical archive values, in primary key order, `PAGE_ROWS` per statement
 * (keyset paging: `WHERE (pk…) > (last…)`). A table without a primary key is read in pages ordered by
 * all its columns.
 */
export async function* readRows(
  sequelize: Sequelize,
  table: Pick<ArchiveTableHeader, 'name' | 'columns' | 'primaryKey'>,
  transaction?: Transaction,
): AsyncGenerator<RowValue[][]> {
  const qi = sequelize.getQueryInterface();
  const columns = table.columns.map((c) => qi.quoteIdentifier(c.name)).join(', ');
  const from = qi.quoteIdentifier(table.name);
  const key = table.primaryKey.length > 0 ? table.primaryKey : table.columns.map((c) => c.name);
  const keyList = key.map((k) => qi.quoteIdentifier(k)).join(', ');
  const keyIndex = key.map((k) => table.columns.findIndex((c) => c.name === k));
  const keyed = table.primaryKey.length > 0;
  let last: unknown[] | null = null;
  let offset = 0;
  for (;;) {
    const where: string = keyed && last ? ` WHERE (${keyList}) > (${last.map(() => '?').join(', ')})` : '';
    const page = keyed ? '' : ` OFFSET ${offset}`;
    const raw: Record<string, unknown>[] = await sequelize.query<Record<string, unknown>>(
      `SELECT ${columns} FROM ${from}${where} ORDER BY ${keyList} LIMIT ${PAGE_ROWS}${page}`,
      {
        type: QueryTypes.SELECT,
        transaction,
        raw: true,
        ...(last ? { replacements: last } : {}),
      },
    );
    if (raw.length === 0) return;
    const rows = raw.map((r) => table.columns.map((c) => canonicalValue(r[c.name], c)));
    yield rows;
    if (raw.length < PAGE_ROWS) return;
    const tail: Record<string, unknown> = raw[raw.length - 1]!;
    last = key.map((k, i): unknown => (keyIndex[i]! >= 0 ? tail[k] : null));
    offset += raw.length;
  }
}
