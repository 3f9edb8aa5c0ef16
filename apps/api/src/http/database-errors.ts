import { BaseError as SequelizeBaseError, ConnectionError, ForeignKeyConstraintError } from 'sequelize';
import { Conflict, DatabaseUnreachable, type SalesfleetError } from '@salesfleet/contracts';

/** Driver codes that mean the connection to the database is gone or cannot be made. */
const CONNECTION_CODES = new Set([
  // Node sockets (pg, mysql2)
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // mysql2
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_CONNECTION_KILLED',
  // PostgreSQL SQLSTATE: connection exceptions (08…), operator intervention (57P01-57P03)
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  // SQLite: the file is gone or unreadable
  'SQLITE_CANTOPEN',
]);

/** Messages of drivers that report a lost connection without a code. */
const CONNECTION_MESSAGES = [
  /Connection terminated/i,
  /connection is in closed state/i,
  /Client has encountered a connection error/i,
  /Connection lost/i,
];

/** The error and everything it wraps (`parent`, `original`, `cause`), nearest first. */
function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  let current: unknown = err;
  while (current && typeof current === 'object' && out.length < 6 && !out.includes(current)) {
    out.push(current);
    const e = current as { parent?: unknown; original?: unknown; cause?: unknown };
    current = e.parent ?? e.original ?? e.cause;
  }
  return out;
}

/** Whether a driver or Sequelize error means the database is unreachable (not that the query was wrong). */
export function isConnectionFailure(err: unknown): boolean {
  return chain(err).some((e) => {
    if (e instanceof ConnectionError) return true;
    if (e instanceof SequelizeBaseError && e.name === 'SequelizeConnectionAcquireTimeoutError') return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    const message = (e as { message?: unknown }).message;
    return typeof message === 'string' && CONNECTION_MESSAGES.some((re) => re.test(message));
  });
}

/**
 * The one mapping of database failures that are not bugs to our errors: a lost or refused connection
 * is a 503 (the workspace's database is away), a foreign key whose row vanished meanwhile (a customer
 * deleted while an invoice for them was being created) is a 409. Anything else stays unknown (500).
 */
export function fromDatabaseError(err: unknown, slug: string | undefined): SalesfleetError | null {
  if (isConnectionFailure(err)) {
    const message = slug
      ? `The database of workspace "${slug}" is unreachable; try again in a moment`
      : 'The database is unreachable; try again in a moment';
    return new DatabaseUnreachable(slug ? `of workspace "${slug}"` : 'of this workspace', 'connection lost or refused', {
      message,
      retryAfterSeconds: 5,
    });
  }
  if (err instanceof ForeignKeyConstraintError) {
    return new Conflict('A record this one refers to was changed or removed meanwhile; reload and try again');
  }
  return null;
}

/** String literals (with '' or \' escapes) and numbers in SQL: the bound values inlined by Sequelize. */
const SQL_VALUES = /[EeNnXxBb]?'(?:[^'\\]|\\.|'')*'|(?<![\w$."`])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w$])/g;

/** A statement with every literal value replaced by `?`: which query failed, without anyone's data. */
export function redactSql(sql: string): string {
  return sql.replace(SQL_VALUES, '?').slice(0, 2000);
}

/**
 * What the log may say about an unknown error: its name, code and message, and for database errors
 * the statement without values — never the bound parameters, the raw driver error or its `detail`
 * (PostgreSQL puts the conflicting row's values there).
 */
export function loggableError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const out: Record<string, unknown> = { type: err.name, message: err.message };
  const code = chain(err)
    .map((e) => (e as { code?: unknown }).code)
    .find((c) => typeof c === 'string');
  if (code) out.code = code;
  if (err instanceof SequelizeBaseError) {
    const sql = (err as { sql?: unknown }).sql;
    if (typeof sql === 'string') out.sql = redactSql(sql);
    // Sequelize copies the driver's message, which for some drivers quotes the values.
    out.message = redactSql(err.message);
  } else if (err.stack) {
    out.stack = err.stack;
  }
  return out;
}
