import type { Model, ModelStatic, Transaction } from 'sequelize';
import type { Invoice, InvoiceLine, Payment, TenantModels } from '../model-types';
import { rawReads, rawSelectParts } from '../raw-select';

/**
 * The rows of an issued sale written in one round trip on PostgreSQL: the stock levels' UPDATE …
 * RETURNING (settled after: a shortage throws and the transaction rolls back), the valuation UPDATE,
 * then the invoice, its lines, stock movements, journal entries and lines, and payments as INSERTs of one
 * multi-statement query (the simple query protocol runs them in order, inside the sale's
 * transaction; the first failure stops the rest and fails the query, so the transaction rolls back as
 * a whole). Rows that point at a row inserted just before them take its id from the session's
 * `currval` of that table's sequence, so nothing waits for an id to come back. On a loaded two-core
 * machine each statement sent costs the API a socket write and a wake-up (about a third of its CPU per
 * sale was those writes): nine statements become one.
 *
 * Every value is written into the SQL text as a literal escaped by the dialect (as Sequelize escapes
 * replacements); ids, amounts and quantities are integers checked before they get here.
 */

/** A column's value: a literal to escape, or SQL that names an id just inserted (`currval(…)`). */
export type RowValue = string | number | boolean | Date | null | { sql: string };

export interface SaleRowsWriter {
  /** Appends a statement as it is (the stock levels' UPDATE … RETURNING, the valuation UPDATE); answers its index in send's answer. */
  statement(sql: string): number;
  /**
   * Appends an INSERT of `rows` (attribute → value, every row the same attributes); `returning`: its
   * ids come back, in order (checked to be integers). Answers its index in send's answer (-1: no rows, nothing sent).
   */
  insert(model: ModelStatic<Model>, rows: readonly Record<string, RowValue>[], returning?: boolean): number;
  /** SQL for the id of the row of `model` inserted last in this session (the table's sequence). */
  lastId(model: ModelStatic<Model>): { sql: string };
  /** Sends everything as one query (with the transaction's COMMIT when `options` say so, commitWithLastQuery); the rows each statement returned, by index. */
  send(options?: { commitsTransaction?: true }): Promise<Record<string, unknown>[][]>;
}

export function saleRowsWriter(models: TenantModels, transaction: Transaction): SaleRowsWriter {
  const statements: string[] = [];
  const returningIds = new Set<number>();
  const literal = (s: ReturnType<typeof rawSelectParts>, value: RowValue) =>
    value !== null && typeof value === 'object' && !(value instanceof Date) ? value.sql : s.escape(value);
  return {
    statement(sql) {
      return statements.push(sql) - 1;
    },
    insert(model, rows, returning = false) {
      if (rows.length === 0) return -1;
      const s = rawSelectParts(model);
      const attributes = Object.keys(rows[0]!);
      const tuples = rows.map((row) => `(${attributes.map((a) => literal(s, row[a]!)).join(', ')})`);
      const at =
        statements.push(
          `INSERT INTO ${s.table} (${attributes.map((a) => s.field(a)).join(', ')}) VALUES ${tuples.join(', ')}` +
            (returning ? ` RETURNING ${s.field('id')} AS ${s.quote('id')}` : ''),
        ) - 1;
      if (returning) returningIds.add(at);
      return at;
    },
    lastId(model) {
      const s = rawSelectParts(model);
      return { sql: `currval(pg_get_serial_sequence(${s.escape(s.table)}, ${s.escape('id')}))` };
    },
    async send(options = {}) {
      // One query, several statements: PostgreSQL answers each (rawReads).
      const answers = await rawReads<Record<string, unknown>[][]>(
        models.sequelize,
        statements.map((sql) => ({ sql, read: (rows) => rows })),
        transaction,
        options,
      );
      for (const at of returningIds) {
        for (const row of answers[at]!) {
          row.id = Number(row.id);
          if (!Number.isSafeInteger(row.id)) throw new Error('The database did not return the ids of the sale rows');
        }
      }
      return answers;
    },
  };
}

/** Model instances of rows written by saleRowsWriter (no query): what the API answers the sale with. */
export function builtInvoice(
  models: TenantModels,
  invoice: Record<string, unknown>,
  lines: readonly Record<string, unknown>[],
  payments: readonly Record<string, unknown>[],
): Invoice {
  const built = models.Invoice.build(invoice as never, { isNewRecord: false, raw: true }) as Invoice;
  built.lines = lines.map((l) => models.InvoiceLine.build(l as never, { isNewRecord: false, raw: true }) as InvoiceLine);
  built.payments = payments.map((p) => models.Payment.build(p as never, { isNewRecord: false, raw: true }) as Payment);
  built.creditedTotal = 0;
  return built;
}
