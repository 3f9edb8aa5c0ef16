import { PURCHASE_ORDER_STATUSES, type PurchaseOrderStatus } from '@salesfleet/contracts';
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
import type { AssociateModel, PurchaseOrderLine, Supplier } from '../model-types';
import { timestampAttribute } from '../timestamp-attribute';

/** Where an order stands: `ordered` until its goods arrive (in parts: `partial`), `received`, or `cancelled`. */
export { PURCHASE_ORDER_STATUSES, type PurchaseOrderStatus };

/** An order placed with a supplier for goods to arrive at one location, at agreed unit costs. */
export function definePurchaseOrder(sequelize: Sequelize) {
  class PurchaseOrder extends Model<InferAttributes<PurchaseOrder>, InferCreationAttributes<PurchaseOrder>> {
    declare id: CreationOptional<number>;
    declare number: string;
    declare supplierId: ForeignKey<number>;
    declare locationId: ForeignKey<number>;
    declare status: CreationOptional<PurchaseOrderStatus>;
    declare orderDate: string;
    declare expectedDate: CreationOptional<string | null>;
    /** Σ lines ordered × unit cost, cents. */
    declare total: number;
    /** The tax included in `total` (cents). */
    declare tax: CreationOptional<number>;
    declare notes: CreationOptional<string | null>;
    declare createdBy: ForeignKey<number>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    declare lines?: NonAttribute<PurchaseOrderLine[]>;
    declare supplier?: NonAttribute<Supplier>;
  }

  const fk = (model: string, onDelete: 'RESTRICT' | 'CASCADE') => ({
    type: DataTypes.INTEGER,
    allowNull: false,
    references: { model, key: 'id' },
    onDelete,
    onUpdate: 'CASCADE',
  });
  PurchaseOrder.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      number: { type: DataTypes.STRING(32), allowNull: false },
      supplierId: fk('suppliers', 'RESTRICT'),
      locationId: fk('locations', 'RESTRICT'),
      status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'ordered', validate: { isIn: [[...PURCHASE_ORDER_STATUSES]] } },
      orderDate: { type: DataTypes.DATEONLY, allowNull: false },
      expectedDate: { type: DataTypes.DATEONLY, allowNull: true },
      total: { type: DataTypes.BIGINT, allowNull: false, validate: { isInt: true } },
      tax: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0, validate: { isInt: true, min: 0 } },
      notes: { type: DataTypes.TEXT, allowNull: true },
      createdBy: fk('users', 'RESTRICT'),
      createdAt: timestampAttribute(sequelize),
      updatedAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      modelName: 'PurchaseOrder',
      tableName: 'purchase_orders',
      underscored: true,
      indexes: [
        { name: 'purchase_orders_number_unique', unique: true, fields: ['number'] },
        { name: 'purchase_orders_supplier_id', fields: ['supplier_id'] },
        { name: 'purchase_orders_location_id', fields: ['location_id'] },
        { name: 'purchase_orders_created_by', fields: ['created_by'] },
      ],
    },
  );
  return PurchaseOrder;
}

export const associatePurchaseOrder: AssociateModel<'PurchaseOrder'> = (PurchaseOrder, target) => {
  PurchaseOrder.hasMany(target('PurchaseOrderLine'), { as: 'lines', foreignKey: 'purchaseOrderId', constraints: false });
  PurchaseOrder.belongsTo(target('Supplier'), { as: 'supplier', foreignKey: 'supplierId', constraints: false });
};
