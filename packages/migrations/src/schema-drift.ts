import type { Model, ModelStatic, Sequelize } from 'sequelize';
import { QueryTypes } from 'sequelize';
import { MIGRATION_TABLE } from './runner';

/**
 * Compares a migrated database with what Sequelize models declare: tables, columns, type family (and
 * VARCHAR length), nullability, primary keys, unique constraints, indexes and foreign keys (target
 * and ON DELETE). Used by the drift tests of the tenant set (here) and the registry set (tenancy).
 */

export type SchemaDifferenceKind =
  | 'missing-table'
  | 'extra-table'
  | 'missing-column'
  | 'extra-column'
  | 'type'
  | 'nullability'
  | 'primary-key'
  | 'missing-index'
  | 'extra-index'
  | 'index-name'
  | 'missing-foreign-key'
  | 'extra-foreign-key'
  | 'foreign-key';

export interface SchemaDifference {
  kind: SchemaDifferenceKind;
  table: string;
  /** Column or index the difference is about, when there is one. */
  name?: string;
  message: string;
}

export interface CompareSchemaOptions {
  /** Tables in the database that no model declares and that are fine (bookkeeping is always ignored). */
  ignoreTables?: string[];
}

type AnyModel = ModelStatic<Model>;

interface AttributeLike {
  field?: string;
  type: { key?: string; options?: { length?: number }; _length?: number } & object;
  allowNull?: boolean;
  primaryKey?: boolean;
  references?: { model: string | { tableName?: string } | AnyModel; key?: string };
  onDelete?: string;
}

interface IndexLike {
  name?: string;
  unique?: boolean;
  fields: (string | { name?: string; attribute?: string })[];
}

interface DbIndex {
  name: string;
  unique: boolean;
  primary: boolean;
  fields: string[];
}

interface DbForeignKey {
  column: string;
  refTable: string;
  refColumn: string;
  onDelete: string;
}

/** Type families: what must agree across dialects (SQLite, PostgreSQL and MySQL spell them differently). */
export function modelTypeFamily(type: AttributeLike['type']): string {
  const key = String(type.key ?? '').toUpperCase();
  switch (key) {
    case 'STRING':
    case 'CHAR':
    case 'CITEXT':
      return 'string';
    case 'TEXT':
      return 'text';
    case 'INTEGER':
    case 'SMALLINT':
    case 'MEDIUMINT':
    case 'TINYINT':
      return 'integer';
    case 'BIGINT':
      return 'bigint';
    case 'BOOLEAN':
      return 'boolean';
    case 'DATE':
      return 'datetime';
    case 'DATEONLY':
      return 'date';
    case 'FLOAT':
    case 'REAL':
    case 'DOUBLE':
    case 'DOUBLE PRECISION':
      return 'float';
    case 'DECIMAL':
      return 'decimal';
    case 'JSON':
    case 'JSONB':
      return 'json';
    case 'UUID':
      return 'uuid';
    case 'BLOB':
      return 'binary';
    default:
      return key.toLowerCase();
  }
}

export function databaseTypeFamily(type: string): string {
  const t = type.toUpperCase().trim();
  if (/^(TINYINT\(1\)|BOOLEAN\b|BOOL\b)/.test(t)) return 'boolean';
  if (/^(BIGINT|INT8)\b/.test(t)) return 'bigint';
  if (/^(INTEGER|INT|INT4|SMALLINT|INT2|MEDIUMINT|TINYINT)\b/.test(t)) return 'integer';
  if (/^(CHARACTER VARYING|VARCHAR|CHARACTER|CHAR|NVARCHAR|CITEXT)\b/.test(t)) return 'string';
  if (/^(TINYTEXT|TEXT|MEDIUMTEXT|LONGTEXT)\b/.test(t)) return 'text';
  if (/^(TIMESTAMP|DATETIME)\b/.test(t)) return 'datetime';
  if (/^DATE$/.test(t)) return 'date';
  if (/^(REAL|FLOAT|DOUBLE)\b/.test(t)) return 'float';
  if (/^(DECIMAL|NUMERIC)\b/.test(t)) return 'decimal';
  if (/^JSONB?\b/.test(t)) return 'json';
  if (/^UUID\b/.test(t)) return 'uuid';
  if (/^(BLOB|BYTEA|LONGBLOB)\b/.test(t)) return 'binary';
  return t.toLowerCase();
}

