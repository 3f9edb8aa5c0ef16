import type { Sequelize } from 'sequelize';
import type { defineAccount } from './accounting/account';
import type { defineExpense } from './accounting/expense';
import type { defineJournalEntry } from './accounting/journal-entry';
import type { defineJournalLine } from './accounting/journal-line';
import type { defineTaxRate } from './accounting/tax-rate';
import type { defineGroup } from './auth/group';
import type { defineGroupPermission } from './auth/group-permission';
import type { definePermission } from './auth/permission';
import type { defineSession } from './auth/session';
import type { defineUser } from './auth/user';
import type { defineUserGroup } from './auth/user-group';
import type { defineUserLocation } from './auth/user-location';
import type { defineCreditNote, defineCreditNoteLine } from './sales/credit-note';
import type { defineQuote, defineQuoteLine } from './sales/quote';
import type { defineCustomer } from './sales/customer';
import type { defineInvoice } from './sales/invoice';
import type { defineInvoiceLine } from './sales/invoice-line';
import type { defineLocation } from './sales/location';
import type { definePayment } from './sales/payment';
import type { defineProduct } from './sales/product';
import type { defineStockLevel } from './sales/stock-level';
import type { defineStockMovement } from './sales/stock-movement';
import type { defineStockBatch } from './sales/stock-batch';
import type { defineTenantSettings } from './settings/tenant-settings';
import type { defineUnit } from './sales/unit';
import type { defineCategory } from './sales/category';
import type { definePurchaseOrder } from './purchasing/purchase-order';
import type { definePurchaseOrderLine } from './purchasing/purchase-order-line';
import type { defineSupplier } from './purchasing/supplier';
import type { defineSupplierBill } from './purchasing/supplier-bill';
import type { defineSupplierPayment } from './purchasing/supplier-payment';
import type { defineSupplierBillTax } from './purchasing/supplier-bill-tax';

// Model classes exist only inside defineTenantModels (one set per Sequelize instance); these are
// their types, derived from the factories so nothing holds a class at module scope.
export type UserModel = ReturnType<typeof defineUser>;
export type GroupModel = ReturnType<typeof defineGroup>;
export type PermissionModel = ReturnType<typeof definePermission>;
export type UserGroupModel = ReturnType<typeof defineUserGroup>;
export type UserLocationModel = ReturnType<typeof defineUserLocation>;
export type GroupPermissionModel = ReturnType<typeof defineGroupPermission>;
export type SessionModel = ReturnType<typeof defineSession>;
export type LocationModel = ReturnType<typeof defineLocation>;
export type CustomerModel = ReturnType<typeof defineCustomer>;
export type ProductModel = ReturnType<typeof defineProduct>;
export type StockLevelModel = ReturnType<typeof defineStockLevel>;
export type StockMovementModel = ReturnType<typeof defineStockMovement>;
export type StockBatchModel = ReturnType<typeof defineStockBatch>;
export type InvoiceModel = ReturnType<typeof defineInvoice>;
export type InvoiceLineModel = ReturnType<typeof defineInvoiceLine>;
export type PaymentModel = ReturnType<typeof definePayment>;
export type AccountModel = ReturnType<typeof defineAccount>;
export type JournalEntryModel = ReturnType<typeof defineJournalEntry>;
export type JournalLineModel = ReturnType<typeof defineJournalLine>;
export type ExpenseModel = ReturnType<typeof defineExpense>;
export type TaxRateModel = ReturnType<typeof defineTaxRate>;
export type CreditNoteModel = ReturnType<typeof defineCreditNote>;
export type CreditNoteLineModel = ReturnType<typeof defineCreditNoteLine>;
export type QuoteModel = ReturnType<typeof defineQuote>;
export type QuoteLineModel = ReturnType<typeof defineQuoteLine>;
export type TenantSettingsModel = ReturnType<typeof defineTenantSettings>;
export type UnitModel = ReturnType<typeof defineUnit>;
export type CategoryModel = ReturnType<typeof defineCategory>;
export type SupplierModel = ReturnType<typeof defineSupplier>;
export type PurchaseOrderModel = ReturnType<typeof definePurchaseOrder>;
export type PurchaseOrderLineModel = ReturnType<typeof definePurchaseOrderLine>;
export type SupplierBillModel = ReturnType<typeof defineSupplierBill>;
export type SupplierPaymentModel = ReturnType<typeof defineSupplierPayment>;
export type SupplierBillTaxModel = ReturnType<typeof defineSupplierBillTax>;

