import type { QueryInterface, Sequelize, Transaction } from 'sequelize';

export type MigrationSet = 'registry' | 'tenant';

export interface MigrationContext {
  queryInterface: QueryInterface;
  sequelize: Sequelize;
  /**
   * Set on PostgreSQL and SQLite, where each migration runs in a transaction: pass `{ transaction }`
   * to every query-interface call so a failing migration leaves the database at its previous version
   * (on SQLite a call without it waits on the transaction's lock and fails). Undefined on MySQL, whose
   * DDL commits implicitly.
   */
  transaction?: Transaction;
}

/** One migration file: named `<yyyymmddHHMM>-<purpose>`, written with the query interface only. */
export interface MigrationDefinition {
  name: string;
  up(ctx: MigrationContext): Promise<void>;
  down(ctx: MigrationContext): Promise<void>;
}
