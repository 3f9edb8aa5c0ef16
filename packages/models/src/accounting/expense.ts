import {
  DataTypes,
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import { timestampAttribute } from '../timestamp-attribute';
import type { Account, AssociateModel, JournalEntry, Location, User } from '../model-types';

/** Money spent: debits `accountId` (an expense account), credits `paidFromAccountId` (cash, bank…). */
export function defineExpense(sequelize: Sequelize) {
  class Expense extends Model<InferAttributes<Expense>, InferCreationAttributes<Expense>> {
    declare id: CreationOptional<number>;
    declare expenseDate: string;
    declare accountId: ForeignKey<number>;
    declare amount: number;
    declare vendor: CreationOptional<string | null>;
    declare description: CreationOptional<string | null>;
    declare locationId: CreationOptional<ForeignKey<number> | null>;
    declare paidFromAccountId: ForeignKey<number>;
    declare createdBy: ForeignKey<number>;
    declare journalEntryId: CreationOptional<ForeignKey<number> | null>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    declare account?: NonAttribute<Account>;
    declare paidFromAccount?: NonAttribute<Account>;
    declare location?: NonAttribute<Location | null>;
    declare journalEntry?: NonAttribute<JournalEntry | null>;
    declare creator?: NonAttribute<User>;
  }

  const account = () => ({
    type: DataTypes.INTEGER,
    allowNull: false,
    references: { model: 'accounts', key: 'id' },
    onDelete: 'RESTRICT',
    onUpdate: 'CASCADE',
  });

  Expense.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      expenseDate: { type: DataTypes.DATEONLY, allowNull: false },
      accountId: account(),
      amount: { type: DataTypes.BIGINT, allowNull: false, validate: { isInt: true, min: 1 } },
      vendor: { type: DataTypes.STRING(200), allowNull: true },
      description: { type: DataTypes.TEXT, allowNull: true },
      // SET NULL: the location is only an attribution; the expense and its posting stay valid.
      locationId: {
        type: DataTypes.INTEGER,
        allowNull: true,
        references: { model: 'locations', key: 'id' },
        onDelete: 'SET NULL',
        onUpdate: 'CASCADE',
      },
      paidFromAccountId: account(),
      createdBy: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'users', key: 'id' },
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
      // RESTRICT: the posting of a recorded expense is not deleted behind its back.
      journalEntryId: {
        type: DataTypes.INTEGER,
        allowNull: true,
        references: { model: 'journal_entries', key: 'id' },
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
      createdAt: timestampAttribute(sequelize),
      updatedAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      modelName: 'Expense',
      tableName: 'expenses',
      underscored: true,
      indexes: [
        { name: 'expenses_expense_date', fields: ['expense_date'] },
        { name: 'expenses_account_id', fields: ['account_id'] },
        { name: 'expenses_paid_from_account_id', fields: ['paid_from_account_id'] },
        { name: 'expenses_location_id', fields: ['location_id'] },
        { name: 'expenses_created_by', fields: ['created_by'] },
        { name: 'expenses_journal_entry_id', fields: ['journal_entry_id'] },
      ],
    },
  );
  return Expense;
}

export const associateExpense: AssociateModel<'Expense'> = (Expense, target) => {
  Expense.belongsTo(target('Account'), { as: 'account', foreignKey: 'accountId', constraints: false });
  Expense.belongsTo(target('Account'), { as: 'paidFromAccount', foreignKey: 'paidFromAccountId', constraints: false });
  Expense.belongsTo(target('Location'), { as: 'location', foreignKey: 'locationId', constraints: false });
  Expense.belongsTo(target('JournalEntry'), { as: 'journalEntry', foreignKey: 'journalEntryId', constraints: false });
  Expense.belongsTo(target('User'), { as: 'creator', foreignKey: 'createdBy', constraints: false });
};
