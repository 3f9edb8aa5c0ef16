import { INVOICE_STATUSES, type InvoiceStatus } from '@salesfleet/contracts';
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

  // A function, not a shared object: Sequelize writes into each attribute definition.
  const cents = () => ({ type: DataTypes.BIGINT, allowNull: false, defaultValue: 0, validate: { isInt: true } });

  Invoice.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      number: { type: DataTypes.STRING(32), allowNull: false, validate: { notEmpty: true } },
      // RESTRICT: an invoice is a legal record; its location is deactivated, never deleted.
      locationId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'locations', key: 'id' },
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
      // SET NULL: deleting a customer (e.g. an erasure request) keeps their invoices, anonymous.
      customerId: {
        type: DataTypes.INTEGER,
        allowNull: true,
        references: { model: 'customers', key: 'id' },
        onDelete: 'SET NULL',
        onUpdate: 'CASCADE',
      },
      status: {
        type: DataTypes.STRING(10),
        allowNull: false,
        defaultValue: 'draft',
        validate: { isIn: [[...INVOICE_STATUSES]] },
      },
      issueDate: { type: DataTypes.DATEONLY, allowNull: false },
      discountBp: { type: DataTypes.INTEGER, allowNull: true, validate: { isInt: true, min: 0, max: 10_000 } },
      discountAmount: cents(),
      discountTotal: cents(),
      subtotal: cents(),
      tax: cents(),
      total: cents(),
      amountPaid: cents(),
      amountCredited: cents(),
      // RESTRICT: users with documents are deactivated, not deleted.
      createdBy: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'users', key: 'id' },
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
      notes: { type: DataTypes.TEXT, allowNull: true },
      // RESTRICT: a converted quote stays with its invoice.
      quoteId: {
        type: DataTypes.INTEGER,
        allowNull: true,
        references: { model: 'quotes', key: 'id' },
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
      createdAt: timestampAttribute(),
      updatedAt: timestampAttribute(),
    },
    {
      sequelize,
      modelName: 'Invoice',
      tableName: 'invoices',
      underscored: true,
      indexes: [
        { name: 'invoices_number_unique', unique: true, fields: ['number'] },
        { name: 'invoices_issue_date', fields: ['issue_date'] },
        { name: 'invoices_status', fields: ['status'] },
        { name: 'invoices_location_id', fields: ['location_id'] },
        { name: 'invoices_customer_id', fields: ['customer_id'] },
        { name: 'invoices_created_by', fields: ['created_by'] },
        { name: 'invoices_quote_id', fields: ['quote_id'] },
      ],
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
