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
import type { AssociateModel, Invoice, Product } from '../model-types';
import { lineItemAttributes, linePricingAttributes, reference } from './sales-document-attributes';

/**
 * One line of an invoice. Description, unit price and tax rate are copied from the product at the
 * time of sale, so later product changes never rewrite history. Amounts in integer cents.
 */
export function defineInvoiceLine(sequelize: Sequelize) {
  class InvoiceLine extends Model<InferAttributes<InvoiceLine>, InferCreationAttributes<InvoiceLine>> {
    declare id: CreationOptional<number>;
    declare invoiceId: ForeignKey<number>;
    declare productId: CreationOptional<ForeignKey<number> | null>;
    declare description: string;
    /** Thousandths of a unit (see quantity.ts). */
    declare quantity: number;
    declare costAmount: CreationOptional<number | null>;
    declare unitPrice: number;
    /** Tax rate in basis points (2000 = 20 %). */
    declare taxRateBp: CreationOptional<number>;
    /** The unit price includes the tax (copied from the tax rate when sold). */
    declare taxInclusive: CreationOptional<boolean>;
    /** The line's discount as a percentage (basis points), when it was given as one. */
    declare discountBp: CreationOptional<number | null>;
    /** The line's own discount in cents. */
    declare discountAmount: CreationOptional<number>;
    /** The line's share of the invoice's discount, in cents. */
    declare invoiceDiscount: CreationOptional<number>;
    /** Net of discounts and tax. */
    declare lineSubtotal: number;
    declare lineTax: CreationOptional<number>;
    declare lineTotal: number;

    declare invoice?: NonAttribute<Invoice>;
    declare product?: NonAttribute<Product | null>;
  }

  InvoiceLine.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      // CASCADE: lines are part of their invoice (and issued invoices are voided, not deleted).
      invoiceId: reference('invoices', false, 'CASCADE'),
      ...lineItemAttributes(),
      // Value of the goods taken out of stock for this line (its cost of goods sold), cents; null on free-text lines.
      costAmount: { type: DataTypes.BIGINT, allowNull: true, validate: { isInt: true } },
      ...linePricingAttributes(),
    },
    {
      sequelize,
      modelName: 'InvoiceLine',
      tableName: 'invoice_lines',
      underscored: true,
      timestamps: false,
      indexes: [
        { name: 'invoice_lines_invoice_id', fields: ['invoice_id'] },
        { name: 'invoice_lines_product_id', fields: ['product_id'] },
      ],
    },
  );
  return InvoiceLine;
}

export const associateInvoiceLine: AssociateModel<'InvoiceLine'> = (InvoiceLine, target) => {
  InvoiceLine.belongsTo(target('Invoice'), { as: 'invoice', foreignKey: 'invoiceId', constraints: false });
  InvoiceLine.belongsTo(target('Product'), { as: 'product', foreignKey: 'productId', constraints: false });
};
