import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { timestampAttribute } from '../timestamp-attribute';

/** A sales tax rate in basis points (2000 = 20 %), integer so tax arithmetic stays exact. */
export function defineTaxRate(sequelize: Sequelize) {
  class TaxRate extends Model<InferAttributes<TaxRate>, InferCreationAttributes<TaxRate>> {
    declare id: CreationOptional<number>;
    declare code: string;
    declare name: string;
    declare rateBp: number;
    /** Prices of products with this rate include the tax (the tax is taken out of them) rather than adding to them. */
    declare isInclusive: CreationOptional<boolean>;
    declare isActive: CreationOptional<boolean>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }

  TaxRate.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      code: { type: DataTypes.STRING(20), allowNull: false, validate: { notEmpty: true } },
      name: { type: DataTypes.STRING(100), allowNull: false, validate: { notEmpty: true } },
      rateBp: { type: DataTypes.INTEGER, allowNull: false, validate: { isInt: true, min: 0, max: 10000 } },
      isInclusive: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      isActive: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      createdAt: timestampAttribute(sequelize),
      updatedAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      modelName: 'TaxRate',
      tableName: 'tax_rates',
      underscored: true,
      indexes: [{ name: 'tax_rates_code_unique', unique: true, fields: ['code'] }],
    },
  );
  return TaxRate;
}
