import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { timestampAttribute } from '../timestamp-attribute';

/** The one row (id 1) of a tenant's settings: company profile, money and calendar, numbering, closed books. */
export function defineTenantSettings(sequelize: Sequelize) {
  class TenantSettings extends Model<InferAttributes<TenantSettings>, InferCreationAttributes<TenantSettings>> {
    declare id: CreationOptional<number>;
    declare companyName: CreationOptional<string>;
    declare companyAddress: CreationOptional<string | null>;
    declare companyTaxNumber: CreationOptional<string | null>;
    /** ISO 4217; every amount in this tenant's books is an integer of its minor unit. */
    declare currency: CreationOptional<string>;
    declare locale: CreationOptional<string>;
    /** IANA name; "today" and report ranges are days in this zone. */
    declare timeZone: CreationOptional<string>;
    /** 1–12: the month the fiscal year starts (on its first day). */
    declare fiscalYearStartMonth: CreationOptional<number>;
    declare invoicePrefix: CreationOptional<string>;
    declare creditNotePrefix: CreationOptional<string>;
    declare quotePrefix: CreationOptional<string>;
    declare purchasePrefix: CreationOptional<string>;
    /** Books closed through this date (inclusive): nothing may be posted dated on or before it. */
    declare closedThrough: CreationOptional<string | null>;
    declare updatedAt: CreationOptional<Date>;
  }

  TenantSettings.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      companyName: { type: DataTypes.STRING(200), allowNull: false, defaultValue: '' },
      companyAddress: { type: DataTypes.TEXT, allowNull: true },
      companyTaxNumber: { type: DataTypes.STRING(50), allowNull: true },
      currency: { type: DataTypes.STRING(3), allowNull: false, defaultValue: 'USD' },
      locale: { type: DataTypes.STRING(35), allowNull: false, defaultValue: 'en-US' },
      timeZone: { type: DataTypes.STRING(64), allowNull: false, defaultValue: 'UTC' },
      fiscalYearStartMonth: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      invoicePrefix: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'INV-' },
      creditNotePrefix: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'CN-' },
      quotePrefix: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'QT-' },
      purchasePrefix: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'PO-' },
      closedThrough: { type: DataTypes.DATEONLY, allowNull: true },
      updatedAt: timestampAttribute(sequelize),
    },
    { sequelize, modelName: 'TenantSettings', tableName: 'tenant_settings', underscored: true, createdAt: false },
  );
  return TenantSettings;
}
