// The tenant API's shapes as the workspace reads them (see /api/openapi.json). They move to
// @salesfleet/contracts (z.infer of the API's own schemas) once that package is on main.

export interface TenantUser {
  id: number;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  isActive: boolean;
  isSuperuser: boolean;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
}

export interface Me {
  user: TenantUser;
  permissions: string[];
  groups: string[];
  /** The locations the user may sell at; null: every location. */
  locationIds: number[] | null;
}

export interface Workspace {
  name: string;
  slug: string;
  currency: string;
  locale: string;
  timeZone: string;
  multiLocation: boolean;
  maxUsers: number;
  activeUsers: number;
  /** Today in the workspace's time zone (YYYY-MM-DD). */
  today: string;
  /** Every tax rate (id → basis points), so the till can show tax before the server computes it. */
  taxRates: { id: number; rateBp: number; isInclusive?: boolean }[];
}

export interface Page {
  total: number;
  limit: number;
  offset: number;
}

export interface Location {
  id: number;
  code: string;
  name: string;
  address: string | null;
  isActive: boolean;
}

export interface Customer {
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
  taxNumber: string | null;
  address: string | null;
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Product {
  id: number;
  sku: string;
  name: string;
  description: string | null;
  unitPrice: number;
  costPrice: number | null;
  taxRateId: number | null;
  allowNegativeStock: boolean;
  isActive: boolean;
  stock: { locationId: number; quantity: number }[];
}

export interface TaxRate {
  id: number;
  code: string;
  name: string;
  rateBp: number;
  isActive: boolean;
}

export interface StockLevel {
  productId: number;
  sku: string;
  name: string;
  locationId: number;
  quantity: number;
  updatedAt: string;
}

export interface StockMovement {
  id: number;
  productId: number;
  locationId: number;
  quantity: number;
  reason: string;
  reference: string | null;
  createdBy: number | null;
  createdAt: string;
}

export type PaymentMethod = 'cash' | 'card' | 'transfer' | 'other';
export type InvoiceStatus = 'draft' | 'issued' | 'paid' | 'void';

export interface Payment {
  id: number;
  invoiceId: number;
  amount: number;
  method: PaymentMethod;
  reference: string | null;
  receivedAt: string;
}

export interface InvoiceLine {
  id: number;
  productId: number | null;
  description: string;
  quantity: number;
  unitPrice: number;
  taxRateBp: number;
  lineSubtotal: number;
  lineTax: number;
  lineTotal: number;
}

export interface InvoiceSummary {
  id: number;
  number: string;
  status: InvoiceStatus;
  locationId: number;
  customerId: number | null;
  issueDate: string;
  subtotal: number;
  tax: number;
  total: number;
  amountPaid: number;
  /** Settled by credit notes. */
  amountCredited?: number;
  amountDue: number;
  notes: string | null;
  createdAt: string;
}

export interface Invoice extends InvoiceSummary {
  lines: InvoiceLine[];
  payments: Payment[];
}

export interface Account {
  id: number;
  code: string;
  name: string;
  type: 'asset' | 'liability' | 'equity' | 'income' | 'expense';
  isActive: boolean;
}

export interface JournalEntry {
  id: number;
  entryDate: string;
  memo: string | null;
  sourceType: string | null;
  sourceId: number | null;
  total: number;
  lines: { id: number; accountId: number; accountCode: string; accountName: string; debit: number; credit: number }[];
}

export interface Expense {
  id: number;
  expenseDate: string;
  accountId: number;
  amount: number;
  vendor: string | null;
  description: string | null;
  locationId: number | null;
  paidFromAccountId: number;
}

export interface Group {
  id: number;
  name: string;
  permissions: string[];
  userCount?: number;
}

export interface UserWithGroups extends TenantUser {
  groups: string[];
}

export interface Dashboard {
  today: string;
  from: string;
  locationId: number | null;
  sales: { today: number; month: number; todayCount: number; monthCount: number };
  receivables: { open: number; count: number };
  lowStock: { productId: number; sku: string; name: string; locationId: number; quantity: number }[];
  days: { date: string; total: number; count: number }[];
}

/** A supplier has a customer's contact fields. */
export type Supplier = Customer;

export type PurchaseOrderStatus = 'ordered' | 'partial' | 'received' | 'cancelled';

export interface PurchaseOrderSummary {
  id: number;
  number: string;
  status: PurchaseOrderStatus;
  supplierId: number;
  locationId: number;
  orderDate: string;
  expectedDate: string | null;
  total: number;
  notes: string | null;
}

export interface PurchaseOrder extends PurchaseOrderSummary {
  lines: { id: number; productId: number; quantity: number; quantityReceived: number; unitCost: number; lineTotal: number }[];
}

export type SupplierBillStatus = 'open' | 'paid';

export interface SupplierBillSummary {
  id: number;
  number: string;
  supplierReference: string | null;
  supplierId: number;
  purchaseOrderId: number | null;
  accountId: number | null;
  status: SupplierBillStatus;
  billDate: string;
  dueDate: string | null;
  total: number;
  amountPaid: number;
  amountDue: number;
  description: string | null;
}

export interface SupplierPayment {
  id: number;
  supplierBillId: number;
  amount: number;
  paidFromAccountId: number;
  paymentDate: string;
  reference: string | null;
}

export interface SupplierBill extends SupplierBillSummary {
  payments: SupplierPayment[];
}

export interface CreditNote {
  id: number;
  number: string;
  invoiceId: number;
  issueDate: string;
  subtotal: number;
  tax: number;
  total: number;
  applied: number;
  refunded: number;
  refundMethod: PaymentMethod | null;
  reason: string | null;
}

export interface GeneralLedger {
  account: { id: number; code: string; name: string; type: string };
  from: string | null;
  to: string | null;
  openingBalance: number;
  closingBalance: number;
  lines: {
    entryId: number;
    lineId: number;
    date: string;
    memo: string | null;
    sourceType: string | null;
    sourceId: number | null;
    debit: number;
    credit: number;
    balance: number;
  }[];
  total: number;
  limit: number;
  offset: number;
}
