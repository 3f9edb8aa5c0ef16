import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { migrateUp } from '@salesfleet/migrations';
import { TableDigest, databaseValue, readArchive, storedRow, type ArchiveHeader, type ManifestTable, type RowValue } from './archive';
import { readRows } from './snapshot';
import { readTablePlan, type ArchiveColumn } from './table-plan';
import { ArchiveInvalid } from '@salesfleet/contracts';

/**
 * Rows per INSERT statement (bound parameters stay under every engine's limit), per statement batch
 * (one COPY on PostgreSQL), and per commit.
 */
const INSERT_ROWS = 2000;
const MAX_PARAMETERS = 30_000;
const TRANSACTION_ROWS = 20_000;
const COMMIT_ROWS = 200_000;

export interface LoadProgress {
  phase: 'load' | 'verify';
  table: string;
  rowsDone: number;
  rowsTotal: number;
}

export interface LoadResult {
  /** The tables as read back from the target: rows and SHA-256 of the stored rows. */
  tables: ManifestTable[];
  rows: number;
}

/**
 * Loads a verified archive into an empty database: migrates it to the archive's schema version,
 * inserts every table's rows in dependency order (explicit ids; PostgreSQL sequences are moved past
 * them afterwards), then reads every table back and compares row counts and SHA-256 with what was
 * written. A datetime column that keeps whole seconds (MySQL DATETIME) is compared at that precision.
 * Throws ArchiveInvalid when the archive's tables do not fit the schema, Error on a mismatch.
 */
export async function loadArchive(
  sequelize: Sequelize,
  file: string,
  header: ArchiveHeader,
  onProgress?: (progress: LoadProgress) => void,
): Promise<LoadResult> {
  if (header.schemaVersion) await migrateUp(sequelize, 'tenant', { to: header.schemaVersion });
  const plan = new Map((await readTablePlan(sequelize)).map((t) => [t.name, t]));
  const targetColumns = new Map<string, ArchiveColumn[]>();
  for (const table of header.tables) {
    const target = plan.get(table.name);
    if (!target) throw new ArchiveInvalid(file, `table ${table.name} does not exist at schema version ${header.schemaVersion}`);
    const columns = table.columns.map((c) => {
      const column = target.columns.find((t) => t.name === c.name);
      if (!column)
        throw new ArchiveInvalid(file, `column ${table.name}.${c.name} does not exist at schema version ${header.schemaVersion}`);
      return column;
    });
    targetColumns.set(table.name, columns);
  }
  const qi = sequelize.getQueryInterface();

  const rowsTotal = header.tables.reduce((n, t) => n + t.rows, 0);
  const expected = new Map<string, { rows: number; sha256: string }>();
  let rowsDone = 0;
  let table: string | null = null;
  let columns: ArchiveColumn[] = [];
  let digest = new TableDigest();
  let trimmed = false;
  let batch: RowValue[][] = [];
  let pending: unknown[][][] = [];
  let pendingRows = 0;

  // Rows go in through one transaction for many tables (a commit costs a flush to disk on every
  // engine; one per table made small tables the slowest part of a load), committed every COMMIT_ROWS.
  let transaction: Transaction | null = null;
  let uncommitted = 0;
  const commit = async () => {
    const open = transaction;
    transaction = null;
    uncommitted = 0;
    await open?.commit();
  };
  const flushTransaction = async () => {
    if (pending.length === 0) return;
    const statements = pending;
    const name = table!;
    uncommitted += pendingRows;
    pending = [];
    pendingRows = 0;
    const names = columns.map((c) => qi.quoteIdentifier(c.name)).join(', ');
    transaction ??= await sequelize.transaction();
    if (copyable(sequelize, columns)) {
      await copyRows(transaction, `COPY ${qi.quoteIdentifier(name)} (${names}) FROM STDIN`, statements);
    } else {
      for (const rows of statements) {
        // One multi-row INSERT with bound parameters: the driver serialises values, no SQL escaping in JS.
        let n = 0;
        const tuples = rows.map((row) => `(${row.map(() => `$${++n}`).join(', ')})`).join(', ');
        await sequelize.query(`INSERT INTO ${qi.quoteIdentifier(name)} (${names}) VALUES ${tuples}`, { bind: rows.flat(), transaction });
      }
    }
    if (uncommitted >= COMMIT_ROWS) await commit();
  };
  const flushBatch = async () => {
    if (batch.length === 0) return;
    const dialect = sequelize.getDialect();
    pending.push(batch.map((row) => row.map((v, i) => databaseValue(v, columns[i]!, dialect))));
    pendingRows += batch.length;
    rowsDone += batch.length;
    batch = [];
    if (pendingRows >= TRANSACTION_ROWS) await flushTransaction();
    onProgress?.({ phase: 'load', table: table!, rowsDone, rowsTotal });
  };

  try {
    transaction = await sequelize.transaction();
    // Migrations may seed rows; the archive's rows replace them (children first).
    for (const t of [...plan.values()].reverse()) await sequelize.query(`DELETE FROM ${qi.quoteIdentifier(t.name)}`, { transaction });
    for await (const event of readArchive(file)) {
      if (event.kind === 'table') {
        table = event.table.name;
        columns = targetColumns.get(table)!;
        digest = new TableDigest();
        // Stored as written unless a datetime column keeps whole seconds: then the digest to expect is
        // over the rows as stored, else the archive's own (checked by readArchive) is the one.
        trimmed = columns.some((c) => c.family === 'datetime' && c.wholeSeconds);
      } else if (event.kind === 'row') {
        if (trimmed) digest.add(storedRow(event.row, columns));
        batch.push(event.row);
        if (batch.length >= Math.min(INSERT_ROWS, Math.floor(MAX_PARAMETERS / columns.length))) await flushBatch();
      } else if (event.kind === 'end') {
        await flushBatch();
        await flushTransaction();
        expected.set(table!, trimmed ? { rows: digest.rows, sha256: digest.digest() } : { rows: event.rows, sha256: event.sha256 });
        table = null;
      }
    }
    await commit();
  } catch (err) {
    await (transaction as Transaction | null)?.rollback().catch(() => undefined);
    throw err;
  }
  if (sequelize.getDialect() === 'postgres') await resetSequences(sequelize, header);

  const tables: ManifestTable[] = [];
  let verified = 0;
  for (const t of header.tables) {
    const check = new TableDigest();
    for await (const page of readRows(sequelize, { name: t.name, columns: targetColumns.get(t.name)!, primaryKey: t.primaryKey })) {
      for (const row of page) check.add(row);
      verified += page.length;
      onProgress?.({ phase: 'verify', table: t.name, rowsDone: verified, rowsTotal });
    }
    const want = expected.get(t.name)!;
    const sha256 = check.digest();
    if (check.rows !== want.rows || sha256 !== want.sha256) {
      throw new Error(
        `verification failed: table ${t.name} holds ${check.rows} rows (expected ${want.rows})${sha256 === want.sha256 ? '' : ', and its SHA-256 differs'}`,
      );
    }
    tables.push({ name: t.name, rows: check.rows, sha256 });
  }
  return { tables, rows: rowsTotal };
}

