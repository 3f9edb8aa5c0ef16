import { DataTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';
import { grantPermissions, revokePermissions, type GrantedPermission } from './grant-permissions';

const PERMISSIONS: readonly GrantedPermission[] = [
  { codename: 'settings.change_settings', name: 'Can change the company settings', groups: ['Admin'] },
  { codename: 'accounting.close_period', name: 'Can close accounting periods', groups: ['Admin'] },
];

/**
 * Tenant settings (packages/models/src/settings): one row with the company profile, currency, locale,
 * time zone, fiscal year start, number prefixes and the date the books are closed through. The row
 * is created here with defaults, so existing tenants have it after `migrate-tenants`; seedTenant sets
 * a new tenant's company name. Adds the admin permissions to change settings and close periods.
 */
export const tenantSettings: MigrationDefinition = {
  name: '202612070100-tenant-settings',

  async up(ctx) {
    const { queryInterface, transaction } = ctx;
    await queryInterface.createTable(
      'tenant_settings',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
        company_name: { type: DataTypes.STRING(200), allowNull: false, defaultValue: '' },
        company_address: { type: DataTypes.TEXT, allowNull: true },
        company_tax_number: { type: DataTypes.STRING(50), allowNull: true },
        currency: { type: DataTypes.STRING(3), allowNull: false, defaultValue: 'USD' },
        locale: { type: DataTypes.STRING(35), allowNull: false, defaultValue: 'en-US' },
        time_zone: { type: DataTypes.STRING(64), allowNull: false, defaultValue: 'UTC' },
        fiscal_year_start_month: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        invoice_prefix: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'INV-' },
        credit_note_prefix: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'CN-' },
        quote_prefix: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'QT-' },
        purchase_prefix: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'PO-' },
        closed_through: { type: DataTypes.DATEONLY, allowNull: true },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      { transaction },
    );
    // The one row; an id given explicitly keeps PostgreSQL's sequence untouched, which is fine: no other row is ever inserted.
    await queryInterface.bulkInsert('tenant_settings', [{ id: 1, updated_at: new Date() }], { transaction });
    await grantPermissions(ctx, PERMISSIONS);
  },

  async down(ctx) {
    await revokePermissions(
      ctx,
      PERMISSIONS.map((p) => p.codename),
    );
    await ctx.queryInterface.dropTable('tenant_settings', { transaction: ctx.transaction });
  },
};
