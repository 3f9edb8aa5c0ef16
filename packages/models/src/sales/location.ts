import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { timestampAttribute } from '../timestamp-attribute';

/** A store or warehouse. Locations are deactivated, not deleted, once anything references them. */
export function defineLocation(sequelize: Sequelize) {
  class Location extends Model<InferAttributes<Location>, InferCreationAttributes<Location>> {
    declare id: CreationOptional<number>;
    declare code: string;
    declare name: string;
    declare address: CreationOptional<string | null>;
    declare isActive: CreationOptional<boolean>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }

  Location.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      code: { type: DataTypes.STRING(32), allowNull: false, validate: { notEmpty: true } },
      name: { type: DataTypes.STRING(150), allowNull: false, validate: { notEmpty: true } },
      address: { type: DataTypes.TEXT, allowNull: true },
      isActive: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      createdAt: timestampAttribute(sequelize),
      updatedAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      modelName: 'Location',
      tableName: 'locations',
      underscored: true,
      indexes: [{ name: 'locations_code_unique', unique: true, fields: ['code'] }],
    },
  );
  return Location;
}
