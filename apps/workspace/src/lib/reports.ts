import type { PayablesAgeingJson, ReportAmount } from '@salesfleet/contracts';
import { addDays, decimalAmount } from '@salesfleet/ui';

// Report money is a ReportAmount (contracts): a number, or past 2^53 minor units the exact decimal
// string. It is only formatted here (formatMoney / decimalAmount take both forms exactly), never added up.

export type ReportKind =
  | 'sales-by-day'
  | 'sales-by-location'
  | 'profit-and-loss'
  | 'trial-balance'
  | 'balance-sheet'
  | 'receivables-ageing'
  | 'payables-ageing'
  | 'tax';

/** Every report of the API; `asOf` ones are a position on the range's last day, the others cover the range. */
export const REPORTS: { kind: ReportKind; title: string; asOf?: true }[] = [
  { kind: 'sales-by-day', title: 'Sales by day' },
  { kind: 'sales-by-location', title: 'Sales by location' },
  { kind: 'profit-and-loss', title: 'Profit and loss' },
  { kind: 'trial-balance', title: 'Trial balance' },
  { kind: 'balance-sheet', title: 'Balance sheet', asOf: true },
  { kind: 'receivables-ageing', title: 'Receivables ageing', asOf: true },
  { kind: 'payables-ageing', title: 'Payables ageing', asOf: true },
  { kind: 'tax', title: 'Tax' },
];

/** The query of a report for a range. */
export function reportQuery(kind: ReportKind, from: string, to: string): Record<string, string> {
  return REPORTS.find((r) => r.kind === kind)?.asOf ? { asOf: to } : { from, to };
}

export interface SalesFigures {
  invoices: number;
  subtotal: ReportAmount;
  tax: ReportAmount;
  total: ReportAmount;
}
export interface SalesByDay {
  days: ({ date: string } & SalesFigures)[];
}
export interface SalesByLocation {
  locations: ({ locationId: number; code: string; name: string } & SalesFigures)[];
}
export interface ProfitAndLoss {
  income: { code: string; name: string; amount: ReportAmount }[];
  expenses: { code: string; name: string; amount: ReportAmount }[];
  totals: { income: ReportAmount; expenses: ReportAmount; netProfit: ReportAmount };
}
export interface TrialBalance {
  accounts: { code: string; name: string; type: string; debit: ReportAmount; credit: ReportAmount; balance: ReportAmount }[];
  totals: { debit: ReportAmount; credit: ReportAmount };
  balanced: boolean;
}

export interface BalanceSheet {
  asOf: string;
  assets: { code: string; name: string; balance: ReportAmount }[];
  liabilities: { code: string; name: string; balance: ReportAmount }[];
  equity: { code: string; name: string; balance: ReportAmount }[];
  retainedEarnings: ReportAmount;
  currentYearEarnings: ReportAmount;
  totals: { assets: ReportAmount; liabilities: ReportAmount; equity: ReportAmount; liabilitiesAndEquity: ReportAmount };
  balanced: boolean;
}
export type Ageing = {
  '0-30': ReportAmount;
  '31-60': ReportAmount;
  '61-90': ReportAmount;
  '90+'?: ReportAmount;
  total?: ReportAmount;
} & Record<string, ReportAmount>;
export interface ReceivablesAgeing {
  asOf: string;
  customers: ({ customerId: number | null; name: string; invoices: number } & Ageing)[];
  totals: Ageing;
}
export type PayablesAgeing = PayablesAgeingJson;

/** The rows of an ageing report, receivables (customers, invoices) or payables (suppliers, bills), alike. */
export function ageingRows(
  kind: 'receivables-ageing' | 'payables-ageing',
  data: unknown,
): { key: string; name: string; count: number; amounts: Record<string, ReportAmount> }[] {
  const amounts = (x: Partial<Record<(typeof AGEING_BUCKETS)[number], ReportAmount>>) =>
    Object.fromEntries(AGEING_BUCKETS.map((b) => [b, x[b] ?? 0]));
  if (kind === 'payables-ageing')
    return (data as PayablesAgeing).suppliers.map((x) => ({ key: `${x.supplierId}`, name: x.name, count: x.bills, amounts: amounts(x) }));
  return (data as ReceivablesAgeing).customers.map((x) => ({
    key: `${x.customerId}-${x.name}`,
    name: x.name,
    count: x.invoices,
    amounts: amounts(x),
  }));
}
const AGEING_BUCKETS = ['0-30', '31-60', '61-90', '90+', 'total'] as const;

