import { setTimeout as sleep } from 'node:timers/promises';
import { Transaction, type Sequelize, type TransactionOptions } from 'sequelize';
import { Conflict } from '@salesfleet/contracts';

/** Options of every write operation: run inside the caller's transaction instead of a new one. */
export interface WriteOptions {
  transaction?: Transaction;
}

/**
 * Thrown inside a write transaction when a concurrent writer took something first (an invoice number,
 * a new stock row): the transaction is rolled back and run again from the start.
 */
export class RetryableConflict extends Conflict {}

const MAX_ATTEMPTS = 8;

/** Lock waits that end in "try again": SQLite busy, PostgreSQL serialization/deadlock, MySQL deadlock. */
function isTransient(err: unknown): boolean {
  if (err instanceof RetryableConflict) return true;
  const e = err as { parent?: { code?: unknown; errno?: unknown }; original?: { code?: unknown; errno?: unknown }; message?: unknown };
  const cause = e?.parent ?? e?.original;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code === 'SQLITE_BUSY' || code === '40001' || code === '40P01' || code === 'ER_LOCK_DEADLOCK') return true;
  if (cause?.errno === 1213) return true;
  return typeof e?.message === 'string' && e.message.includes('SQLITE_BUSY');
}

// SQLite has one writer per file: queue this process's write transactions per instance, so they do
// not spin on SQLITE_BUSY against each other. BEGIN IMMEDIATE (below) serialises other processes.
const sqliteWriters = new WeakMap<Sequelize, Promise<unknown>>();

function serialised<T>(sequelize: Sequelize, task: () => Promise<T>): Promise<T> {
  const previous = sqliteWriters.get(sequelize) ?? Promise.resolve();
  const run = previous.then(task, task);
  sqliteWriters.set(
    sequelize,
    run.catch(() => undefined),
  );
  return run;
}

/** Transactions writeTransaction opened itself on PostgreSQL: their work may end with a query that commits them. */
const opened = new WeakSet<Transaction>();
/**
 * Transactions that a nested writeTransaction joined (`options.transaction`): the joining work is not
 * the transaction's last (its opener's work goes on after it), so no query of it may commit.
 */
const joined = new WeakSet<Transaction>();

/** Sequelize's patched transaction state (patches/sequelize@6.37.8.patch). */
interface PatchedTransaction {
  parent?: Transaction;
  /** Set once a query with `commitsTransaction` succeeded: the transaction is committed. */
  committedByQuery?: boolean;
}

/**
 * The query options that make a transaction's last query carry its COMMIT (one round trip fewer), or
 * none: only on PostgreSQL, in a transaction writeTransaction opened itself and no nested
 * writeTransaction joined (a quote's conversion writes its invoice, then the quote), not a savepoint.
 * Nothing may be sent in the transaction after that query, nor thrown: it is committed.
 */
export function commitWithLastQuery(transaction: Transaction): { commitsTransaction: true } | Record<string, never> {
  return opened.has(transaction) && !joined.has(transaction) && !(transaction as PatchedTransaction).parent
    ? { commitsTransaction: true }
    : {};
}

/**
 * Runs `work` in one write transaction and commits, or rolls everything back when it throws.
 *
 * - With `options.transaction`, `work` joins the caller's transaction (no retry: the caller owns it).
 * - SQLite: `BEGIN IMMEDIATE`, so the write lock is taken up front and two writers never interleave.
 * - PostgreSQL: the transaction's START TRANSACTION goes with its first query (`deferBegin`, see the
 *   Sequelize patch), and its last query may carry the COMMIT (commitWithLastQuery).
 * - PostgreSQL/MySQL: READ COMMITTED on both. The domain code relies on conditional updates (which
 *   re-check their condition against the latest committed row) and on reads after them seeing what
 *   committed meanwhile; MySQL's default REPEATABLE READ would keep answering those reads from the
 *   snapshot of the transaction's first read (a void then missed a payment that committed just
 *   before it and left it un-reversed).
 * - Deadlocks, busy databases and `RetryableConflict` roll back and run `work` again (a few times,
 *   with a short random pause), so `work` must not have side effects outside the database.
 */
export async function writeTransaction<T>(
  sequelize: Sequelize,
  work: (transaction: Transaction) => Promise<T>,
  options: WriteOptions = {},
): Promise<T> {
  if (options.transaction) {
    joined.add(options.transaction);
    return work(options.transaction);
  }
  const sqlite = sequelize.getDialect() === 'sqlite';
  const postgres = sequelize.getDialect() === 'postgres';
  for (let attempt = 1; ; attempt++) {
    let transaction: Transaction | undefined;
    try {
      if (sqlite) {
        return await serialised(sequelize, () => sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, work));
      }
      const isolation = { isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED };
      if (!postgres) return await sequelize.transaction(isolation, work);
      return await sequelize.transaction({ ...isolation, deferBegin: true } as TransactionOptions, (t) => {
        transaction = t;
        opened.add(t);
        return work(t);
      });
    } catch (err) {
      // Committed by its last query: never run again (whatever failed after, the work is done).
      if ((transaction as PatchedTransaction | undefined)?.committedByQuery) throw err;
      if (attempt >= MAX_ATTEMPTS || !isTransient(err)) throw err;
      await sleep(Math.floor(Math.random() * 10 * attempt) + 2);
    }
  }
}
