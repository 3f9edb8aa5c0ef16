import { addDays } from '@salesfleet/ui';

export type ReportKind = 'sales-by-day' | 'sales-by-location' | 'profit-and-loss' | 'trial-balance';

export const REPORTS: { kind: ReportKind; title: string }[] = [
  { kind: 'sales-by-day', title: 'Sales by day' },
  { kind: 'sales-by-location', title: 'Sales by location' },
  { kind: 'profit-and-loss', title: 'Profit and loss' },
  { kind: 'trial-balance', title: 'Trial balance' },
];

export interface SalesFigures {
  invoices: number;
  subtotal: number;
  tax: number;
  total: number;
}
export interface SalesByDay {
  days: ({ date: string } & SalesFigures)[];
}
export interface SalesByLocation {
  locations: ({ locationId: number; code: string; name: string } & SalesFigures)[];
}
export interface ProfitAndLoss {
  income: { code: string; name: string; amount: number }[];
  expenses: { code: string; name: string; amount: number }[];
  totals: { income: number; expenses: number; netProfit: number };
}
export interface TrialBalance {
  accounts: { code: string; name: string; type: string; debit: number; credit: number; balance: number }[];
  totals: { debit: number; credit: number };
  balanced: boolean;
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

/** Minor units as a plain decimal for a CSV cell (no currency sign, no grouping: spreadsheets read it as a number). */
export function csvAmount(minor: number, digits: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (digits === 0) return `${sign}${abs}`;
  const scale = 10 ** digits;
  return `${sign}${Math.floor(abs / scale)}.${String(abs % scale).padStart(digits, '0')}`;
}

/** The header and rows of a report as CSV cells. */
export function reportCsv(kind: ReportKind, data: unknown, digits: number): { header: string[]; rows: (string | number)[][] } {
  const a = (m: number) => csvAmount(m, digits);
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
