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
import type { AssociateModel, CreditNoteLine, Invoice } from '../model-types';
import { timestampAttribute } from '../timestamp-attribute';
import { PAYMENT_METHODS, type PaymentMethod } from './payment';

/**
 * A credit note against an issued invoice: what it takes back (lines, amounts in cents), how much of
 * it reduced what the customer owed (`applied`) and how much was paid back in money (`refunded`).
 */
export function defineCreditNote(sequelize: Sequelize) {
  class CreditNote extends Model<InferAttributes<CreditNote>, InferCreationAttributes<CreditNote>> {
    declare id: CreationOptional<number>;
    declare number: string;
    declare invoiceId: ForeignKey<number>;
    declare issueDate: string;
    declare subtotal: number;
    declare tax: number;
    declare total: number;
    declare applied: number;
    declare refunded: number;
    declare refundMethod: CreationOptional<PaymentMethod | null>;
    declare reason: CreationOptional<string | null>;
    declare createdBy: ForeignKey<number>;
    declare createdAt: CreationOptional<Date>;

    declare lines?: NonAttribute<CreditNoteLine[]>;
    declare invoice?: NonAttribute<Invoice>;
  }

  const cents = () => ({ type: DataTypes.BIGINT, allowNull: false, validate: { isInt: true } });
  CreditNote.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      number: { type: DataTypes.STRING(32), allowNull: false },
      invoiceId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'invoices', key: 'id' },
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
      issueDate: { type: DataTypes.DATEONLY, allowNull: false },
      subtotal: cents(),
      tax: cents(),
      total: cents(),
      applied: cents(),
      refunded: cents(),
      refundMethod: { type: DataTypes.STRING(10), allowNull: true, validate: { isIn: [[...PAYMENT_METHODS]] } },
      reason: { type: DataTypes.STRING(200), allowNull: true },
      createdBy: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'users', key: 'id' },
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
      createdAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      modelName: 'CreditNote',
      tableName: 'credit_notes',
      underscored: true,
      updatedAt: false,
      indexes: [
        { name: 'credit_notes_number_unique', unique: true, fields: ['number'] },
        { name: 'credit_notes_invoice_id', fields: ['invoice_id'] },
        { name: 'credit_notes_issue_date', fields: ['issue_date'] },
        { name: 'credit_notes_created_by', fields: ['created_by'] },
      ],
    },
  );
  return CreditNote;
}

export const associateCreditNote: AssociateModel<'CreditNote'> = (CreditNote, target) => {
  CreditNote.hasMany(target('CreditNoteLine'), { as: 'lines', foreignKey: 'creditNoteId' });
  CreditNote.belongsTo(target('Invoice'), { as: 'invoice', foreignKey: 'invoiceId' });
};

/** One credited part of an invoice line: the quantity taken back and its share of the line's amounts and cost. */
export function defineCreditNoteLine(sequelize: Sequelize) {
  class CreditNoteLine extends Model<InferAttributes<CreditNoteLine>, InferCreationAttributes<CreditNoteLine>> {
    declare id: CreationOptional<number>;
    declare creditNoteId: ForeignKey<number>;
    declare invoiceLineId: ForeignKey<number>;
    declare productId: CreationOptional<ForeignKey<number> | null>;
    declare description: string;
    /** Thousandths of a unit. */
    declare quantity: number;
    declare taxRateBp: number;
    declare lineSubtotal: number;
    declare lineTax: number;
    declare lineTotal: number;
    /** Value of the goods returned to stock (their share of the invoice line's cost); null when not restocked or free text. */
    declare costAmount: CreationOptional<number | null>;
  }

  const cents = () => ({ type: DataTypes.BIGINT, allowNull: false, validate: { isInt: true } });
  CreditNoteLine.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      creditNoteId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'credit_notes', key: 'id' },
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
      invoiceLineId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'invoice_lines', key: 'id' },
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
      productId: {
        type: DataTypes.INTEGER,
        allowNull: true,
        references: { model: 'products', key: 'id' },
        onDelete: 'RESTRICT',
        onUpdate: 'CASCADE',
      },
      description: { type: DataTypes.STRING(255), allowNull: false },
      quantity: { type: DataTypes.BIGINT, allowNull: false, validate: { isInt: true, min: 1 } },
      taxRateBp: { type: DataTypes.INTEGER, allowNull: false },
      lineSubtotal: cents(),
      lineTax: cents(),
      lineTotal: cents(),
      costAmount: { type: DataTypes.BIGINT, allowNull: true, validate: { isInt: true } },
    },
    {
      sequelize,
      modelName: 'CreditNoteLine',
      tableName: 'credit_note_lines',
      underscored: true,
      timestamps: false,
      indexes: [
        { name: 'credit_note_lines_credit_note_id', fields: ['credit_note_id'] },
        { name: 'credit_note_lines_invoice_line_id', fields: ['invoice_line_id'] },
        { name: 'credit_note_lines_product_id', fields: ['product_id'] },
      ],
    },
  );
  return CreditNoteLine;
}
