/**
 * @salesfleet/models — tenant model definitions, seeding and password hashing. Errors and input rules
 * come from @salesfleet/contracts.
 *
 * Using it for a tenant database:
 *   const sequelize = new Sequelize(url, tenantSequelizeOptions('postgres', { logging: false, pool }));
 *   const models = defineTenantModels(sequelize);   // lazy: nothing is defined yet
 *   await models.Invoice.findAll({ include: [{ model: models.InvoiceLine, as: 'lines' }] });
 *
 * - Create tenant instances with `tenantSequelizeOptions(dialect, options)`: amounts are integer cents
 *   in BIGINT columns, and it makes PostgreSQL (per connection, no global pg.types change) and MySQL
 *   return them — and SUM()/COUNT() — as JS numbers.
 * - Read models from `models.X`. A model is defined on first access, with the associations whose
 *   source it is; `sequelize.models` lists only what was accessed. An include written as a string
 *   (`include: ['lines']`) nested under a model never read from `models` cannot see that model's own
 *   associations: read it from `models` first. `defineAllTenantModels(models)` defines everything.
 * - Enumerations (statuses, payment methods, account types…) are short strings validated by the
 *   models, not database ENUM types, so one schema serves SQLite, PostgreSQL and MySQL.
 */

export { defineAllTenantModels, defineTenantModels, SESSION_MODEL_NAMES, TENANT_MODEL_NAMES } from './define-tenant-models';
export type {
  Account,
  AccountModel,
  Customer,
  CreditNote,
  CreditNoteLine,
  CreditNoteLineModel,
  CreditNoteModel,
  Quote,
  QuoteLine,
  QuoteLineModel,
  QuoteModel,
  CustomerModel,
  Expense,
  ExpenseModel,
  Group,
  GroupModel,
  GroupPermission,
  GroupPermissionModel,
  Invoice,
  InvoiceLine,
  InvoiceLineModel,
  InvoiceModel,
  JournalEntry,
  JournalEntryModel,
  JournalLine,
  JournalLineModel,
  Location,
  LocationModel,
  Payment,
  PaymentModel,
  Permission,
  PermissionModel,
  Product,
  ProductModel,
  Session,
  SessionModel,
  StockLevel,
  StockLevelModel,
  StockMovement,
  StockMovementModel,
  StockBatch,
  StockBatchModel,
  TaxRate,
  TaxRateModel,
  TenantSettings,
  TenantSettingsModel,
  Unit,
  UnitModel,
  Category,
  CategoryModel,
  PurchaseOrder,
  PurchaseOrderLine,
  Supplier,
  SupplierBill,
  SupplierPayment,
  TenantModelClasses,
  TenantModelName,
  TenantModels,
  User,
  UserGroup,
  UserGroupModel,
  UserModel,
} from './model-types';

export {
  installNumericParsers,
  tenantSequelizeOptions,
  usePgNumberParsers,
  type TenantDialect,
} from './sequelize-options';

export { instantAttribute, storedInstant, timestampAttribute } from './timestamp-attribute';

export { seedTenant, type SeedAdmin, type SeedTenantInput, type SeedTenantResult } from './seed-tenant';

export {
  generatePassword,
  hashPassword,
  ONE_TIME_ARGON2_PARAMS,
  oneTimePassword,
  passwordNeedsRehash,
  ARGON2_PARAMS,
  unmatchablePasswordHash,
  verifyPassword,
  DJANGO_PBKDF2_PREFIX,
  isDjangoPasswordHash,
} from './auth/passwords';
export { PasswordCheckBusy, passwordPool, type PasswordPoolStats } from './auth/password-pool';
export { findSessionByTokenHash, type SessionWithUser } from './auth/session-lookup';
export {
  DEFAULT_GROUPS,
  PERMISSIONS,
  permissionApp,
  type DefaultGroupName,
  type GroupDefinition,
  type PermissionCodename,
  type PermissionDefinition,
} from './auth/permissions';

export { INVOICE_STATUSES, type InvoiceStatus } from './sales/invoice';
export { PAYMENT_METHODS, type PaymentMethod } from './sales/payment';
export { STOCK_MOVEMENT_REASONS, type StockMovementReason } from './sales/stock-movement';
export {
  expiringStock,
  listStockBatches,
  type BatchFields,
  type ExpiringBatch,
  type ExpiringStock,
  type StockBatchFilter,
} from './sales/batches';
export { ACCOUNT_TYPES, type AccountType } from './accounting/account';
export { JOURNAL_SOURCE_TYPES, type JournalSourceType } from './accounting/journal-entry';
export {
  ACCOUNT_CODES,
  DEFAULT_CHART_OF_ACCOUNTS,
  DEFAULT_LOCATION,
  DEFAULT_TAX_RATE,
  type AccountCodeKey,
  type AccountDefinition,
} from './accounting/chart-of-accounts';

