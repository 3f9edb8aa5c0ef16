import { type CreationOptional, DataTypes, type InferAttributes, type InferCreationAttributes, Model, type Sequelize } from 'sequelize';
import { timestampAttribute } from '../timestamp-attribute';

/** Someone the shop buys from. Deactivated, not deleted, once orders or bills refer to them. */
export function defineSupplier(sequelize: Sequelize) {
  class Supplier extends Model<InferAttributes<Supplier>, InferCreationAttributes<Supplier>> {
    declare id: CreationOptional<number>;
    declare name: string;
    declare email: CreationOptional<string | null>;
    declare phone: CreationOptional<string | null>;
    declare taxNumber: CreationOptional<string | null>;
    declare address: CreationOptional<string | null>;
    declare isActive: CreationOptional<boolean>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }

  Supplier.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      name: { type: DataTypes.STRING(200), allowNull: false, validate: { notEmpty: true } },
      email: { type: DataTypes.STRING(254), allowNull: true },
      phone: { type: DataTypes.STRING(50), allowNull: true },
      taxNumber: { type: DataTypes.STRING(50), allowNull: true },
      address: { type: DataTypes.TEXT, allowNull: true },
      isActive: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      createdAt: timestampAttribute(sequelize),
      updatedAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      modelName: 'Supplier',
      tableName: 'suppliers',
      underscored: true,
      indexes: [
        { name: 'suppliers_name', fields: ['name'] },
        { name: 'suppliers_email', fields: ['email'] },
      ],
    },
  );
  return Supplier;
}
