import {
  type CreationOptional,
  DataTypes,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  Model,
  type Sequelize,
} from 'sequelize';

/**
 * The input tax of one supplier bill at one rate: what was taxed (net, cents) and the tax (cents).
 * A bill's rows add up to its `tax`; the tax report reads them as input tax (void bills excluded).
 */
export function defineSupplierBillTax(sequelize: Sequelize) {
  class SupplierBillTax extends Model<InferAttributes<SupplierBillTax>, InferCreationAttributes<SupplierBillTax>> {
    declare id: CreationOptional<number>;
    declare supplierBillId: ForeignKey<number>;
    declare taxRateBp: number;
    declare taxable: number;
    declare tax: number;
  }

  SupplierBillTax.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      supplierBillId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'supplier_bills', key: 'id' },
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
      taxRateBp: { type: DataTypes.INTEGER, allowNull: false, validate: { isInt: true, min: 0, max: 10_000 } },
      taxable: { type: DataTypes.BIGINT, allowNull: false, validate: { isInt: true, min: 0 } },
      tax: { type: DataTypes.BIGINT, allowNull: false, validate: { isInt: true, min: 0 } },
    },
    {
      sequelize,
      modelName: 'SupplierBillTax',
      tableName: 'supplier_bill_taxes',
      underscored: true,
      timestamps: false,
      indexes: [{ name: 'supplier_bill_taxes_supplier_bill_id', fields: ['supplier_bill_id'] }],
    },
  );
  return SupplierBillTax;
}
