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
import { BARCODE_MAX_LENGTH, SKU_MAX_LENGTH } from '@salesfleet/contracts';
import { timestampAttribute } from '../timestamp-attribute';
import type { AssociateModel, StockLevel, TaxRate, Unit } from '../model-types';

/**
 * A product for sale. Prices are integer cents. The tax rate is a reference to `tax_rates`
 * (null = not taxed), so changing a rate changes it for every product using it; invoice lines copy
 * the rate in basis points at the moment of sale, so history never changes.
 */
export function defineProduct(sequelize: Sequelize) {
  class Product extends Model<InferAttributes<Product>, InferCreationAttributes<Product>> {
    declare id: CreationOptional<number>;
    declare sku: string;
    declare name: string;
    declare description: CreationOptional<string | null>;
    /** Selling price of one unit, in cents, before tax. */
    declare unitPrice: number;
    /**
     * Moving-average cost of one unit in cents, kept by the stock postings (see valuation.ts); the
     * starting cost of new stock while none is on hand; null when never known.
     */
    declare costPrice: CreationOptional<number | null>;
    /** Units on hand at every location together, in thousandths (Σ stock levels). */
    declare inventoryQuantity: CreationOptional<number>;
    /** Value of the units on hand in cents: what the Inventory account holds for this product. */
    declare inventoryValue: CreationOptional<number>;
    /** Unit of measure (how many decimals a quantity may have); null = whole units. */
    declare unitId: CreationOptional<ForeignKey<number> | null>;
    declare categoryId: CreationOptional<ForeignKey<number> | null>;
    /** What the till scans (EAN/UPC or the shop's own code); unique when set. */
    declare barcode: CreationOptional<string | null>;
    declare taxRateId: CreationOptional<ForeignKey<number> | null>;
    declare allowNegativeStock: CreationOptional<boolean>;
    /** Stock kept in batches with expiry dates, sold first-expiry-first-out (sales/batches.ts). */
    declare trackBatches: CreationOptional<boolean>;
    declare isActive: CreationOptional<boolean>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    declare taxRate?: NonAttribute<TaxRate | null>;
    declare unit?: NonAttribute<Unit | null>;
    declare stockLevels?: NonAttribute<StockLevel[]>;
  }

  Product.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      sku: { type: DataTypes.STRING(SKU_MAX_LENGTH), allowNull: false, validate: { notEmpty: true } },
      name: { type: DataTypes.STRING(200), allowNull: false, validate: { notEmpty: true } },
      description: { type: DataTypes.TEXT, allowNull: true },
      unitPrice: { type: DataTypes.INTEGER, allowNull: false, validate: { isInt: true, min: 0 } },
      costPrice: { type: DataTypes.INTEGER, allowNull: true, validate: { isInt: true, min: 0 } },
      inventoryQuantity: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0, validate: { isInt: true } },
      inventoryValue: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0, validate: { isInt: true } },
      // RESTRICT: a unit in use is deactivated, never deleted.
      unitId: {
        type: DataTypes.INTEGER,
        allowNull: true,
        references: { model: 'units', key: 'id' },
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
      // RESTRICT: a rate in use is deactivated, never deleted behind the products' back.
      taxRateId: {
        type: DataTypes.INTEGER,
        allowNull: true,
        references: { model: 'tax_rates', key: 'id' },
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
      // SET NULL: deleting a category leaves its products uncategorised.
      categoryId: {
        type: DataTypes.INTEGER,
        allowNull: true,
        references: { model: 'categories', key: 'id' },
        onDelete: 'SET NULL',
        onUpdate: 'CASCADE',
      },
      barcode: { type: DataTypes.STRING(BARCODE_MAX_LENGTH), allowNull: true },
      allowNegativeStock: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      trackBatches: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      isActive: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      createdAt: timestampAttribute(sequelize),
      updatedAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      modelName: 'Product',
      tableName: 'products',
      underscored: true,
      indexes: [
        { name: 'products_sku_unique', unique: true, fields: ['sku'] },
        { name: 'products_name', fields: ['name'] },
        { name: 'products_tax_rate_id', fields: ['tax_rate_id'] },
        { name: 'products_unit_id', fields: ['unit_id'] },
        { name: 'products_category_id', fields: ['category_id'] },
        { name: 'products_barcode_unique', unique: true, fields: ['barcode'] },
      ],
    },
  );
  return Product;
}

export const associateProduct: AssociateModel<'Product'> = (Product, target) => {
  Product.belongsTo(target('TaxRate'), { as: 'taxRate', foreignKey: 'taxRateId', constraints: false });
  Product.belongsTo(target('Unit'), { as: 'unit', foreignKey: 'unitId', constraints: false });
  Product.hasMany(target('StockLevel'), { as: 'stockLevels', foreignKey: 'productId', constraints: false });
};
