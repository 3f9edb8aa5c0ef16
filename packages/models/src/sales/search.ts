import { literal, Op, type WhereOptions } from 'sequelize';
import type { TenantModels } from '../model-types';
import type { RawSelectParts } from '../raw-select';

/** `%text%` for LIKE with `!` as the escape character (SQLite has no default escape; `\` means different things per dialect). */
export function likeContains(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_]/g, (ch) => `!${ch}`)}%`;
}

/**
 * A condition "any of these columns contains `text`, ignoring case", the same on SQLite, PostgreSQL
 * and MySQL: `LOWER(alias.column) LIKE '%text%' ESCAPE '!'` (LOWER folds ASCII everywhere; SQLite
 * leaves other letters as they are). `alias` is the model name Sequelize uses in its FROM clause.
 */
export function containsIgnoringCase(models: TenantModels, alias: string, columns: readonly string[], text: string): WhereOptions {
  const qi = (id: string) => models.sequelize.getQueryInterface().quoteIdentifier(id);
  const pattern = models.sequelize.escape(likeContains(text));
  return { [Op.or]: columns.map((column) => literal(`LOWER(${qi(alias)}.${qi(column)}) LIKE ${pattern} ESCAPE '!'`)) };
}

/** `containsIgnoringCase` as SQL text for `findRawPageSql` (the same condition, in parentheses). */
export function containsIgnoringCaseSql(s: RawSelectParts, attributes: readonly string[], text: string): string {
  const pattern = s.escape(likeContains(text));
  return `(${attributes.map((a) => `LOWER(${s.col(a)}) LIKE ${pattern} ESCAPE '!'`).join(' OR ')})`;
}

/** `LOWER(alias.column) = value` (case-insensitive equality for uniqueness checks). */
export function equalsIgnoringCase(models: TenantModels, alias: string, column: string, value: string): WhereOptions {
  const qi = (id: string) => models.sequelize.getQueryInterface().quoteIdentifier(id);
  return literal(`LOWER(${qi(alias)}.${qi(column)}) = ${models.sequelize.escape(value.toLowerCase())}`) as unknown as WhereOptions;
}
