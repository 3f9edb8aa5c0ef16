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
import type { AssociateModel, QuoteLine } from '../model-types';
import {
  documentAmountAttributes,
  documentAuthorAttribute,
  documentHeaderAttributes,
  documentIndexes,
  documentNotesAttribute,
  documentTimestampAttributes,
  lineItemAttributes,
  linePricingAttributes,
  reference,
} from './sales-document-attributes';

import { QUOTE_STATUSES, type QuoteStatus } from '@salesfleet/contracts';

/** Stored as a short string (not a database ENUM) so one schema serves every dialect. */
export { QUOTE_STATUSES, type QuoteStatus };

/**
 * A quote: the prices, discounts and tax a customer is offered until `validUntil`. It posts nothing
 * and takes no stock; converting it (once) issues an invoice that references it (`invoiceId` here,
 * `quoteId` there). Amounts are integer cents, priced like an invoice (tax.ts priceLines).
 */
export function defineQuote(sequelize: Sequelize) {
  class Quote extends Model<InferAttributes<Quote>, InferCreationAttributes<Quote>> {
    declare id: CreationOptional<number>;
    declare number: string;
    declare locationId: ForeignKey<number>;
    declare customerId: CreationOptional<ForeignKey<number> | null>;
    declare status: CreationOptional<QuoteStatus>;
    declare issueDate: string;
    declare validUntil: string;
    declare discountBp: CreationOptional<number | null>;
    declare discountAmount: CreationOptional<number>;
    declare discountTotal: CreationOptional<number>;
    declare subtotal: CreationOptional<number>;
    declare tax: CreationOptional<number>;
    declare total: CreationOptional<number>;
    declare notes: CreationOptional<string | null>;
    /** The invoice it was converted into. */
    declare invoiceId: CreationOptional<ForeignKey<number> | null>;
    declare createdBy: ForeignKey<number>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    declare lines?: NonAttribute<QuoteLine[]>;
  }

  Quote.init(
    {
      ...documentHeaderAttributes(QUOTE_STATUSES, 'open'),
      validUntil: { type: DataTypes.DATEONLY, allowNull: false },
      ...documentAmountAttributes(),
      notes: documentNotesAttribute(),
      // No foreign key: the invoice references its quote (invoices.quote_id), and a cycle of foreign
      // keys would leave backups no table order to restore in. Written in the conversion's transaction.
      invoiceId: { type: DataTypes.INTEGER, allowNull: true },
      createdBy: documentAuthorAttribute(),
      ...documentTimestampAttributes(sequelize),
    },
    {
      sequelize,
      modelName: 'Quote',
      tableName: 'quotes',
      underscored: true,
      indexes: documentIndexes('quotes', ['invoice_id', 'created_by']),
    },
  );
  return Quote;
}

export const associateQuote: AssociateModel<'Quote'> = (Quote, target) => {
  Quote.hasMany(target('QuoteLine'), { as: 'lines', foreignKey: 'quoteId', constraints: false });
};

/** One line of a quote, priced like an invoice line (no cost: a quote takes no stock). */
export function defineQuoteLine(sequelize: Sequelize) {
  class QuoteLine extends Model<InferAttributes<QuoteLine>, InferCreationAttributes<QuoteLine>> {
    declare id: CreationOptional<number>;
    declare quoteId: ForeignKey<number>;
    declare productId: CreationOptional<ForeignKey<number> | null>;
    declare description: string;
    /** Thousandths of a unit. */
    declare quantity: number;
    declare unitPrice: number;
    declare taxRateBp: number;
    declare taxInclusive: boolean;
    declare discountBp: CreationOptional<number | null>;
    declare discountAmount: CreationOptional<number>;
    declare invoiceDiscount: CreationOptional<number>;
    declare lineSubtotal: number;
    declare lineTax: number;
    declare lineTotal: number;
  }

  QuoteLine.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      quoteId: reference('quotes', false, 'CASCADE'),
      ...lineItemAttributes(),
      ...linePricingAttributes(),
    },
    {
      sequelize,
      modelName: 'QuoteLine',
      tableName: 'quote_lines',
      underscored: true,
      timestamps: false,
      indexes: [
        { name: 'quote_lines_quote_id', fields: ['quote_id'] },
        { name: 'quote_lines_product_id', fields: ['product_id'] },
      ],
    },
  );
  return QuoteLine;
}
