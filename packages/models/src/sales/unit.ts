import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { timestampAttribute } from '../timestamp-attribute';

/**
 * A unit of measure (piece, kilogram, metre…). `decimals` (0–3) is how finely a quantity of a product
 * sold in this unit may be split: 0 for pieces, 3 for kilograms (grams). Quantities themselves are
 * always integer thousandths (see quantity.ts).
 */
export function defineUnit(sequelize: Sequelize) {
  class Unit extends Model<InferAttributes<Unit>, InferCreationAttributes<Unit>> {
    declare id: CreationOptional<number>;
    declare code: string;
    declare name: string;
    declare decimals: CreationOptional<number>;
    declare isActive: CreationOptional<boolean>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }

  Unit.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      code: { type: DataTypes.STRING(16), allowNull: false, validate: { notEmpty: true } },
      name: { type: DataTypes.STRING(50), allowNull: false, validate: { notEmpty: true } },
      decimals: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0, validate: { isInt: true, min: 0, max: 3 } },
      isActive: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      createdAt: timestampAttribute(sequelize),
      updatedAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      modelName: 'Unit',
      tableName: 'units',
      underscored: true,
      indexes: [{ name: 'units_code_unique', unique: true, fields: ['code'] }],
    },
  );
  return Unit;
}

/** The units every tenant starts with. */
export const DEFAULT_UNITS = Object.freeze([
  { code: 'pcs', name: 'Piece', decimals: 0 },
  { code: 'kg', name: 'Kilogram', decimals: 3 },
  { code: 'g', name: 'Gram', decimals: 0 },
  { code: 'l', name: 'Litre', decimals: 3 },
  { code: 'm', name: 'Metre', decimals: 3 },
  { code: 'box', name: 'Box', decimals: 0 },
] as const);
