import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@salesfleet/contracts';
import { literal, type Model, type ModelStatic, type Order, type Sequelize, type WhereOptions } from 'sequelize';
import { isCalendarDate, ValidationFailed } from '@salesfleet/contracts';
import { rawSelect, rawSelectParts, type RawSelectParts } from '../raw-select';

/**
 * Small value helpers shared by the sales and accounting operations: calendar dates as `YYYY-MM-DD`,
 * integer cents from drivers, pagination.
 */

/** Today's date (UTC) as `YYYY-MM-DD`. Postings default to the tenant's day instead (settings' tenantToday). */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The calendar day after `date` (`YYYY-MM-DD`). */
export function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Returns `value` if it is a calendar date, else throws ValidationFailed naming `path`. */
export function checkDate(value: string, path: string): string {
  if (!isCalendarDate(value))
    throw new ValidationFailed(`${path} must be a date written YYYY-MM-DD`, [{ path, message: 'a date YYYY-MM-DD' }]);
  return value;
}

/** A DATEONLY value as `YYYY-MM-DD`, whatever the driver returned (string, or Date at UTC midnight). */
export function dateOnly(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

/** An integer amount from a driver (a number, or a string for BIGINT/DECIMAL sums on some set-ups). */
export function toCents(value: unknown): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`not an exact integer amount: ${String(value)}`);
  return n;
}

/**
 * `SUM(expr)` as exact decimal text, for report sums that may pass 2^53 (many documents at up to
 * MAX_AMOUNT each): PostgreSQL's numeric and MySQL's DECIMAL sums would otherwise be parsed into
 * floats (sequelize-options.ts), and SQLite's 64-bit integers read as JS numbers. Read the column with
 * `reportAmountBigInt` / `reportAmount` (@salesfleet/contracts). SQLite's SUM fails with "integer
 * overflow" past 2^63 − 1 cents rather than rounding. `over` adds a window (`OVER (…)`).
 */
export function sumAsText(sequelize: Sequelize, expr: string, over = ''): string {
  const text = sequelize.getDialect() === 'mysql' || sequelize.getDialect() === 'mariadb' ? 'CHAR' : 'TEXT';
  return `CAST(SUM(${expr})${over ? ` OVER (${over})` : ''} AS ${text})`;
}

/** Checks a positive integer amount of cents. */
export function checkPositiveCents(value: number, path: string): number {
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new ValidationFailed(`${path} must be a positive integer of cents`, [{ path, message: 'a positive integer (cents)' }]);
  return value;
}

export interface PageOptions {
  /** 1–500, default 50. */
  limit?: number;
  /** Default 0. */
  offset?: number;
}

/** One page of a list, with the number of matching rows. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@salesfleet/contracts';

export function pageWindow(options: PageOptions): { limit: number; offset: number } {
  const limit = options.limit ?? DEFAULT_PAGE_SIZE;
  const offset = options.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ValidationFailed(`limit must be 1–${MAX_PAGE_SIZE}`, [{ path: 'limit', message: `1–${MAX_PAGE_SIZE}` }]);
  }
  if (!Number.isInteger(offset) || offset < 0)
    throw new ValidationFailed('offset must be 0 or more', [{ path: 'offset', message: '0 or more' }]);
  return { limit, offset };
}

/** The column alias of the page query's window count; never a model attribute. */
const FULL_COUNT = '__fullCount';

/**
 * One page of `model` rows and the number of rows matching `where`, in one statement:
 * `COUNT(*) OVER ()` counts the filtered rows before LIMIT/OFFSET (SQLite ≥ 3.25, PostgreSQL, MySQL 8,
 * MariaDB 10.2). `findAndCountAll` sends two statements at once, which on a pool takes two
 * connections — on a cold PostgreSQL handle, a second backend to start. Only a page past the end
 * (no rows, offset > 0) needs a separate COUNT. No `include` (the count would count joined rows).
 */
export async function findPage<M extends Model>(
  model: ModelStatic<M>,
  options: { where: WhereOptions; order: Order; limit: number; offset: number },
): Promise<{ rows: M[]; count: number }> {
  const { where, order, limit, offset } = options;
  const rows = await model.findAll({
    where,
    order,
    limit,
    offset,
    attributes: { include: [[literal('COUNT(*) OVER ()'), FULL_COUNT]] },
  });
  if (rows.length === 0) return { rows, count: offset === 0 ? 0 : await model.count({ where }) };
  const count = Number(rows[0]!.getDataValue(FULL_COUNT as keyof M['_attributes']));
  for (const row of rows) {
    delete (row.dataValues as Record<string, unknown>)[FULL_COUNT];
    delete (row as unknown as { _previousDataValues: Record<string, unknown> })._previousDataValues[FULL_COUNT];
  }
  return { rows, count };
}

/**
 * A row as the driver returns it (`raw: true`), without a model instance: attribute names as keys, but
 * no type parsing — on SQLite dates are text and booleans 0/1 (`Raw<M>` types them so).
 */
export type RawRow<A> = { [K in keyof A]: A[K] extends Date ? Date | string : A[K] extends boolean ? boolean | number : A[K] };

/**
 * `findPage` for hot read-only lists: the same one statement, the rows as plain objects (building a
 * model instance per row and its change tracking was the largest share of Sequelize's CPU on a warm
 * product page), and from SQL text: `where` and `order` are SQL built with the model's
 * `rawSelectParts` (columns by attribute, values escaped by the dialect), the rest of the statement is
 * built once per model class — no `findAll` and query generator on every request (≈ 10 % of a warm
 * product page's CPU in the profile). `limit` and `offset` come from `pageWindow` (checked integers).
 */
export async function findRawPage<R extends object>(
  model: ModelStatic<Model>,
  options: { where: (s: RawSelectParts) => string[]; order: (s: RawSelectParts) => string; limit: number; offset: number },
): Promise<{ rows: R[]; count: number }> {
  const { limit, offset } = options;
  if (!Number.isInteger(limit) || !Number.isInteger(offset)) throw new Error('limit and offset must be integers (pageWindow)');
  const s = rawSelectParts(model);
  const conditions = options.where(s);
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  const rows = await rawSelect<R & { [FULL_COUNT]?: unknown }>(
    model,
    `SELECT ${s.columns}, COUNT(*) OVER () AS ${s.quote(FULL_COUNT)} FROM ${s.from}${where} ORDER BY ${options.order(s)} LIMIT ${limit} OFFSET ${offset}`,
  );
  if (rows.length === 0) {
    if (offset === 0) return { rows, count: 0 };
    const [total] = await rawSelect<{ n: unknown }>(model, `SELECT COUNT(*) AS ${s.quote('n')} FROM ${s.from}${where}`);
    return { rows, count: Number(total?.n ?? 0) };
  }
  const count = Number(rows[0]![FULL_COUNT]);
  for (const row of rows) delete row[FULL_COUNT];
  return { rows, count };
}
