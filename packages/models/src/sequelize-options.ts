import type { Engine } from '@salesfleet/contracts';
import type { Options, Sequelize } from 'sequelize';

/** A tenant database's dialect is its engine. */
export type TenantDialect = Engine;

// PostgreSQL type OIDs: int8 (BIGINT, COUNT(*)) and numeric (SUM of a BIGINT column).
const PG_INT8 = 20;
const PG_NUMERIC = 1700;

interface PgTypeParsers {
  setTypeParser(oid: number, format: 'text', parse: (value: string) => unknown): void;
}

/**
 * `afterConnect` hook for PostgreSQL: parse BIGINT and NUMERIC as JS numbers on this connection only.
 * Money is integer cents in BIGINT columns; pg returns BIGINT (and SUM over it) as strings by default.
 * Tenant databases hold no fractional NUMERIC columns, and cents stay exact up to 2^53 (≈ 90 trillion
 * units of currency). Nothing global is changed: `pg.types` stays untouched for other code.
 */
export function usePgNumberParsers(connection: unknown): void {
  const client = connection as Partial<PgTypeParsers>;
  if (typeof client.setTypeParser !== 'function') return;
  client.setTypeParser(PG_INT8, 'text', Number);
  client.setTypeParser(PG_NUMERIC, 'text', Number);
}

type HookEntry = ((...args: unknown[]) => unknown) | { name: string; fn: (...args: unknown[]) => unknown };

function hasNumberParsers(sequelize: Sequelize): boolean {
  // `options` is public at runtime but missing from Sequelize's typings.
  const { options } = sequelize as unknown as { options: { hooks?: Record<string, HookEntry[] | undefined> } };
  const hooks = options.hooks?.afterConnect ?? [];
  return hooks.some((h) => h === usePgNumberParsers || (typeof h === 'object' && h.fn === usePgNumberParsers));
}

/**
 * Makes sure connections opened from now on return BIGINT amounts as numbers (PostgreSQL only; SQLite
 * and MySQL already do for columns). Called by defineTenantModels. Connections already open keep
 * pg's defaults, so create the instance with `tenantSequelizeOptions()` to cover every connection.
 */
export function installNumericParsers(sequelize: Sequelize): void {
  if (sequelize.getDialect() !== 'postgres' || hasNumberParsers(sequelize)) return;
  sequelize.addHook('afterConnect', usePgNumberParsers);
}

/**
 * Options every tenant Sequelize instance should be created with, merged into `options`:
 * - PostgreSQL: an `afterConnect` hook that parses BIGINT/NUMERIC as numbers per connection;
 * - MySQL/MariaDB: `decimalNumbers`, so SUM() over BIGINT amounts (a DECIMAL) is a number too.
 */
export function tenantSequelizeOptions(dialect: TenantDialect, options: Options = {}): Options {
  const out: Options = { ...options, dialect };
  if (dialect === 'postgres') {
    const hooks = { ...(options.hooks ?? {}) } as Record<string, unknown>;
    const existing = hooks.afterConnect;
    const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
    hooks.afterConnect = [...list, usePgNumberParsers];
    out.hooks = hooks as Options['hooks'];
  } else if (dialect === 'mysql') {
    out.dialectOptions = { ...(options.dialectOptions ?? {}), decimalNumbers: true };
  }
  return out;
}
