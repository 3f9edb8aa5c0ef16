import { JOURNAL_SOURCE_TYPES, type JournalSourceType } from '@salesfleet/contracts';
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
import type { AssociateModel, JournalLine, User } from '../model-types';

export { JOURNAL_SOURCE_TYPES, type JournalSourceType };

/** A balanced double-entry posting: its lines' debits equal its credits. */
export function defineJournalEntry(sequelize: Sequelize) {
  class JournalEntry extends Model<InferAttributes<JournalEntry>, InferCreationAttributes<JournalEntry>> {
    declare id: CreationOptional<number>;
    declare entryDate: string;
    declare memo: CreationOptional<string | null>;
    declare sourceType: CreationOptional<JournalSourceType | null>;
    declare sourceId: CreationOptional<number | null>;
    declare postedBy: CreationOptional<ForeignKey<number> | null>;
    declare createdAt: CreationOptional<Date>;

    declare lines?: NonAttribute<JournalLine[]>;
    declare poster?: NonAttribute<User | null>;
  }

  JournalEntry.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      entryDate: { type: DataTypes.DATEONLY, allowNull: false },
      memo: { type: DataTypes.STRING(255), allowNull: true },
      sourceType: {
        type: DataTypes.STRING(20),
        allowNull: true,
        validate: { isIn: [[...JOURNAL_SOURCE_TYPES]] },
      },
      sourceId: { type: DataTypes.INTEGER, allowNull: true },
      // SET NULL: the books must survive the user who posted them.
      postedBy: {
        type: DataTypes.INTEGER,
        allowNull: true,
        references: { model: 'users', key: 'id' },
        onDelete: 'SET NULL',
        onUpdate: 'CASCADE',
      },
      createdAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      modelName: 'JournalEntry',
      tableName: 'journal_entries',
      underscored: true,
      updatedAt: false,
      indexes: [
        { name: 'journal_entries_source', fields: ['source_type', 'source_id'] },
        { name: 'journal_entries_entry_date', fields: ['entry_date'] },
        { name: 'journal_entries_posted_by', fields: ['posted_by'] },
      ],
    },
  );
  return JournalEntry;
}

export const associateJournalEntry: AssociateModel<'JournalEntry'> = (JournalEntry, target) => {
  JournalEntry.hasMany(target('JournalLine'), { as: 'lines', foreignKey: 'journalEntryId', constraints: false });
  JournalEntry.belongsTo(target('User'), { as: 'poster', foreignKey: 'postedBy', constraints: false });
};