export {
  assertUserCapacity,
  countActiveUsers,
  createTenantUser,
  groupsOfUsers,
  listUsers,
  restoreDefaultGroups,
  setUserGroups,
  updateTenantUser,
  type NewTenantUser,
  type TenantUserPatch,
} from './auth/user-admin';

// ── domain operations (issue 4): sales, accounting, demo data ──
export { writeTransaction, RetryableConflict, type WriteOptions } from './accounting/transactions';
export {
  checkDate,
  dateOnly,
  DEFAULT_PAGE_SIZE,
  findPage,
  findRawPage,
  type RawRow,
  MAX_PAGE_SIZE,
  nextDay,
  sumAsText,
  today,
  type Page,
  type PageOptions,
} from './accounting/values';
export {
  assertBalanced,
  isSystemAccountCode,
  postJournalEntries,
  postJournalEntry,
  reversalLines,
  systemAccounts,
  UnbalancedEntry,
  type PostingInput,
  type PostingLine,
  type SystemAccounts,
} from './accounting/posting';
export {
  createAccount,
  deleteAccount,
  getAccount,
  listAccounts,
  updateAccount,
  type AccountFilter,
  type AccountInput,
  type AccountPatch,
} from './accounting/accounts';
export {
  createExpense,
  getExpense,
  listExpenses,
  updateExpense,
  type ExpenseFilter,
  type ExpenseInput,
  type ExpensePatch,
} from './accounting/expenses';
export {
  CONTROL_ACCOUNT_CODES,
  createManualEntry,
  MAX_MANUAL_LINES,
  reverseJournalEntry,
  type ManualEntryInput,
  type ReversalInput,
} from './accounting/manual-entries';
export {
  createTaxRate,
  deleteTaxRate,
  getTaxRate,
  listTaxRates,
  updateTaxRate,
  type TaxRateInput,
  type TaxRatePatch,
} from './accounting/tax-rates';
export {
  AGEING_BUCKETS,
  ageingBucket,
  balanceSheet,
  fiscalYearStart,
  generalLedger,
  payablesAgeing,
  receivablesAgeing,
  taxReport,
  type AgeingAmounts,
  type AgeingBucket,
  type BalanceSheet,
  type BalanceSheetRow,
  type GeneralLedger,
  type LedgerLine,
  type LedgerOptions,
  type PayablesAgeing,
  type ReceivablesAgeing,
  type TaxReport,
  type TaxReportRow,
} from './accounting/statements';
export { getJournalEntry, listJournalEntries, type JournalEntryView, type JournalFilter } from './accounting/journal';
export {
  profitAndLoss,
  salesByDay,
  salesByLocation,
  trialBalance,
  type ProfitAndLoss,
  type ProfitAndLossRow,
  type ReportRange,
  type SalesByDayRow,
  type SalesByLocationRow,
  type SalesFigures,
  type TrialBalance,
  type TrialBalanceRow,
} from './accounting/reports';
export {
  assertLocationAllowed,
  assertMayUseLocation,
  LocationNotAllowed,
  setUserLocations,
  userLocationIds,
} from './auth/user-locations';
export { dashboardSummary, type DashboardOptions, type DashboardSummary } from './sales/dashboard';
export { lineAmounts, sumCents, taxOn, type LineAmounts } from '@salesfleet/contracts';
export {
  createCustomer,
  createProduct,
  deleteCustomer,
  deleteProduct,
  getCustomer,
  getProduct,
  listCustomers,
  listProducts,
  updateCustomer,
  updateProduct,
  type CustomerInput,
  type CustomerPatch,
  type ListFilter,
  type ProductFilter,
  type ProductInput,
  type ProductPatch,
  type ProductRow,
} from './sales/catalog';
export {
  ADJUSTMENT_REASONS,
  adjustStock,
  listStockLevels,
  inventoryLines,
  listStockMovements,
  transferStock,
  type StockTransferInput,
  type StockTransferResult,
  putStock,
  stockByProduct,
  stockOnHand,
  takeStock,
  type AdjustmentReason,
  type StockAdjustmentInput,
  type StockAdjustmentResult,
  type StockLevelFilter,
  type StockMovementFilter,
} from './sales/stock';
export {
  createInvoice,
  writeInvoice,
  deleteDraftInvoice,
  formatDocumentNumber,
  getInvoice,
  issueInvoice,
  issueInvoicesInBulk,
  listInvoices,
  MAX_INVOICE_LINES,
  MAX_UNIT_PRICE,
  voidInvoice,
  type CreateInvoiceInput,
  type SaleInput,
  type InvoiceFilter,
  type InvoiceLineInput,
  type DocumentDiscountInput,
  type InvoiceWriteOptions,
  type IssueInvoiceInput,
  type PostingHooks,
  tillChange,
  type TillPayment,
  type TillPayments,
  type VoidInvoiceInput,
} from './sales/invoicing';
export {
  centsFor,
  divideRounded,
  fitsDecimals,
  formatQuantity,
  MAX_QUANTITY,
  parseQuantity,
  QUANTITY_SCALE,
  quantityNumber,
  units,
} from './sales/quantity';
export { InventoryValuation, type ValuationState, type ValueChange } from './sales/valuation';
export { DEFAULT_UNITS } from './sales/unit';
export {
  createCategory,
  createUnit,
  deleteCategory,
  listCategories,
  listUnits,
  updateCategory,
  type CategoryInput,
  type UnitInput,
} from './sales/classification';
export {
  exportCustomersCsv,
  exportProductsCsv,
  exportSuppliersCsv,
  importCustomersCsv,
  importProductsCsv,
  importSuppliersCsv,
  type ImportResult,
} from './csv/import-export';
export { CsvSyntaxError, formatCsv, parseCsv, type CsvRecord } from './csv/csv';
export {
  createSupplier,
  deleteSupplier,
  getSupplier,
  listSuppliers,
  updateSupplier,
  type SupplierInput,
  type SupplierPatch,
} from './purchasing/suppliers';
export {
  BILL_PREFIX,
  cancelPurchaseOrder,
  createPurchaseOrder,
  getPurchaseOrder,
  listPurchaseOrders,
  PURCHASE_ORDER_PREFIX,
  receivePurchaseOrder,
  type PurchaseOrderFilter,
  type PurchaseOrderInput,
  type PurchaseOrderLineInput,
  type ReceiveInput,
  type ReceiveResult,
} from './purchasing/purchases';
export {
  createSupplierBill,
  getSupplierBill,
  listSupplierBills,
  paySupplierBill,
  voidSupplierBill,
  type VoidSupplierBillInput,
  type SupplierBillFilter,
  type SupplierBillInput,
  type SupplierPaymentInput,
} from './purchasing/bills';
export { PURCHASE_ORDER_STATUSES, type PurchaseOrderStatus } from './purchasing/purchase-order';
export { SUPPLIER_BILL_STATUSES, type SupplierBillStatus } from './purchasing/supplier-bill';
export { MAX_AMOUNT } from './sales/fields';
export { listPayments, recordPayment, type PaymentFilter, type PaymentInput, type PaymentResult } from './sales/payments';
export {
  DEMO_CUSTOMERS,
  DEMO_MARKER,
  DEMO_BATCH_PRODUCT,
  DEMO_PRODUCTS,
  DEMO_QUOTE_NOTES,
  DEMO_SUPPLIERS,
  seedDemoData,
  type SeedDemoDataOptions,
  type SeedDemoDataResult,
} from './demo/seed-demo-data';