/** PostgreSQL takes rows through COPY (every column family this schema has is plain text in COPY's format). */
function copyable(sequelize: Sequelize, columns: readonly ArchiveColumn[]): boolean {
  return sequelize.getDialect() === 'postgres' && columns.every((c) => c.family !== 'binary');
}

/**
 * `COPY … FROM STDIN` in COPY's text format on the transaction's own connection (pg-copy-streams):
 * about ten times the rows per second of multi-row INSERTs, which bind and plan every statement.
 */
async function copyRows(transaction: Transaction, sql: string, batches: unknown[][][]): Promise<void> {
  // Sequelize keeps the transaction's pg client on it; COPY must run on that very connection.
  const client = (transaction as unknown as { connection: ClientBase }).connection;
  function* lines(): Generator<string> {
    for (const rows of batches) {
      let chunk = '';
      for (const row of rows) chunk += `${row.map(copyText).join('\t')}\n`;
      yield chunk;
    }
  }
  await pipeline(Readable.from(lines()), client.query(copyFrom(sql)));
}

/** One value in COPY's text format: \N for NULL, t/f, and backslash escapes for the four characters that need them. */
function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /[\\\n\r\t]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t') : text;
}

/** After explicit ids, each serial sequence continues after the largest id (PostgreSQL only). */
async function resetSequences(sequelize: Sequelize, header: ArchiveHeader): Promise<void> {
  const qi = sequelize.getQueryInterface();
  for (const t of header.tables) {
    if (t.primaryKey.length !== 1) continue;
    const key = t.primaryKey[0]!;
    const sequence = await sequelize.query<{ seq: string | null }>('SELECT pg_get_serial_sequence(:table, :key) AS seq', {
      type: QueryTypes.SELECT,
      replacements: { table: qi.quoteIdentifier(t.name), key },
    });
    const seq = sequence[0]?.seq;
    if (!seq) continue;
    const k = qi.quoteIdentifier(key);
    await sequelize.query(`SELECT setval(:seq, COALESCE(MAX(${k}), 1), MAX(${k}) IS NOT NULL) FROM ${qi.quoteIdentifier(t.name)}`, {
      type: QueryTypes.SELECT,
      replacements: { seq },
    });
  }
}