function varcharLength(type: string): number | undefined {
  const m = /^(?:CHARACTER VARYING|VARCHAR)\((\d+)\)/i.exec(type.trim());
  return m ? Number(m[1]) : undefined;
}

function referencedTable(ref: NonNullable<AttributeLike['references']>): string {
  const model = ref.model;
  if (typeof model === 'string') return model;
  if (typeof (model as AnyModel).getTableName === 'function') return String((model as AnyModel).getTableName());
  return String((model as { tableName?: string }).tableName);
}

function tableNameOf(model: AnyModel): string {
  const name = model.getTableName() as string | { tableName: string };
  return typeof name === 'string' ? name : name.tableName;
}

async function listTables(sequelize: Sequelize): Promise<string[]> {
  const tables = (await sequelize.getQueryInterface().showAllTables()) as (string | { tableName: string })[];
  return tables.map((t) => (typeof t === 'string' ? t : t.tableName));
}

async function listIndexes(sequelize: Sequelize, table: string): Promise<DbIndex[]> {
  const raw = (await sequelize.getQueryInterface().showIndex(table)) as unknown as {
    name: string;
    unique?: boolean;
    primary?: boolean;
    fields: ({ attribute: string } | undefined)[];
  }[];
  return raw.map((i) => ({
    name: i.name,
    unique: Boolean(i.unique),
    primary: Boolean(i.primary) || i.name === 'PRIMARY',
    fields: i.fields.filter((f): f is { attribute: string } => Boolean(f)).map((f) => f.attribute),
  }));
}

async function listForeignKeys(sequelize: Sequelize, table: string): Promise<DbForeignKey[]> {
  const dialect = sequelize.getDialect();
  type Row = { column_name: string; ref_table: string; ref_column: string; delete_rule: string };
  let rows: Row[];
  if (dialect === 'sqlite') {
    const list = await sequelize.query<{ table: string; from: string; to: string; on_delete: string }>(
      `PRAGMA foreign_key_list(\`${table.replace(/`/g, '``')}\`)`,
      { type: QueryTypes.SELECT },
    );
    rows = list.map((r) => ({ column_name: r.from, ref_table: r.table, ref_column: r.to, delete_rule: r.on_delete }));
  } else if (dialect === 'postgres') {
    rows = await sequelize.query<Row>(
      `SELECT kcu.column_name, ccu.table_name AS ref_table, ccu.column_name AS ref_column, rc.delete_rule
         FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage kcu
           ON kcu.constraint_name = tc.constraint_name AND kcu.constraint_schema = tc.constraint_schema
         JOIN information_schema.referential_constraints rc
           ON rc.constraint_name = tc.constraint_name AND rc.constraint_schema = tc.constraint_schema
         JOIN information_schema.constraint_column_usage ccu
           ON ccu.constraint_name = tc.constraint_name AND ccu.constraint_schema = tc.constraint_schema
        WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = :table AND tc.table_schema = current_schema()`,
      { type: QueryTypes.SELECT, replacements: { table } },
    );
  } else {
    rows = await sequelize.query<Row>(
      `SELECT k.COLUMN_NAME AS column_name, k.REFERENCED_TABLE_NAME AS ref_table,
              k.REFERENCED_COLUMN_NAME AS ref_column, r.DELETE_RULE AS delete_rule
         FROM information_schema.KEY_COLUMN_USAGE k
         JOIN information_schema.REFERENTIAL_CONSTRAINTS r
           ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
        WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = :table AND k.REFERENCED_TABLE_NAME IS NOT NULL`,
      { type: QueryTypes.SELECT, replacements: { table } },
    );
  }
  return rows.map((r) => ({
    column: r.column_name,
    refTable: r.ref_table,
    refColumn: r.ref_column,
    onDelete: String(r.delete_rule).toUpperCase(),
  }));
}

