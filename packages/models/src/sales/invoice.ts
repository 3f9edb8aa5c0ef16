import { INVOICE_STATUSES, type InvoiceStatus } from '@salesfleet/contracts';
import {
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import {
  cents,
  documentAmountAttributes,
  documentAuthorAttribute,
  documentHeaderAttributes,
  documentIndexes,
  documentNotesAttribute,
  documentTimestampAttributes,
  reference,
} from './sales-document-attributes';
import type { AssociateModel, Customer, InvoiceLine, Location, Payment, User } from '../model-types';

/** Stored as a short string (not a database ENUM) so one schema serves every dialect. */
export { INVOICE_STATUSES, type InvoiceStatus };

/**
 * An invoice. Amounts are integer cents in BIGINT columns (totals grow); they are read back as JS
 * numbers on every dialect (see sequelize-options.ts for PostgreSQL).
 */
export function defineInvoice(sequelize: Sequelize) {
  class Invoice extends Model<InferAttributes<Invoice>, InferCreationAttributes<Invoice>> {
    declare id: CreationOptional<number>;
    declare number: string;
    declare locationId: ForeignKey<number>;
    declare customerId: CreationOptional<ForeignKey<number> | null>;
    declare status: CreationOptional<InvoiceStatus>;
    declare issueDate: string;
    /** The invoice-level discount as a percentage (basis points), when it was given as one. */
    declare discountBp: CreationOptional<number | null>;
    /** The invoice-level discount in cents (shared over the lines' invoiceDiscount). */
    declare discountAmount: CreationOptional<number>;
    /** Every discount on the invoice: its lines' own and the invoice-level one. */
    declare discountTotal: CreationOptional<number>;
    /** Net of discounts and tax. */
    declare subtotal: CreationOptional<number>;
    declare tax: CreationOptional<number>;
    declare total: CreationOptional<number>;
    declare amountPaid: CreationOptional<number>;
    /** Credit notes' amounts applied to what the customer owes (not refunded in money). */
    declare amountCredited: CreationOptional<number>;
    declare createdBy: ForeignKey<number>;
    declare notes: CreationOptional<string | null>;
    /** The quote this invoice was converted from. */
    declare quoteId: CreationOptional<ForeignKey<number> | null>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    /** Σ of its credit notes' totals (applied and refunded), set by the reads that answer it (getInvoice, listInvoices). */
    declare creditedTotal?: NonAttribute<number>;

    declare location?: NonAttribute<Location>;
    declare customer?: NonAttribute<Customer | null>;
    declare lines?: NonAttribute<InvoiceLine[]>;
    declare payments?: NonAttribute<Payment[]>;
    declare creator?: NonAttribute<User>;
  }

  Invoice.init(
    {
      ...documentHeaderAttributes(INVOICE_STATUSES, 'draft'),
      ...documentAmountAttributes(),
      amountPaid: cents(0),
      amountCredited: cents(0),
      createdBy: documentAuthorAttribute(),
      notes: documentNotesAttribute(),
      // RESTRICT: a converted quote stays with its invoice.
      quoteId: reference('quotes', true),
      ...documentTimestampAttributes(sequelize),
    },
    {
      sequelize,
      modelName: 'Invoice',
      tableName: 'invoices',
      underscored: true,
      indexes: documentIndexes('invoices', ['created_by', 'quote_id']),
    },
  );
  return Invoice;
}

export const associateInvoice: AssociateModel<'Invoice'> = (Invoice, target) => {
  Invoice.belongsTo(target('Location'), { as: 'location', foreignKey: 'locationId', constraints: false });
  Invoice.belongsTo(target('Customer'), { as: 'customer', foreignKey: 'customerId', constraints: false });
  Invoice.belongsTo(target('User'), { as: 'creator', foreignKey: 'createdBy', constraints: false });
  Invoice.hasMany(target('InvoiceLine'), { as: 'lines', foreignKey: 'invoiceId', constraints: false });
  Invoice.hasMany(target('Payment'), { as: 'payments', foreignKey: 'invoiceId', constraints: false });
};
