import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import { timestampAttribute } from '../timestamp-attribute';
import type { AssociateModel, Invoice } from '../model-types';

export function defineCustomer(sequelize: Sequelize) {
  class Customer extends Model<InferAttributes<Customer>, InferCreationAttributes<Customer>> {
    declare id: CreationOptional<number>;
    declare name: string;
    declare email: CreationOptional<string | null>;
    declare phone: CreationOptional<string | null>;
    declare taxNumber: CreationOptional<string | null>;
    declare address: CreationOptional<string | null>;
    declare isActive: CreationOptional<boolean>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    declare invoices?: NonAttribute<Invoice[]>;
  }

  Customer.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      name: { type: DataTypes.STRING(200), allowNull: false, validate: { notEmpty: true } },
      email: { type: DataTypes.STRING(254), allowNull: true, validate: { isEmail: true } },
      phone: { type: DataTypes.STRING(50), allowNull: true },
      taxNumber: { type: DataTypes.STRING(50), allowNull: true },
      address: { type: DataTypes.TEXT, allowNull: true },
      isActive: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      createdAt: timestampAttribute(sequelize),
      updatedAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      modelName: 'Customer',
      tableName: 'customers',
      underscored: true,
      indexes: [{ name: 'customers_name', fields: ['name'] }],
    },
  );
  return Customer;
}

export const associateCustomer: AssociateModel<'Customer'> = (Customer, target) => {
  Customer.hasMany(target('Invoice'), { as: 'invoices', foreignKey: 'customerId', constraints: false });
};
