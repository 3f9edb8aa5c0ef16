import { DataTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';

/** Chart of accounts, journal entries and lines, expenses (packages/models/src/accounting). */
export const accounting: MigrationDefinition = {
  name: '202611230003-accounting',

  async up({ queryInterface, transaction }) {
    const id = () => ({ type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false });
    const timestamp = () => ({ type: DataTypes.DATE, allowNull: false });
    const fk = (table: string, allowNull: boolean, onDelete: 'CASCADE' | 'RESTRICT' | 'SET NULL') => ({
      type: DataTypes.INTEGER,
      allowNull,
      references: { model: table, key: 'id' },
      onDelete,
      onUpdate: 'CASCADE',
    });
    const index = (table: string, fields: string[], name: string, unique = false) =>
      queryInterface.addIndex(table, fields, { name, unique, transaction });

    await queryInterface.createTable(
      'accounts',
      {
        id: id(),
        code: { type: DataTypes.STRING(20), allowNull: false },
        name: { type: DataTypes.STRING(150), allowNull: false },
        type: { type: DataTypes.STRING(10), allowNull: false },
        is_active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        created_at: timestamp(),
        updated_at: timestamp(),
      },
      { transaction },
    );
    await index('accounts', ['code'], 'accounts_code_unique', true);

    await queryInterface.createTable(
      'journal_entries',
      {
        id: id(),
        entry_date: { type: DataTypes.DATEONLY, allowNull: false },
        memo: { type: DataTypes.STRING(255), allowNull: true },
        source_type: { type: DataTypes.STRING(20), allowNull: true },
        source_id: { type: DataTypes.INTEGER, allowNull: true },
        posted_by: fk('users', true, 'SET NULL'),
        created_at: timestamp(),
      },
      { transaction },
    );
    await index('journal_entries', ['source_type', 'source_id'], 'journal_entries_source');
    await index('journal_entries', ['entry_date'], 'journal_entries_entry_date');
    await index('journal_entries', ['posted_by'], 'journal_entries_posted_by');

    await queryInterface.createTable(
      'journal_lines',
      {
        id: id(),
        journal_entry_id: fk('journal_entries', false, 'CASCADE'),
        account_id: fk('accounts', false, 'RESTRICT'),
        debit: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
        credit: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      },
      { transaction },
    );
    await index('journal_lines', ['journal_entry_id'], 'journal_lines_journal_entry_id');
    await index('journal_lines', ['account_id'], 'journal_lines_account_id');

    await queryInterface.createTable(
      'expenses',
      {
        id: id(),
        expense_date: { type: DataTypes.DATEONLY, allowNull: false },
        account_id: fk('accounts', false, 'RESTRICT'),
        amount: { type: DataTypes.BIGINT, allowNull: false },
        vendor: { type: DataTypes.STRING(200), allowNull: true },
        description: { type: DataTypes.TEXT, allowNull: true },
        location_id: fk('locations', true, 'SET NULL'),
        paid_from_account_id: fk('accounts', false, 'RESTRICT'),
        created_by: fk('users', false, 'RESTRICT'),
        journal_entry_id: fk('journal_entries', true, 'RESTRICT'),
        created_at: timestamp(),
        updated_at: timestamp(),
      },
      { transaction },
    );
    await index('expenses', ['expense_date'], 'expenses_expense_date');
    await index('expenses', ['account_id'], 'expenses_account_id');
    await index('expenses', ['paid_from_account_id'], 'expenses_paid_from_account_id');
    await index('expenses', ['location_id'], 'expenses_location_id');
    await index('expenses', ['created_by'], 'expenses_created_by');
    await index('expenses', ['journal_entry_id'], 'expenses_journal_entry_id');
  },

  async down({ queryInterface, transaction }) {
    for (const table of ['expenses', 'journal_lines', 'journal_entries', 'accounts']) {
      await queryInterface.dropTable(table, { transaction });
    }
  },
};
