import { DataTypes, QueryTypes, type QueryInterface, type Sequelize, type Transaction } from 'sequelize';

/**
 * Widening an INTEGER column to BIGINT on every dialect. PostgreSQL and MySQL alter the column in
 * place. SQLite cannot change a column's declared type, and Sequelize's own SQLite changeColumn drops
 * the table's indexes; so the table is rebuilt the way SQLite documents ("making other kinds of table
 * schema changes"): create the new table from the old one's own CREATE statement with the type
 * replaced, copy the rows, drop the old table, rename the new one and recreate its indexes. Only for
 * tables no other table references (dropping a referenced table would trip its foreign keys).
 */
export async function widenToBigint(
  queryInterface: QueryInterface,
  sequelize: Sequelize,
  table: string,
  columns: { name: string; allowNull: boolean; defaultValue?: number }[],
  transaction: Transaction | undefined,
): Promise<void> {
  await changeIntegerColumns(queryInterface, sequelize, table, columns, 'BIGINT', transaction);
}

/** The reverse of widenToBigint (down migrations). */
export async function narrowToInteger(
  queryInterface: QueryInterface,
  sequelize: Sequelize,
  table: string,
  columns: { name: string; allowNull: boolean; defaultValue?: number }[],
  transaction: Transaction | undefined,
): Promise<void> {
  await changeIntegerColumns(queryInterface, sequelize, table, columns, 'INTEGER', transaction);
}

async function changeIntegerColumns(
  queryInterface: QueryInterface,
  sequelize: Sequelize,
  table: string,
  columns: { name: string; allowNull: boolean; defaultValue?: number }[],
  to: 'BIGINT' | 'INTEGER',
  transaction: Transaction | undefined,
): Promise<void> {
  if (sequelize.getDialect() !== 'sqlite') {
    for (const c of columns) {
      await queryInterface.changeColumn(
        table,
        c.name,
        {
          type: to === 'BIGINT' ? DataTypes.BIGINT : DataTypes.INTEGER,
          allowNull: c.allowNull,
          ...(c.defaultValue === undefined ? {} : { defaultValue: c.defaultValue }),
        },
        { transaction },
      );
    }
    return;
  }
  const from = to === 'BIGINT' ? 'INTEGER' : 'BIGINT';
  const q = { transaction, type: QueryTypes.SELECT, raw: true } as const;
  const [definition] = await sequelize.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, {
    ...q,
    replacements: [table],
  });
  if (!definition) throw new Error(`no table ${table}`);
  const indexes = await sequelize.query<{ sql: string }>(
    `SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`,
    {
      ...q,
      replacements: [table],
    },
  );
  const scratch = `${table}__rebuild`;
  let sql = definition.sql.replace(new RegExp(`^CREATE TABLE (IF NOT EXISTS )?[\`"]?${table}[\`"]?`), `CREATE TABLE \`${scratch}\``);
  for (const c of columns) {
    const column = new RegExp(`([\`"]${c.name}[\`"]) ${from}\\b`);
    if (!column.test(sql)) throw new Error(`${table}.${c.name} is not ${from} in: ${definition.sql}`);
    sql = sql.replace(column, `$1 ${to}`);
  }
  const run = (statement: string) => sequelize.query(statement, { transaction, raw: true });
  await run(sql);
  await run(`INSERT INTO \`${scratch}\` SELECT * FROM \`${table}\``);
  await run(`DROP TABLE \`${table}\``);
  await run(`ALTER TABLE \`${scratch}\` RENAME TO \`${table}\``);
  for (const index of indexes) await run(index.sql);
}

/**
 * Drops a column with its indexes and foreign key. SQLite (3.35+) drops it in place with ALTER TABLE …
 * DROP COLUMN (Sequelize's SQLite removeColumn rebuilds the table, and dropping a table that others
 * reference would fire their ON DELETE actions); MySQL needs the column's foreign key dropped first.
 */
export async function dropColumn(
  queryInterface: QueryInterface,
  sequelize: Sequelize,
  table: string,
  column: string,
  transaction: Transaction | undefined,
  indexes: string[] = [],
): Promise<void> {
  const dialect = sequelize.getDialect();
  if (dialect === 'mysql') {
    const keys = await sequelize.query<{ name: string }>(
      `SELECT CONSTRAINT_NAME AS name FROM information_schema.KEY_COLUMN_USAGE
       WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ? AND REFERENCED_TABLE_NAME IS NOT NULL`,
      { transaction, type: QueryTypes.SELECT, raw: true, replacements: [table, column] },
    );
    for (const key of keys) await queryInterface.removeConstraint(table, key.name, { transaction });
  }
  for (const index of indexes) await queryInterface.removeIndex(table, index, { transaction });
  if (dialect === 'sqlite') {
    await sequelize.query(`ALTER TABLE \`${table}\` DROP COLUMN \`${column}\``, { transaction, raw: true });
    return;
  }
  await queryInterface.removeColumn(table, column, { transaction });
}
