import {
  type CreationOptional,
  DataTypes,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  Model,
  type Sequelize,
} from 'sequelize';

/** One product on a purchase order: quantities in thousandths, unit cost in cents. */
export function definePurchaseOrderLine(sequelize: Sequelize) {
  class PurchaseOrderLine extends Model<InferAttributes<PurchaseOrderLine>, InferCreationAttributes<PurchaseOrderLine>> {
    declare id: CreationOptional<number>;
    declare purchaseOrderId: ForeignKey<number>;
    declare productId: ForeignKey<number>;
    declare quantity: number;
    declare quantityReceived: CreationOptional<number>;
    declare unitCost: number;
    /** The rate the line was ordered at (basis points) and whether its unit cost includes the tax. */
    declare taxRateBp: CreationOptional<number>;
    declare taxInclusive: CreationOptional<boolean>;
    /** What the whole line costs with its tax (cents); lineTax: that tax (purchase-tax.ts). */
    declare lineTotal: number;
    declare lineTax: CreationOptional<number>;
  }

  PurchaseOrderLine.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      purchaseOrderId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'purchase_orders', key: 'id' },
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
      productId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'products', key: 'id' },
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
      quantity: { type: DataTypes.BIGINT, allowNull: false, validate: { isInt: true, min: 1 } },
      quantityReceived: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0, validate: { isInt: true, min: 0 } },
      unitCost: { type: DataTypes.BIGINT, allowNull: false, validate: { isInt: true, min: 0 } },
      taxRateBp: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0, validate: { isInt: true, min: 0, max: 10_000 } },
      taxInclusive: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      lineTotal: { type: DataTypes.BIGINT, allowNull: false, validate: { isInt: true } },
      lineTax: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0, validate: { isInt: true, min: 0 } },
    },
    {
      sequelize,
      modelName: 'PurchaseOrderLine',
      tableName: 'purchase_order_lines',
      underscored: true,
      timestamps: false,
      indexes: [
        { name: 'purchase_order_lines_purchase_order_id', fields: ['purchase_order_id'] },
        { name: 'purchase_order_lines_product_id', fields: ['product_id'] },
      ],
    },
  );
  return PurchaseOrderLine;
}
