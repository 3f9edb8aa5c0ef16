import { SUPPLIER_BILL_STATUSES, type SupplierBillStatus } from '@salesfleet/contracts';
import {
  type CreationOptional,
  DataTypes,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  Model,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import type { AssociateModel, SupplierPayment } from '../model-types';
import { timestampAttribute } from '../timestamp-attribute';

/** `open` while something is owed, `paid` once its payments reach its total, `void` once voided (nothing owed). */
export { SUPPLIER_BILL_STATUSES, type SupplierBillStatus };

/**
 * What the shop owes a supplier: for goods received against an order (posted with the receipt:
 * Inventory / Accounts payable) or for anything else (an expense or asset account / Accounts payable).
 * Accounts payable = Σ (total − amount paid) of all bills.
 */
export function defineSupplierBill(sequelize: Sequelize) {
  class SupplierBill extends Model<InferAttributes<SupplierBill>, InferCreationAttributes<SupplierBill>> {
    declare id: CreationOptional<number>;
    declare number: string;
    /** The supplier's own invoice number, when known. */
    declare supplierReference: CreationOptional<string | null>;
    declare supplierId: ForeignKey<number>;
    declare purchaseOrderId: CreationOptional<ForeignKey<number> | null>;
    /** The account debited (a bill not for received goods); null for goods (Inventory). */
    declare accountId: CreationOptional<ForeignKey<number> | null>;
    declare status: CreationOptional<SupplierBillStatus>;
    declare billDate: string;
    declare dueDate: CreationOptional<string | null>;
    declare total: number;
    /** The input tax included in `total` (cents; per rate in supplier_bill_taxes). */
    declare tax: CreationOptional<number>;
    declare amountPaid: CreationOptional<number>;
    declare description: CreationOptional<string | null>;
    declare createdBy: ForeignKey<number>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    declare payments?: NonAttribute<SupplierPayment[]>;
  }

  const fk = (model: string, allowNull: boolean) => ({
    type: DataTypes.INTEGER,
    allowNull,
    references: { model, key: 'id' },
    onDelete: 'RESTRICT' as const,
    onUpdate: 'CASCADE' as const,
  });
  SupplierBill.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      number: { type: DataTypes.STRING(32), allowNull: false },
      supplierReference: { type: DataTypes.STRING(100), allowNull: true },
      supplierId: fk('suppliers', false),
      purchaseOrderId: fk('purchase_orders', true),
      accountId: fk('accounts', true),
      status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'open', validate: { isIn: [[...SUPPLIER_BILL_STATUSES]] } },
      billDate: { type: DataTypes.DATEONLY, allowNull: false },
      dueDate: { type: DataTypes.DATEONLY, allowNull: true },
      total: { type: DataTypes.BIGINT, allowNull: false, validate: { isInt: true, min: 0 } },
      tax: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0, validate: { isInt: true, min: 0 } },
      amountPaid: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0, validate: { isInt: true, min: 0 } },
      description: { type: DataTypes.STRING(255), allowNull: true },
      createdBy: fk('users', false),
      createdAt: timestampAttribute(sequelize),
      updatedAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      modelName: 'SupplierBill',
      tableName: 'supplier_bills',
      underscored: true,
      indexes: [
        { name: 'supplier_bills_number_unique', unique: true, fields: ['number'] },
        { name: 'supplier_bills_supplier_id', fields: ['supplier_id'] },
        { name: 'supplier_bills_purchase_order_id', fields: ['purchase_order_id'] },
        { name: 'supplier_bills_account_id', fields: ['account_id'] },
        { name: 'supplier_bills_created_by', fields: ['created_by'] },
      ],
    },
  );
  return SupplierBill;
}

export const associateSupplierBill: AssociateModel<'SupplierBill'> = (SupplierBill, target) => {
  SupplierBill.hasMany(target('SupplierPayment'), { as: 'payments', foreignKey: 'supplierBillId', constraints: false });
};
