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
import type { AssociateModel, Location, Product } from '../model-types';
import { timestampAttribute } from '../timestamp-attribute';

/**
 * Units of a batch-tracked product at a location that share a batch number and an expiry date. The
 * batches of a product at a location add up to its stock level; a batch row stays (at 0) once emptied,
 * so its movements keep naming it.
 */
export function defineStockBatch(sequelize: Sequelize) {
  class StockBatch extends Model<InferAttributes<StockBatch>, InferCreationAttributes<StockBatch>> {
    declare id: CreationOptional<number>;
    declare productId: ForeignKey<number>;
    declare locationId: ForeignKey<number>;
    declare batchNumber: string;
    /** `YYYY-MM-DD`: the last day the batch may be sold. */
    declare expiryDate: string;
    /** Thousandths on hand; never negative. */
    declare quantity: CreationOptional<number>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    declare product?: NonAttribute<Product>;
    declare location?: NonAttribute<Location>;
  }

  const fk = (model: string) => ({
    type: DataTypes.INTEGER,
    allowNull: false,
    references: { model, key: 'id' },
    onDelete: 'RESTRICT' as const,
    onUpdate: 'CASCADE' as const,
  });
  StockBatch.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      productId: fk('products'),
      locationId: fk('locations'),
      batchNumber: { type: DataTypes.STRING(50), allowNull: false },
      expiryDate: { type: DataTypes.DATEONLY, allowNull: false },
      quantity: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0, validate: { isInt: true, min: 0 } },
      createdAt: timestampAttribute(sequelize),
      updatedAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      modelName: 'StockBatch',
      tableName: 'stock_batches',
      underscored: true,
      indexes: [
        { name: 'stock_batches_product_location_number_unique', unique: true, fields: ['product_id', 'location_id', 'batch_number'] },
        { name: 'stock_batches_location_expiry', fields: ['location_id', 'expiry_date'] },
      ],
    },
  );
  return StockBatch;
}

export const associateStockBatch: AssociateModel<'StockBatch'> = (StockBatch, target) => {
  StockBatch.belongsTo(target('Product'), { as: 'product', foreignKey: 'productId', constraints: false });
  StockBatch.belongsTo(target('Location'), { as: 'location', foreignKey: 'locationId', constraints: false });
};
