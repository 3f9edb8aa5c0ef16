import type { AccountType } from './account';

/** Codes of the accounts every tenant starts with; domain operations post to them by code. */
export const ACCOUNT_CODES = {
  cash: '1000',
  bank: '1010',
  accountsReceivable: '1100',
  inventory: '1200',
  inputTax: '1300',
  accountsPayable: '2000',
  taxPayable: '2100',
  ownersEquity: '3000',
  retainedEarnings: '3100',
  salesRevenue: '4000',
  costOfGoodsSold: '5000',
  inventoryAdjustments: '5100',
  operatingExpenses: '6000',
} as const;

export type AccountCodeKey = keyof typeof ACCOUNT_CODES;

export interface AccountDefinition {
  code: string;
  name: string;
  type: AccountType;
}

export const DEFAULT_CHART_OF_ACCOUNTS: readonly AccountDefinition[] = Object.freeze([
  { code: ACCOUNT_CODES.cash, name: 'Cash', type: 'asset' },
  { code: ACCOUNT_CODES.bank, name: 'Bank', type: 'asset' },
  { code: ACCOUNT_CODES.accountsReceivable, name: 'Accounts receivable', type: 'asset' },
  { code: ACCOUNT_CODES.inventory, name: 'Inventory', type: 'asset' },
  { code: ACCOUNT_CODES.inputTax, name: 'Input tax recoverable', type: 'asset' },
  { code: ACCOUNT_CODES.accountsPayable, name: 'Accounts payable', type: 'liability' },
  { code: ACCOUNT_CODES.taxPayable, name: 'Tax payable', type: 'liability' },
  { code: ACCOUNT_CODES.ownersEquity, name: "Owner's equity", type: 'equity' },
  { code: ACCOUNT_CODES.retainedEarnings, name: 'Retained earnings', type: 'equity' },
  { code: ACCOUNT_CODES.salesRevenue, name: 'Sales revenue', type: 'income' },
  { code: ACCOUNT_CODES.costOfGoodsSold, name: 'Cost of goods sold', type: 'expense' },
  { code: ACCOUNT_CODES.inventoryAdjustments, name: 'Inventory adjustments', type: 'expense' },
  { code: ACCOUNT_CODES.operatingExpenses, name: 'Operating expenses', type: 'expense' },
]);

/** The tax rate a new tenant starts with (products point at it unless told otherwise). */
export const DEFAULT_TAX_RATE = { code: 'STANDARD', name: 'Standard rate', rateBp: 2000 } as const;

export const DEFAULT_LOCATION = { code: 'MAIN', name: 'Main store' } as const;
