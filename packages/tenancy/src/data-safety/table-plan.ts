import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { MIGRATION_TABLE, databaseTypeFamily } from '@salesfleet/migrations';

/** One column as archives carry it: its name and an engine-neutral type family. */
export interface ArchiveColumn {
  name: string;
  /** `integer`, `bigint`, `boolean`, `string`, `text`, `datetime`, `date`, … (databaseTypeFamily). */
  family: string;
  /** MySQL `DATETIME` without fractional digits keeps whole seconds only. */
  wholeSeconds?: boolean;
}

export interface TablePlan {
  name: string;
  columns: ArchiveColumn[];
  /** Primary key columns (rows are paged and ordered by them). */
  primaryKey: string[];
  /** Tables this one references (foreign keys), other than itself. */
  dependsOn: string[];
}

/**
 * The tables of a tenant database (without the migrations' bookkeeping table), their columns and
 * keys, read from the database itself — so an archive holds what the database holds at its schema
 * version — ordered so every table comes after the tables it references.
 */
export async function readTablePlan(sequelize: Sequelize, transaction?: Transaction): Promise<TablePlan[]> {
  const qi = sequelize.getQueryInterface();
  const raw = (await qi.showAllTables({ transaction })) as (string | { tableName: string })[];
  const names = raw.map((t) => (typeof t === 'string' ? t : t.tableName)).filter((n) => n !== MIGRATION_TABLE && !n.startsWith('sqlite_'));
  const plans: TablePlan[] = [];
  for (const name of names.sort()) {
    const described = (await qi.describeTable(name, { transaction } as object)) as Record<string, { type: string; primaryKey: boolean }>;
    const columns = Object.entries(described).map(([column, d]) => {
      const family = databaseTypeFamily(d.type);
      const wholeSeconds = sequelize.getDialect() === 'mysql' && family === 'datetime' && !/\(\s*[1-6]\s*\)/.test(d.type);
      return { name: column, family, ...(wholeSeconds ? { wholeSeconds } : {}) };
    });
    const primaryKey = Object.entries(described)
      .filter(([, d]) => d.primaryKey)
      .map(([column]) => column);
    const dependsOn = (await referencedTables(sequelize, name, transaction)).filter((t) => t !== name);
    plans.push({ name, columns, primaryKey, dependsOn: [...new Set(dependsOn)].sort() });
  }
  return dependencyOrder(plans);
}

/** Tables before the tables that reference them; ties (and cycles, which tenant schemas lack) by name. */
export function dependencyOrder<T extends { name: string; dependsOn: string[] }>(tables: readonly T[]): T[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: T[] = [];
  const visit = (t: T) => {
    if (done.has(t.name) || visiting.has(t.name)) return;
    visiting.add(t.name);
    for (const dep of t.dependsOn) {
      const target = byName.get(dep);
      if (target) visit(target);
    }
    visiting.delete(t.name);
    done.add(t.name);
    out.push(t);
  };
  for (const t of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(t);
  return out;
}

async function referencedTables(sequelize: Sequelize, table: string, transaction?: Transaction): Promise<string[]> {
  const dialect = sequelize.getDialect();
  if (dialect === 'sqlite') {
    const rows = await sequelize.query<{ table: string }>(`PRAGMA foreign_key_list(\`${table.replace(/`/g, '``')}\`)`, {
      type: QueryTypes.SELECT,
      transaction,
    });
    return rows.map((r) => r.table);
  }
  const sql =
    dialect === 'postgres'
      ? `SELECT ccu.table_name AS ref
           FROM information_schema.table_constraints tc
           JOIN information_schema.constraint_column_usage ccu
             ON ccu.constraint_name = tc.constraint_name AND ccu.constraint_schema = tc.constraint_schema
          WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = :table AND tc.table_schema = current_schema()`
      : `SELECT REFERENCED_TABLE_NAME AS ref FROM information_schema.KEY_COLUMN_USAGE
          WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :table AND REFERENCED_TABLE_NAME IS NOT NULL`;
  const rows = await sequelize.query<{ ref: string }>(sql, { type: QueryTypes.SELECT, replacements: { table }, transaction });
  return rows.map((r) => r.ref);
}
