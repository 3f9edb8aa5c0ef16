import { ACCOUNT_TYPES, type AccountType } from '@salesfleet/contracts';
import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { timestampAttribute } from '../timestamp-attribute';

/** Stored as a short string (not a database ENUM) so one schema serves every dialect. */
export { ACCOUNT_TYPES, type AccountType };

/** An account of the chart of accounts (codes like `1000`; the defaults are in chart-of-accounts.ts). */
export function defineAccount(sequelize: Sequelize) {
  class Account extends Model<InferAttributes<Account>, InferCreationAttributes<Account>> {
    declare id: CreationOptional<number>;
    declare code: string;
    declare name: string;
    declare type: AccountType;
    declare isActive: CreationOptional<boolean>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }

  Account.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      code: { type: DataTypes.STRING(20), allowNull: false, validate: { notEmpty: true } },
      name: { type: DataTypes.STRING(150), allowNull: false, validate: { notEmpty: true } },
      type: { type: DataTypes.STRING(10), allowNull: false, validate: { isIn: [[...ACCOUNT_TYPES]] } },
      isActive: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      createdAt: timestampAttribute(sequelize),
      updatedAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      modelName: 'Account',
      tableName: 'accounts',
      underscored: true,
      indexes: [{ name: 'accounts_code_unique', unique: true, fields: ['code'] }],
    },
  );
  return Account;
}
