import { STOCK_MOVEMENT_REASONS, type StockMovementReason } from '@salesfleet/contracts';
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
import type { AssociateModel, Location, Product, User } from '../model-types';

/** Why stock moved. Stored as a short string (not a database ENUM) so one schema serves every dialect. */
export { STOCK_MOVEMENT_REASONS, type StockMovementReason };

/** One change of stock: negative for goods leaving (sale), positive for goods arriving (receipt, void). */
export function defineStockMovement(sequelize: Sequelize) {
  class StockMovement extends Model<InferAttributes<StockMovement>, InferCreationAttributes<StockMovement>> {
    declare id: CreationOptional<number>;
    declare productId: ForeignKey<number>;
    declare locationId: ForeignKey<number>;
    declare quantity: number;
    declare reason: StockMovementReason;
    /** What caused it, e.g. `invoice:42`. */
    declare reference: CreationOptional<string | null>;
    declare createdBy: CreationOptional<ForeignKey<number> | null>;
    /** The batch moved, for a batch-tracked product (one movement per batch). */
    declare batchId: CreationOptional<ForeignKey<number> | null>;
    declare createdAt: CreationOptional<Date>;

    declare product?: NonAttribute<Product>;
    declare location?: NonAttribute<Location>;
    declare creator?: NonAttribute<User | null>;
  }

  StockMovement.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      // RESTRICT: stock history must survive; products and locations with history are deactivated.
      productId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'products', key: 'id' },
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
      locationId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'locations', key: 'id' },
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
      quantity: { type: DataTypes.BIGINT, allowNull: false, validate: { isInt: true } },
      reason: { type: DataTypes.STRING(20), allowNull: false, validate: { isIn: [[...STOCK_MOVEMENT_REASONS]] } },
      reference: { type: DataTypes.STRING(100), allowNull: true },
      // SET NULL: who moved the stock is informative; the movement itself must stay.
      createdBy: {
        type: DataTypes.INTEGER,
        allowNull: true,
        references: { model: 'users', key: 'id' },
        onDelete: 'SET NULL',
        onUpdate: 'CASCADE',
      },
      // RESTRICT: a batch with movements stays (at zero) as long as its history.
      batchId: {
        type: DataTypes.INTEGER,
        allowNull: true,
        references: { model: 'stock_batches', key: 'id' },
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
      createdAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      modelName: 'StockMovement',
      tableName: 'stock_movements',
      underscored: true,
      updatedAt: false,
      indexes: [
        { name: 'stock_movements_product_location', fields: ['product_id', 'location_id'] },
        { name: 'stock_movements_location_id', fields: ['location_id'] },
        { name: 'stock_movements_created_by', fields: ['created_by'] },
        { name: 'stock_movements_batch_id', fields: ['batch_id'] },
      ],
    },
  );
  return StockMovement;
}

export const associateStockMovement: AssociateModel<'StockMovement'> = (StockMovement, target) => {
  StockMovement.belongsTo(target('Product'), { as: 'product', foreignKey: 'productId', constraints: false });
  StockMovement.belongsTo(target('Location'), { as: 'location', foreignKey: 'locationId', constraints: false });
  StockMovement.belongsTo(target('User'), { as: 'creator', foreignKey: 'createdBy', constraints: false });
};