/** The indexes a model declares: `indexes` options plus attribute-level `unique`. */
function declaredIndexes(model: AnyModel, columnOf: (name: string) => string): { name?: string; unique: boolean; fields: string[] }[] {
  const internals = model as unknown as {
    _indexes?: IndexLike[];
    uniqueKeys?: Record<string, { fields: string[]; customIndex?: boolean; name?: string }>;
  };
  const out: { name?: string; unique: boolean; fields: string[] }[] = [];
  for (const index of internals._indexes ?? []) {
    out.push({
      name: index.name,
      unique: Boolean(index.unique),
      fields: index.fields.map((f) => columnOf(typeof f === 'string' ? f : (f.name ?? f.attribute ?? ''))),
    });
  }
  for (const key of Object.values(internals.uniqueKeys ?? {})) {
    // Names of attribute-level unique constraints are chosen by each dialect: compare columns only.
    out.push({ unique: true, fields: key.fields.map(columnOf) });
  }
  return out;
}

const sameColumns = (a: string[], b: string[]) => a.length === b.length && a.every((c, i) => c === b[i]);

async function compareModel(sequelize: Sequelize, model: AnyModel, table: string): Promise<SchemaDifference[]> {
  const diffs: SchemaDifference[] = [];
  const qi = sequelize.getQueryInterface();
  const attributes = model.getAttributes() as unknown as Record<string, AttributeLike>;
  const byColumn = new Map<string, [string, AttributeLike]>();
  for (const [name, attr] of Object.entries(attributes)) byColumn.set(attr.field ?? name, [name, attr]);
  const columnOf = (name: string) => attributes[name]?.field ?? name;

  const described = (await qi.describeTable(table)) as Record<string, { type: string; allowNull: boolean; primaryKey: boolean }>;

  // Columns
  for (const [column, [name, attr]] of byColumn) {
    const db = described[column];
    if (!db) {
      diffs.push({
        kind: 'missing-column',
        table,
        name: column,
        message: `${table}.${column} (${model.name}.${name}) is declared by the model but missing in the database — add a migration`,
      });
      continue;
    }
    const want = modelTypeFamily(attr.type);
    const have = databaseTypeFamily(db.type);
    const compatibleUuid = want === 'uuid' && (have === 'string' || have === 'binary');
    if (want !== have && !compatibleUuid) {
      diffs.push({
        kind: 'type',
        table,
        name: column,
        message: `${table}.${column}: model type ${want}, database type ${db.type} (${have})`,
      });
    } else if (want === 'string') {
      const wantLength = attr.type.options?.length ?? attr.type._length ?? 255;
      const haveLength = varcharLength(db.type);
      if (haveLength !== undefined && haveLength !== wantLength) {
        diffs.push({ kind: 'type', table, name: column, message: `${table}.${column}: model length ${wantLength}, database ${db.type}` });
      }
    }
    const wantNull = attr.allowNull !== false && attr.primaryKey !== true;
    // SQLite reports an INTEGER PRIMARY KEY (the rowid) as nullable; no primary key holds NULLs.
    const haveNull = db.allowNull && !db.primaryKey;
    if (wantNull !== haveNull) {
      diffs.push({
        kind: 'nullability',
        table,
        name: column,
        message: `${table}.${column}: model says ${wantNull ? 'NULL' : 'NOT NULL'}, database says ${haveNull ? 'NULL' : 'NOT NULL'}`,
      });
    }
  }
  for (const column of Object.keys(described)) {
    if (!byColumn.has(column)) {
      diffs.push({
        kind: 'extra-column',
        table,
        name: column,
        message: `${table}.${column} exists in the database but no attribute of ${model.name} declares it`,
      });
    }
  }

  // Primary key
  const wantPk = [...byColumn]
    .filter(([, [, a]]) => a.primaryKey === true)
    .map(([c]) => c)
    .sort();
  const havePk = Object.entries(described)
    .filter(([, d]) => d.primaryKey)
    .map(([c]) => c)
    .sort();
  if (!sameColumns(wantPk, havePk)) {
    diffs.push({
      kind: 'primary-key',
      table,
      message: `${table}: model primary key (${wantPk.join(', ')}), database (${havePk.join(', ')})`,
    });
  }

  // Indexes and unique constraints (the primary key's own index is covered above)
  const dbIndexes = (await listIndexes(sequelize, table)).filter(
    (i) => !i.primary && !(i.unique && sameColumns([...i.fields].sort(), havePk)),
  );
  const declared = declaredIndexes(model, columnOf);
  const matched = new Set<DbIndex>();
  for (const want of declared) {
    const found = dbIndexes.find((i) => !matched.has(i) && i.unique === want.unique && sameColumns(i.fields, want.fields));
    const label = `${want.unique ? 'unique ' : ''}index ${want.name ? `${want.name} ` : ''}on ${table}(${want.fields.join(', ')})`;
    if (!found) {
      diffs.push({
        kind: 'missing-index',
        table,
        name: want.name,
        message: `${label} is declared by ${model.name} but missing in the database`,
      });
      continue;
    }
    matched.add(found);
    if (want.name && found.name !== want.name) {
      diffs.push({ kind: 'index-name', table, name: want.name, message: `${label} is named ${found.name} in the database` });
    }
  }
  for (const index of dbIndexes) {
    if (!matched.has(index)) {
      diffs.push({
        kind: 'extra-index',
        table,
        name: index.name,
        message: `${index.unique ? 'unique ' : ''}index ${index.name} on ${table}(${index.fields.join(', ')}) exists in the database but ${model.name} does not declare it`,
      });
    }
  }

  // Foreign keys
  const dbKeys = await listForeignKeys(sequelize, table);
  for (const [column, [, attr]] of byColumn) {
    const ref = attr.references;
    const found = dbKeys.find((k) => k.column === column);
    if (!ref) {
      if (found)
        diffs.push({
          kind: 'extra-foreign-key',
          table,
          name: column,
          message: `${table}.${column} references ${found.refTable} in the database but not in ${model.name}`,
        });
      continue;
    }
    const refTable = referencedTable(ref);
    const refColumn = ref.key ?? 'id';
    if (!found) {
      diffs.push({
        kind: 'missing-foreign-key',
        table,
        name: column,
        message: `${table}.${column} → ${refTable}.${refColumn} is declared by ${model.name} but missing in the database`,
      });
      continue;
    }
    const wantDelete = (attr.onDelete ?? 'NO ACTION').toUpperCase();
    if (found.refTable !== refTable || found.refColumn !== refColumn || found.onDelete !== wantDelete) {
      diffs.push({
        kind: 'foreign-key',
        table,
        name: column,
        message: `${table}.${column}: model references ${refTable}.${refColumn} ON DELETE ${wantDelete}, database ${found.refTable}.${found.refColumn} ON DELETE ${found.onDelete}`,
      });
    }
  }
  return diffs;
}

/**
 * Differences between the database behind `sequelize` and `models` (every model of the schema, with
 * its associations wired). An empty array means the migrations produce exactly what the models expect.
 */
export async function compareSchemaWithModels(
  sequelize: Sequelize,
  models: readonly AnyModel[],
  options: CompareSchemaOptions = {},
): Promise<SchemaDifference[]> {
  const tables = new Set(await listTables(sequelize));
  const declared = new Set<string>();
  const diffs: SchemaDifference[] = [];
  for (const model of models) {
    const table = tableNameOf(model);
    declared.add(table);
    if (!tables.has(table)) {
      diffs.push({ kind: 'missing-table', table, message: `table ${table} (${model.name}) is missing in the database — add a migration` });
      continue;
    }
    diffs.push(...(await compareModel(sequelize, model, table)));
  }
  const ignored = new Set([MIGRATION_TABLE, ...(options.ignoreTables ?? [])]);
  for (const table of tables) {
    if (!declared.has(table) && !ignored.has(table)) {
      diffs.push({ kind: 'extra-table', table, message: `table ${table} exists in the database but no model declares it` });
    }
  }
  return diffs;
}
