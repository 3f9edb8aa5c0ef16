import { DataTypes, QueryTypes, type Model, type ModelStatic, type Sequelize, type Transaction } from 'sequelize';

/**
 * The parts of a plain `SELECT` of a model that never change — its column list (`field AS attribute`,
 * as Sequelize writes it) and its `FROM table AS Model` — and its columns by attribute, built once per
 * model class. A tenant handle's classes live as long as the handle, so a hot read builds its SQL text
 * from these and the request's values (escaped by the dialect, as Sequelize does) instead of going
 * through `findAll` and the query generator (options cloned and validated, every clause regenerated)
 * on every request.
 */
export interface RawSelectParts {
  /** `"id", "sku", "unit_price" AS "unitPrice", …` — every stored attribute, in definition order. */
  columns: string;
  /** `"products" AS "Product"`. */
  from: string;
  /** `"products"`: the table alone (UPDATE and INSERT name no alias). */
  table: string;
  /** `"unit_price"` for `unitPrice`: the column unqualified (SET lists, INSERT column lists). */
  field(attribute: string): string;
  /** `"Product"."unit_price"` for `unitPrice`; throws on an unknown attribute (a programming error). */
  col(attribute: string): string;
  /** The column list of these attributes only (`field AS attribute` where they differ). */
  pick(attributes: readonly string[]): string;
  /** An identifier quoted for the model's dialect. */
  quote(identifier: string): string;
  /** A value as an SQL literal of the model's dialect (a Date as the dialect writes timestamps). */
  escape(value: string | number | boolean | Date | null): string;
}

const parts = new WeakMap<ModelStatic<Model>, RawSelectParts>();

export function rawSelectParts(model: ModelStatic<Model>): RawSelectParts {
  let p = parts.get(model);
  if (p) return p;
  const sequelize = model.sequelize!;
  const qg = sequelize.getQueryInterface().queryGenerator as {
    quoteIdentifier(id: string): string;
    quoteTable(table: unknown): string;
  };
  const qi = (id: string) => qg.quoteIdentifier(id);
  const alias = model.name;
  const fields = new Map<string, string>();
  for (const [name, attribute] of Object.entries(model.getAttributes())) {
    if (attribute.type instanceof DataTypes.VIRTUAL) continue;
    fields.set(name, attribute.field ?? name);
  }
  const column = (name: string) => {
    const field = fields.get(name);
    if (field === undefined) throw new Error(`${alias} has no attribute ${name}`);
    return field === name ? qi(field) : `${qi(field)} AS ${qi(name)}`;
  };
  const qualified = new Map([...fields].map(([name, field]) => [name, `${qi(alias)}.${qi(field)}`]));
  p = {
    columns: [...fields.keys()].map(column).join(', '),
    from: `${qg.quoteTable(model.getTableName())} AS ${qi(alias)}`,
    table: qg.quoteTable(model.getTableName()),
    field(attribute) {
      const field = fields.get(attribute);
      if (field === undefined) throw new Error(`${alias} has no attribute ${attribute}`);
      return qi(field);
    },
    col(attribute) {
      const c = qualified.get(attribute);
      if (c === undefined) throw new Error(`${alias} has no attribute ${attribute}`);
      return c;
    },
    pick: (attributes) => attributes.map(column).join(', '),
    quote: qi,
    escape: (value) => sequelize.escape(value as string),
  };
  parts.set(model, p);
  return p;
}

/**
 * Runs a SELECT built from `rawSelectParts` (or an `UPDATE … RETURNING` on PostgreSQL): plain rows as
 * the driver returns them (`raw`), no model instances; inside `transaction` when given.
 */
export function rawSelect<R extends object>(model: ModelStatic<Model>, sql: string, transaction?: Transaction): Promise<R[]> {
  return model.sequelize!.query<R>(sql, { type: QueryTypes.SELECT, raw: true, ...(transaction ? { transaction } : {}) });
}

/** A SELECT built from `rawSelectParts` (on PostgreSQL also an UPDATE or INSERT … RETURNING) and what its rows mean; run by `rawReads`. */
export interface RawRead<T> {
  sql: string;
  read(rows: Record<string, unknown>[]): T;
}

/**
 * Runs `reads` inside `transaction`, in order, and answers what each made of its rows. PostgreSQL
 * gets them as one query of several statements — one round trip: the simple query protocol runs them
 * in order, answers each, and the first failure fails the query (and so the transaction). The other
 * dialects (mysql2 and sqlite3 run one statement per query) get them one at a time.
 */
export async function rawReads<T extends readonly unknown[]>(
  sequelize: Sequelize,
  reads: { readonly [K in keyof T]: RawRead<T[K]> },
  transaction: Transaction,
  /** PostgreSQL: `commitsTransaction` (commitWithLastQuery) sends the transaction's COMMIT with the statements. */
  options: { commitsTransaction?: true } = {},
): Promise<T> {
  const list = reads as readonly RawRead<unknown>[];
  if (sequelize.getDialect() !== 'postgres') {
    if (options.commitsTransaction) throw new Error('commitsTransaction is for PostgreSQL only');
    const out: unknown[] = [];
    for (const r of list)
      out.push(r.read(await sequelize.query<Record<string, unknown>>(r.sql, { type: QueryTypes.SELECT, raw: true, transaction })));
    return out as unknown as T;
  }
  // Sequelize answers a query whose text starts with `INSERT INTO` as an insert (rows and a row count),
  // whatever its type: the leading comment keeps it a raw query, which answers pg's result(s).
  const sql = `/* statements: ${list.length} */ ${list.map((r) => r.sql).join(';\n')}`;
  const [, result] = await sequelize.query(sql, { type: QueryTypes.RAW, raw: true, transaction, ...options });
  // pg answers a query of one statement with its result, of several with one result each.
  const results = (Array.isArray(result) ? result : [result]) as { rows?: Record<string, unknown>[] }[];
  if (results.length !== list.length) throw new Error(`Expected ${list.length} results, the database answered ${results.length}`);
  return list.map((r, i) => r.read(results[i]!.rows ?? [])) as unknown as T;
}

/** Runs an UPDATE built from `rawSelectParts` inside `transaction`, without the query generator. */
export async function rawUpdate(model: ModelStatic<Model>, sql: string, transaction: Transaction): Promise<void> {
  await model.sequelize!.query(sql, { type: QueryTypes.UPDATE, raw: true, transaction });
}

/** An integer written into SQL text (ids, quantities, cents): refuses anything else. */
export function sqlInt(n: number | null): string {
  if (n === null) return 'NULL';
  if (!Number.isSafeInteger(n)) throw new Error(`${n} is not an integer`);
  return String(n);
}

/** A boolean column's value as the driver returns it (PostgreSQL true, MySQL/SQLite 1). */
export function sqlBool(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 't' || v === 'true';
}