export interface TaxReport {
  rates: { rateBp: number; taxable: ReportAmount; tax: ReportAmount }[];
  totals: { taxable: ReportAmount; tax: ReportAmount };
}

/** Named ranges a manager picks most, relative to the workspace's today. */
export function presetRange(preset: 'today' | 'month' | 'last-month' | 'year' | '30-days', today: string): { from: string; to: string } {
  const monthStart = `${today.slice(0, 8)}01`;
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'month':
      return { from: monthStart, to: today };
    case 'last-month': {
      const lastDay = addDays(monthStart, -1);
      return { from: `${lastDay.slice(0, 8)}01`, to: lastDay };
    }
    case 'year':
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
    case '30-days':
      return { from: addDays(today, -29), to: today };
  }
}

/** The header and rows of a report as CSV cells. */
export function reportCsv(kind: ReportKind, data: unknown, digits: number): { header: string[]; rows: (string | number)[][] } {
  // Plain decimals (no currency sign, no grouping): spreadsheets read them as numbers.
  const a = (m: ReportAmount) => decimalAmount(m, digits);
  switch (kind) {
    case 'sales-by-day': {
      const r = data as SalesByDay;
      return {
        header: ['date', 'invoices', 'subtotal', 'tax', 'total'],
        rows: r.days.map((d) => [d.date, d.invoices, a(d.subtotal), a(d.tax), a(d.total)]),
      };
    }
    case 'sales-by-location': {
      const r = data as SalesByLocation;
      return {
        header: ['code', 'location', 'invoices', 'subtotal', 'tax', 'total'],
        rows: r.locations.map((l) => [l.code, l.name, l.invoices, a(l.subtotal), a(l.tax), a(l.total)]),
      };
    }
    case 'profit-and-loss': {
      const r = data as ProfitAndLoss;
      return {
        header: ['section', 'code', 'account', 'amount'],
        rows: [
          ...r.income.map((x) => ['income', x.code, x.name, a(x.amount)]),
          ...r.expenses.map((x) => ['expenses', x.code, x.name, a(x.amount)]),
          ['total', '', 'Income', a(r.totals.income)],
          ['total', '', 'Expenses', a(r.totals.expenses)],
          ['total', '', 'Net profit', a(r.totals.netProfit)],
        ],
      };
    }
    case 'balance-sheet': {
      const r = data as BalanceSheet;
      const rows = (section: string, xs: BalanceSheet['assets']) => xs.map((x) => [section, x.code, x.name, a(x.balance)]);
      return {
        header: ['section', 'code', 'account', 'balance'],
        rows: [
          ...rows('assets', r.assets),
          ...rows('liabilities', r.liabilities),
          ...rows('equity', r.equity),
          ['equity', '', 'Retained earnings', a(r.retainedEarnings)],
          ['equity', '', 'Current year earnings', a(r.currentYearEarnings)],
          ['total', '', 'Assets', a(r.totals.assets)],
          ['total', '', 'Liabilities and equity', a(r.totals.liabilitiesAndEquity)],
        ],
      };
    }
    case 'receivables-ageing':
    case 'payables-ageing': {
      const totals = (data as ReceivablesAgeing).totals;
      const buckets = Object.keys(totals);
      return {
        header: kind === 'payables-ageing' ? ['supplier', 'bills', ...buckets] : ['customer', 'invoices', ...buckets],
        rows: [
          ...ageingRows(kind, data).map((c) => [c.name, c.count, ...buckets.map((b) => a(c.amounts[b] ?? 0))]),
          ['Total', '', ...buckets.map((b) => a(totals[b] ?? 0))],
        ],
      };
    }
    case 'tax': {
      const r = data as TaxReport;
      return {
        header: ['rate_percent', 'taxable', 'tax'],
        rows: [...r.rates.map((x) => [x.rateBp / 100, a(x.taxable), a(x.tax)]), ['total', a(r.totals.taxable), a(r.totals.tax)]],
      };
    }
    case 'trial-balance': {
      const r = data as TrialBalance;
      return {
        header: ['code', 'account', 'type', 'debit', 'credit'],
        rows: [
          ...r.accounts.map((x) => [x.code, x.name, x.type, a(x.debit), a(x.credit)]),
          ['', 'Total', '', a(r.totals.debit), a(r.totals.credit)],
        ],
      };
    }
  }
}
