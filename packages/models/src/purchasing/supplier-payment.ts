import {
  type CreationOptional,
  DataTypes,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  Model,
  type Sequelize,
} from 'sequelize';
import { timestampAttribute } from '../timestamp-attribute';

/** Money paid to a supplier against one bill, from a money account (cash or bank), in cents. */
export function defineSupplierPayment(sequelize: Sequelize) {
  class SupplierPayment extends Model<InferAttributes<SupplierPayment>, InferCreationAttributes<SupplierPayment>> {
    declare id: CreationOptional<number>;
    declare supplierBillId: ForeignKey<number>;
    declare amount: number;
    declare paidFromAccountId: ForeignKey<number>;
    declare paymentDate: string;
    declare reference: CreationOptional<string | null>;
    declare createdBy: ForeignKey<number>;
    declare createdAt: CreationOptional<Date>;
  }

  const fk = (model: string) => ({
    type: DataTypes.INTEGER,
    allowNull: false,
    references: { model, key: 'id' },
    onDelete: 'RESTRICT' as const,
    onUpdate: 'CASCADE' as const,
  });
  SupplierPayment.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      supplierBillId: fk('supplier_bills'),
      amount: { type: DataTypes.BIGINT, allowNull: false, validate: { isInt: true, min: 1 } },
      paidFromAccountId: fk('accounts'),
      paymentDate: { type: DataTypes.DATEONLY, allowNull: false },
      reference: { type: DataTypes.STRING(100), allowNull: true },
      createdBy: fk('users'),
      createdAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      modelName: 'SupplierPayment',
      tableName: 'supplier_payments',
      underscored: true,
      updatedAt: false,
      indexes: [
        { name: 'supplier_payments_supplier_bill_id', fields: ['supplier_bill_id'] },
        { name: 'supplier_payments_paid_from_account_id', fields: ['paid_from_account_id'] },
        { name: 'supplier_payments_created_by', fields: ['created_by'] },
      ],
    },
  );
  return SupplierPayment;
}
