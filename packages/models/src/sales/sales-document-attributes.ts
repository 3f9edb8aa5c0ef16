import { DataTypes, type ModelAttributeColumnOptions, type Sequelize } from 'sequelize';
import { timestampAttribute } from '../timestamp-attribute';

// The columns an invoice and a quote (and their lines) share, defined once: both are priced by the
// same arithmetic (contracts' priceLines), so their parties, discounts and totals must not drift apart.
// Each helper returns fresh objects: Sequelize writes into every attribute definition it is given.

/** Integer cents in a BIGINT column (totals grow). */
export const cents = (defaultValue?: number): ModelAttributeColumnOptions => ({
  type: DataTypes.BIGINT,
  allowNull: false,
  ...(defaultValue === undefined ? {} : { defaultValue }),
  validate: { isInt: true },
});

/** Non-negative integer cents defaulting to 0 (a discount, a line's share of the document's discount). */
const discountCents = (): ModelAttributeColumnOptions => ({
  type: DataTypes.BIGINT,
  allowNull: false,
  defaultValue: 0,
  validate: { isInt: true, min: 0 },
});

/** A percentage in basis points, when the discount was given as one. */
const discountBasisPoints = (): ModelAttributeColumnOptions => ({
  type: DataTypes.INTEGER,
  allowNull: true,
  validate: { isInt: true, min: 0, max: 10_000 },
});

/** An integer foreign key (RESTRICT unless said otherwise: documents are legal records, never orphaned). */
export const reference = (
  table: string,
  allowNull: boolean,
  onDelete: 'RESTRICT' | 'CASCADE' | 'SET NULL' = 'RESTRICT',
): ModelAttributeColumnOptions => ({
  type: DataTypes.INTEGER,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete,
  onUpdate: 'CASCADE',
});

/** id, number, location, customer, status (a short string, not an ENUM, so one schema serves every dialect), issue date. */
export function documentHeaderAttributes<S extends string>(statuses: readonly S[], defaultStatus: S) {
  return {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    number: { type: DataTypes.STRING(32), allowNull: false, validate: { notEmpty: true } },
    // RESTRICT: a document's location is deactivated, never deleted.
    locationId: reference('locations', false),
    // SET NULL: deleting a customer (e.g. an erasure request) keeps their documents, anonymous.
    customerId: reference('customers', true, 'SET NULL'),
    status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: defaultStatus, validate: { isIn: [[...statuses]] } },
    issueDate: { type: DataTypes.DATEONLY, allowNull: false },
  } satisfies Record<string, ModelAttributeColumnOptions>;
}

/** The document-level discount (as basis points and in cents), every discount on it, and its totals. */
export function documentAmountAttributes() {
  return {
    discountBp: discountBasisPoints(),
    discountAmount: cents(0),
    discountTotal: cents(0),
    subtotal: cents(0),
    tax: cents(0),
    total: cents(0),
  } satisfies Record<string, ModelAttributeColumnOptions>;
}

/** Who wrote the document (RESTRICT: users with documents are deactivated, not deleted). */
export const documentAuthorAttribute = (): ModelAttributeColumnOptions => reference('users', false);
export const documentNotesAttribute = (): ModelAttributeColumnOptions => ({ type: DataTypes.TEXT, allowNull: true });
export const documentTimestampAttributes = (sequelize: Sequelize) => ({
  createdAt: timestampAttribute(sequelize),
  updatedAt: timestampAttribute(sequelize),
});

/** The indexes both documents have, named after their table, then one per further column in `columns`. */
export function documentIndexes(table: string, columns: readonly string[]) {
  return [
    { name: `${table}_number_unique`, unique: true, fields: ['number'] },
    ...['issue_date', 'status', 'location_id', 'customer_id', ...columns].map((column) => ({
      name: `${table}_${column}`,
      fields: [column],
    })),
  ];
}

/**
 * A line's product (nullable for free-text lines; RESTRICT keeps sold or quoted products from
 * vanishing), description and quantity (thousandths of a unit).
 */
export function lineItemAttributes() {
  return {
    productId: reference('products', true),
    description: { type: DataTypes.STRING(255), allowNull: false },
    quantity: { type: DataTypes.BIGINT, allowNull: false, validate: { isInt: true, min: 1 } },
  } satisfies Record<string, ModelAttributeColumnOptions>;
}

/** A line's price, tax rate, discounts (its own and its share of the document's) and amounts, in cents. */
export function linePricingAttributes() {
  return {
    unitPrice: cents(),
    /** Basis points (2000 = 20 %). */
    taxRateBp: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0, validate: { isInt: true, min: 0 } },
    taxInclusive: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    discountBp: discountBasisPoints(),
    discountAmount: discountCents(),
    invoiceDiscount: discountCents(),
    lineSubtotal: cents(),
    lineTax: cents(0),
    lineTotal: cents(),
  } satisfies Record<string, ModelAttributeColumnOptions>;
}
