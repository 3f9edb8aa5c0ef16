import type { Sequelize } from 'sequelize';
import { defineAccount } from './accounting/account';
import { associateExpense, defineExpense } from './accounting/expense';
import { associateJournalEntry, defineJournalEntry } from './accounting/journal-entry';
import { associateJournalLine, defineJournalLine } from './accounting/journal-line';
import { defineTaxRate } from './accounting/tax-rate';
import { associateGroup, defineGroup } from './auth/group';
import { associateGroupPermission, defineGroupPermission } from './auth/group-permission';
import { associatePermission, definePermission } from './auth/permission';
import { associateSession, defineSession } from './auth/session';
import { associateUser, defineUser } from './auth/user';
import { associateUserGroup, defineUserGroup } from './auth/user-group';
import { associateCreditNote, defineCreditNote, defineCreditNoteLine } from './sales/credit-note';
import { associateQuote, defineQuote, defineQuoteLine } from './sales/quote';
import { associateCustomer, defineCustomer } from './sales/customer';
import { associateInvoice, defineInvoice } from './sales/invoice';
import { associateInvoiceLine, defineInvoiceLine } from './sales/invoice-line';
import { defineLocation } from './sales/location';
import { associatePayment, definePayment } from './sales/payment';
import { associateProduct, defineProduct } from './sales/product';
import { associateStockLevel, defineStockLevel } from './sales/stock-level';
import { associateStockMovement, defineStockMovement } from './sales/stock-movement';
import { associateStockBatch, defineStockBatch } from './sales/stock-batch';
import { defineTenantSettings } from './settings/tenant-settings';
import { defineUserLocation } from './auth/user-location';
import { defineUnit } from './sales/unit';
import { defineCategory } from './sales/category';
import { associatePurchaseOrder, definePurchaseOrder } from './purchasing/purchase-order';
import { definePurchaseOrderLine } from './purchasing/purchase-order-line';
import { defineSupplier } from './purchasing/supplier';
import { associateSupplierBill, defineSupplierBill } from './purchasing/supplier-bill';
import { defineSupplierPayment } from './purchasing/supplier-payment';
import { defineSupplierBillTax } from './purchasing/supplier-bill-tax';
import { installNumericParsers } from './sequelize-options';
import type { AssociateModel, ModelTarget, TenantModelClasses, TenantModelName, TenantModels } from './model-types';

type ModelSpec<K extends TenantModelName> = {
  define: (sequelize: Sequelize) => TenantModelClasses[K];
  associate?: AssociateModel<K>;
};

// Plain functions only: no class is created until defineTenantModels runs.
const specs: { [K in TenantModelName]: ModelSpec<K> } = {
  User: { define: defineUser, associate: associateUser },
  Group: { define: defineGroup, associate: associateGroup },
  Permission: { define: definePermission, associate: associatePermission },
  UserGroup: { define: defineUserGroup, associate: associateUserGroup },
  GroupPermission: { define: defineGroupPermission, associate: associateGroupPermission },
  Session: { define: defineSession, associate: associateSession },
  Location: { define: defineLocation },
  Customer: { define: defineCustomer, associate: associateCustomer },
  Product: { define: defineProduct, associate: associateProduct },
  StockLevel: { define: defineStockLevel, associate: associateStockLevel },
  StockMovement: { define: defineStockMovement, associate: associateStockMovement },
  StockBatch: { define: defineStockBatch, associate: associateStockBatch },
  Invoice: { define: defineInvoice, associate: associateInvoice },
  InvoiceLine: { define: defineInvoiceLine, associate: associateInvoiceLine },
  Payment: { define: definePayment, associate: associatePayment },
  Account: { define: defineAccount },
  JournalEntry: { define: defineJournalEntry, associate: associateJournalEntry },
  JournalLine: { define: defineJournalLine, associate: associateJournalLine },
  Expense: { define: defineExpense, associate: associateExpense },
  TaxRate: { define: defineTaxRate },
  CreditNote: { define: defineCreditNote, associate: associateCreditNote },
  CreditNoteLine: { define: defineCreditNoteLine },
  Quote: { define: defineQuote, associate: associateQuote },
  QuoteLine: { define: defineQuoteLine },
  TenantSettings: { define: defineTenantSettings },
  UserLocation: { define: defineUserLocation },
  Unit: { define: defineUnit },
  Category: { define: defineCategory },
  Supplier: { define: defineSupplier },
  PurchaseOrder: { define: definePurchaseOrder, associate: associatePurchaseOrder },
  PurchaseOrderLine: { define: definePurchaseOrderLine },
  SupplierBill: { define: defineSupplierBill, associate: associateSupplierBill },
  SupplierPayment: { define: defineSupplierPayment },
  SupplierBillTax: { define: defineSupplierBillTax },
};

/** Names of every tenant model (auth, sales, accounting). */
export const TENANT_MODEL_NAMES = Object.keys(specs) as TenantModelName[];

/**
 * The models every signed-in request reads first: its session (and, as the target of the session's
 * `user` association, the user). A new tenant handle can define them while its first connection is
 * being established (CPU work during the network wait).
 */
export const SESSION_MODEL_NAMES: readonly TenantModelName[] = ['Session'];

/**
 * Declares a fresh set of tenant model classes bound to `sequelize` (never shared between instances:
 * sequelize issue 14050 sends queries of a class initialised twice to the last instance).
 *
 * Lazy, because a cold tenant's first request pays for every model it defines: a model is `init`ed on
 * first access of `models.X`, and the associations whose source is X are wired at that moment,
 * `init`ing their target models as needed. A target gets its own source-side associations when it is
 * itself accessed through `models`. Each model is initialised once and its associations wired once.
 * `include` therefore works for every association whose source model was read from `models` — the
 * normal way to write a query (`models.Invoice.findAll({ include: [{ model: models.InvoiceLine, as: 'lines' }] })`).
 * `models.unassociated(name)` gives the same class without wiring its associations, for hot queries
 * that include nothing (association wiring is most of a model's definition cost).
 */
export function defineTenantModels(sequelize: Sequelize): TenantModels {
  installNumericParsers(sequelize);

  const initialised = new Map<TenantModelName, TenantModelClasses[TenantModelName]>();
  const target: ModelTarget = (name) => {
    let model = initialised.get(name);
    if (!model) {
      model = specs[name].define(sequelize);
      initialised.set(name, model);
    }
    return model as TenantModelClasses[typeof name];
  };

  const models = { sequelize } as TenantModels;
  Object.defineProperty(models, 'unassociated', { value: target, enumerable: false, writable: false });
  for (const name of TENANT_MODEL_NAMES) {
    Object.defineProperty(models, name, {
      enumerable: true,
      configurable: true,
      get() {
        const model = target(name);
        // Replace the getter first, so a re-entrant access can never wire the associations twice.
        Object.defineProperty(models, name, { value: model, enumerable: true, configurable: false, writable: false });
        (specs[name].associate as AssociateModel<typeof name> | undefined)?.(model as never, target);
        return model;
      },
    });
  }
  return models;
}

/** Defines every model and wires every association (schema checks, sync in tests). */
export function defineAllTenantModels(models: TenantModels): TenantModelClasses[TenantModelName][] {
  return TENANT_MODEL_NAMES.map((name) => models[name]);
}
