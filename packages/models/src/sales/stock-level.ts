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
import type { AssociateModel, Location, Product } from '../model-types';

/** Units of a product on hand at a location: the running sum of its stock movements. */
export function defineStockLevel(sequelize: Sequelize) {
  class StockLevel extends Model<InferAttributes<StockLevel>, InferCreationAttributes<StockLevel>> {
    declare id: CreationOptional<number>;
    declare productId: ForeignKey<number>;
    declare locationId: ForeignKey<number>;
    declare quantity: CreationOptional<number>;
    declare updatedAt: CreationOptional<Date>;

    declare product?: NonAttribute<Product>;
    declare location?: NonAttribute<Location>;
  }

  StockLevel.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      // CASCADE on both: a stock level is derived data. The movements (RESTRICT) keep the history and
      // stop a product or location with history from being deleted in the first place.
      productId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'products', key: 'id' },
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
      locationId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'locations', key: 'id' },
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
      quantity: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0, validate: { isInt: true } },
      updatedAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      modelName: 'StockLevel',
      tableName: 'stock_levels',
      underscored: true,
      createdAt: false,
      indexes: [
        { name: 'stock_levels_product_location_unique', unique: true, fields: ['product_id', 'location_id'] },
        { name: 'stock_levels_location_id', fields: ['location_id'] },
      ],
    },
  );
  return StockLevel;
}

export const associateStockLevel: AssociateModel<'StockLevel'> = (StockLevel, target) => {
  StockLevel.belongsTo(target('Product'), { as: 'product', foreignKey: 'productId', constraints: false });
  StockLevel.belongsTo(target('Location'), { as: 'location', foreignKey: 'locationId', constraints: false });
};