// ── tenant settings (issue 13) ──
export { dateInTimeZone, startOfDayInTimeZone } from './settings/time-zone';
export {
  assertPeriodOpen,
  closePeriod,
  getSettings,
  SETTINGS_ROW_ID,
  tenantToday,
  updateSettings,
  type ClosePeriodInput,
  type SettingsPatch,
  type TenantSettingsView,
} from './settings/settings';

// ── credit notes and refunds (issue 13) ──
export {
  createCreditNote,
  getCreditNote,
  listCreditNotes,
  type CreditNoteFilter,
  type CreditNoteInput,
  type CreditNoteLineInput,
} from './sales/credit-notes';
export { nextDocumentNumbers } from './sales/invoicing';

// ── discounts, tax-inclusive prices and quotes (issue 13) ──
export { allocateProportionally, priceLines, type DiscountInput, type PricedDocument, type PricedLine } from '@salesfleet/contracts';
export { QUOTE_STATUSES, type QuoteStatus } from './sales/quote';
export {
  convertQuote,
  createQuote,
  DEFAULT_QUOTE_VALIDITY_DAYS,
  expireQuote,
  getQuote,
  listQuotes,
  updateQuote,
  type ConvertQuoteInput,
  type QuoteFilter,
  type QuoteInput,
  type QuotePatch,
} from './sales/quotes';
