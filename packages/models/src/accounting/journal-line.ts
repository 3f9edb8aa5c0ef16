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
import type { Account, AssociateModel, JournalEntry } from '../model-types';

/** One side of a journal entry: exactly one of debit and credit is non-zero (integer cents). */
export function defineJournalLine(sequelize: Sequelize) {
  class JournalLine extends Model<InferAttributes<JournalLine>, InferCreationAttributes<JournalLine>> {
    declare id: CreationOptional<number>;
    declare journalEntryId: ForeignKey<number>;
    declare accountId: ForeignKey<number>;
    declare debit: CreationOptional<number>;
    declare credit: CreationOptional<number>;

    declare entry?: NonAttribute<JournalEntry>;
    declare account?: NonAttribute<Account>;
  }

  JournalLine.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      // CASCADE: lines are part of their entry.
      journalEntryId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'journal_entries', key: 'id' },
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
      // RESTRICT: an account with postings can only be deactivated.
      accountId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'accounts', key: 'id' },
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
      debit: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0, validate: { isInt: true, min: 0 } },
      credit: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0, validate: { isInt: true, min: 0 } },
    },
    {
      sequelize,
      modelName: 'JournalLine',
      tableName: 'journal_lines',
      underscored: true,
      timestamps: false,
      indexes: [
        { name: 'journal_lines_journal_entry_id', fields: ['journal_entry_id'] },
        { name: 'journal_lines_account_id', fields: ['account_id'] },
      ],
      validate: {
        exactlyOneSide(this: JournalLine) {
          const debit = Number(this.debit ?? 0);
          const credit = Number(this.credit ?? 0);
          if ((debit === 0) === (credit === 0)) {
            throw new Error('a journal line has exactly one non-zero side (debit or credit)');
          }
        },
      },
    },
  );
  return JournalLine;
}

export const associateJournalLine: AssociateModel<'JournalLine'> = (JournalLine, target) => {
  JournalLine.belongsTo(target('JournalEntry'), { as: 'entry', foreignKey: 'journalEntryId', constraints: false });
  JournalLine.belongsTo(target('Account'), { as: 'account', foreignKey: 'accountId', constraints: false });
};
