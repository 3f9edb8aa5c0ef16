/** The workspace's screens, each with the permission the API asks for its main list (the API stays the authority). */
export interface NavItem {
  path: string;
  label: string;
  /** Any one of these permissions shows the screen. */
  anyOf: readonly string[];
}

export const NAV: readonly NavItem[] = [
  { path: '/dashboard', label: 'Dashboard', anyOf: ['accounting.view_reports'] },
  { path: '/sell', label: 'Sell', anyOf: ['sales.add_invoice'] },
  { path: '/invoices', label: 'Invoices', anyOf: ['sales.view_invoice'] },
  { path: '/quotes', label: 'Quotes', anyOf: ['sales.view_quote'] },
  { path: '/customers', label: 'Customers', anyOf: ['sales.view_customer'] },
  { path: '/products', label: 'Products & stock', anyOf: ['sales.view_product'] },
  {
    path: '/purchasing',
    label: 'Purchasing',
    anyOf: ['purchasing.view_purchase_order', 'purchasing.view_supplier_bill', 'purchasing.view_supplier'],
  },
  { path: '/expenses', label: 'Expenses', anyOf: ['accounting.view_expense'] },
  { path: '/accounts', label: 'Accounts', anyOf: ['accounting.view_account', 'accounting.view_journal_entry'] },
  { path: '/reports', label: 'Reports', anyOf: ['accounting.view_reports'] },
  { path: '/users', label: 'Users', anyOf: ['auth.view_user'] },
  { path: '/settings', label: 'Settings', anyOf: ['settings.change_settings', 'sales.change_location', 'accounting.view_tax_rate'] },
];

export function allowed(item: Pick<NavItem, 'anyOf'>, permissions: ReadonlySet<string>): boolean {
  return item.anyOf.some((p) => permissions.has(p));
}

/** Where a user lands after sign-in: the first screen they may use (a cashier: the till). */
export function homePath(permissions: ReadonlySet<string>): string {
  return NAV.find((item) => allowed(item, permissions))?.path ?? '/account';
}
