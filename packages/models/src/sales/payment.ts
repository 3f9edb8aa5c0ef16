import { PAYMENT_METHODS, type PaymentMethod } from '@salesfleet/contracts';
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
import type { AssociateModel, Invoice, User } from '../model-types';

/** Stored as a short string (not a database ENUM) so one schema serves every dialect. */
export { PAYMENT_METHODS, type PaymentMethod };

/** Money received against an invoice, in integer cents. */
export function definePayment(sequelize: Sequelize) {
  class Payment extends Model<InferAttributes<Payment>, InferCreationAttributes<Payment>> {
    declare id: CreationOptional<number>;
    declare invoiceId: ForeignKey<number>;
    declare amount: number;
    declare method: PaymentMethod;
    declare receivedAt: CreationOptional<Date>;
    declare reference: CreationOptional<string | null>;
    declare createdBy: ForeignKey<number>;
    declare createdAt: CreationOptional<Date>;

    declare invoice?: NonAttribute<Invoice>;
    declare creator?: NonAttribute<User>;
  }

  Payment.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      // RESTRICT: an invoice that received money cannot be deleted (void it instead).
      invoiceId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'invoices', key: 'id' },
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
      amount: { type: DataTypes.BIGINT, allowNull: false, validate: { isInt: true } },
      method: { type: DataTypes.STRING(10), allowNull: false, validate: { isIn: [[...PAYMENT_METHODS]] } },
      receivedAt: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      reference: { type: DataTypes.STRING(100), allowNull: true },
      createdBy: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'users', key: 'id' },
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
      createdAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      modelName: 'Payment',
      tableName: 'payments',
      underscored: true,
      updatedAt: false,
      indexes: [
        { name: 'payments_invoice_id', fields: ['invoice_id'] },
        { name: 'payments_received_at', fields: ['received_at'] },
        { name: 'payments_created_by', fields: ['created_by'] },
      ],
    },
  );
  return Payment;
}

export const associatePayment: AssociateModel<'Payment'> = (Payment, target) => {
  Payment.belongsTo(target('Invoice'), { as: 'invoice', foreignKey: 'invoiceId', constraints: false });
  Payment.belongsTo(target('User'), { as: 'creator', foreignKey: 'createdBy', constraints: false });
};