export interface User extends InstanceType<UserModel> {}
export interface Group extends InstanceType<GroupModel> {}
export interface Permission extends InstanceType<PermissionModel> {}
export interface UserGroup extends InstanceType<UserGroupModel> {}
export interface UserLocation extends InstanceType<UserLocationModel> {}
export interface GroupPermission extends InstanceType<GroupPermissionModel> {}
export interface Session extends InstanceType<SessionModel> {}
export interface Location extends InstanceType<LocationModel> {}
export interface Customer extends InstanceType<CustomerModel> {}
export interface Product extends InstanceType<ProductModel> {}
export interface StockLevel extends InstanceType<StockLevelModel> {}
export interface StockMovement extends InstanceType<StockMovementModel> {}
export interface StockBatch extends InstanceType<StockBatchModel> {}
export interface Invoice extends InstanceType<InvoiceModel> {}
export interface InvoiceLine extends InstanceType<InvoiceLineModel> {}
export interface Payment extends InstanceType<PaymentModel> {}
export interface Account extends InstanceType<AccountModel> {}
export interface JournalEntry extends InstanceType<JournalEntryModel> {}
export interface JournalLine extends InstanceType<JournalLineModel> {}
export interface Expense extends InstanceType<ExpenseModel> {}
export interface TaxRate extends InstanceType<TaxRateModel> {}
export interface CreditNote extends InstanceType<CreditNoteModel> {}
export interface CreditNoteLine extends InstanceType<CreditNoteLineModel> {}
export interface Quote extends InstanceType<QuoteModel> {}
export interface QuoteLine extends InstanceType<QuoteLineModel> {}
export interface TenantSettings extends InstanceType<TenantSettingsModel> {}
export interface Unit extends InstanceType<UnitModel> {}
export interface Category extends InstanceType<CategoryModel> {}
export interface Supplier extends InstanceType<SupplierModel> {}
export interface PurchaseOrder extends InstanceType<PurchaseOrderModel> {}
export interface PurchaseOrderLine extends InstanceType<PurchaseOrderLineModel> {}
export interface SupplierBill extends InstanceType<SupplierBillModel> {}
export interface SupplierPayment extends InstanceType<SupplierPaymentModel> {}
export interface SupplierBillTax extends InstanceType<SupplierBillTaxModel> {}

/** Every tenant model class, by name. */
export interface TenantModelClasses {
  User: UserModel;
  Group: GroupModel;
  Permission: PermissionModel;
  UserGroup: UserGroupModel;
  UserLocation: UserLocationModel;
  GroupPermission: GroupPermissionModel;
  Session: SessionModel;
  Location: LocationModel;
  Customer: CustomerModel;
  Product: ProductModel;
  StockLevel: StockLevelModel;
  StockMovement: StockMovementModel;
  StockBatch: StockBatchModel;
  Invoice: InvoiceModel;
  InvoiceLine: InvoiceLineModel;
  Payment: PaymentModel;
  Account: AccountModel;
  JournalEntry: JournalEntryModel;
  JournalLine: JournalLineModel;
  Expense: ExpenseModel;
  TaxRate: TaxRateModel;
  CreditNote: CreditNoteModel;
  CreditNoteLine: CreditNoteLineModel;
  Quote: QuoteModel;
  QuoteLine: QuoteLineModel;
  TenantSettings: TenantSettingsModel;
  Unit: UnitModel;
  Category: CategoryModel;
  Supplier: SupplierModel;
  PurchaseOrder: PurchaseOrderModel;
  PurchaseOrderLine: PurchaseOrderLineModel;
  SupplierBill: SupplierBillModel;
  SupplierPayment: SupplierPaymentModel;
  SupplierBillTax: SupplierBillTaxModel;
}

export type TenantModelName = keyof TenantModelClasses;

/**
 * One tenant's models, bound to that tenant's Sequelize instance. Each model is defined on first
 * access of its property (see define-tenant-models.ts).
 */
export type TenantModels = Readonly<TenantModelClasses> & {
  readonly sequelize: Sequelize;
  /**
   * The same class as `models[name]`, initialised, but without wiring its associations (and so
   * without initialising their targets) until `models[name]` itself is read. For hot queries with
   * no `include` and no association methods: a cold tenant's first request then defines only the
   * models it queries.
   */
  readonly unassociated: ModelTarget;
};

/** Returns a model class initialised on the same instance, without wiring its own associations. */
export type ModelTarget = <K extends TenantModelName>(name: K) => TenantModelClasses[K];

/** Wires the associations whose source is this model. */
export type AssociateModel<K extends TenantModelName> = (model: TenantModelClasses[K], target: ModelTarget) => void;
