import { QueryTypes } from 'sequelize';
import type { TenantModels } from '../model-types';
import type { AccountType } from './account';
import { checkDate, dateOnly, toCents } from './values';

/**
 * Reports over a date range (both ends inclusive, `YYYY-MM-DD`, either may be omitted). Plain SQL
 * aggregates that read the same on SQLite, PostgreSQL and MySQL; sums come back as exact integers.
 */

export interface ReportRange {
  from?: string;
  to?: string;
}

function rangeSql(column: string, range: ReportRange, replacements: Record<string, unknown>): string {
  let sql = '';
  if (range.from) {
    replacements.from = checkDate(range.from, 'from');
    sql += ` AND ${column} >= :from`;
  }
  if (range.to) {
    replacements.to = checkDate(range.to, 'to');
    sql += ` AND ${column} <= :to`;
  }
  return sql;
}

function sum(values: readonly number[]): number {
  return Number(values.reduce((acc, v) => acc + BigInt(v), 0n));
}

interface AccountTotalsRow {
  account_id: number;
  code: string;
  name: string;
  type: AccountType;
  debit: unknown;
  credit: unknown;
}

async function accountTotals(models: TenantModels, range: ReportRange, types?: readonly AccountType[]): Promise<AccountTotalsRow[]> {
  const replacements: Record<string, unknown> = {};
  let where = rangeSql('e.entry_date', range, replacements);
  if (types) {
    replacements.types = types;
    where += ' AND a.type IN (:types)';
  }
  return models.sequelize.query<AccountTotalsRow>(
    `SELECT a.id AS account_id, a.code AS code, a.name AS name, a.type AS type,
            SUM(l.debit) AS debit, SUM(l.credit) AS credit
       FROM journal_lines l
       JOIN journal_entries e ON e.id = l.journal_entry_id
       JOIN accounts a ON a.id = l.account_id
      WHERE 1 = 1${where}
      GROUP BY a.id, a.code, a.name, a.type
      ORDER BY a.code`,
    { type: QueryTypes.SELECT, replacements },
  );
}

export interface TrialBalanceRow {
  accountId: number;
  code: string;
  name: string;
  type: AccountType;
  debit: number;
  credit: number;
  /** debit − credit: positive for a debit balance. */
  balance: number;
}

export interface TrialBalance {
  from: string | null;
  to: string | null;
  accounts: TrialBalanceRow[];
  totals: { debit: number; credit: number };
  /** Always true: every posting balances (kept in the answer so a reader need not add it up). */
  balanced: boolean;
}

/** Debits and credits per account over the journal entries dated in the range. */
export async function trialBalance(models: TenantModels, range: ReportRange = {}): Promise<TrialBalance> {
  const rows = await accountTotals(models, range);
  const accounts = rows.map((r) => {
    const debit = toCents(r.debit);
    const credit = toCents(r.credit);
    return { accountId: Number(r.account_id), code: r.code, name: r.name, type: r.type, debit, credit, balance: debit - credit };
  });
  const totals = { debit: sum(accounts.map((a) => a.debit)), credit: sum(accounts.map((a) => a.credit)) };
  return { from: range.from ?? null, to: range.to ?? null, accounts, totals, balanced: totals.debit === totals.credit };
}

export interface ProfitAndLossRow {
  accountId: number;
  code: string;
  name: string;
  /** Income: credits − debits; expenses: debits − credits. */
  amount: number;
}

export interface ProfitAndLoss {
  from: string | null;
  to: string | null;
  income: ProfitAndLossRow[];
  expenses: ProfitAndLossRow[];
  totals: { income: number; expenses: number; netProfit: number };
}

/** Income minus expenses, by account, over the journal entries dated in the range. */
export async function profitAndLoss(models: TenantModels, range: ReportRange = {}): Promise<ProfitAndLoss> {
  const rows = await accountTotals(models, range, ['income', 'expense']);
  const income: ProfitAndLossRow[] = [];
  const expenses: ProfitAndLossRow[] = [];
  for (const r of rows) {
    const debit = toCents(r.debit);
    const credit = toCents(r.credit);
    const base = { accountId: Number(r.account_id), code: r.code, name: r.name };
    if (r.type === 'income') income.push({ ...base, amount: credit - debit });
    else expenses.push({ ...base, amount: debit - credit });
  }
  const totalIncome = sum(income.map((r) => r.amount));
  const totalExpenses = sum(expenses.map((r) => r.amount));
  return {
    from: range.from ?? null,
    to: range.to ?? null,
    income,
    expenses,
    totals: { income: totalIncome, expenses: totalExpenses, netProfit: totalIncome - totalExpenses },
  };
}

export interface SalesFigures {
  invoices: number;
  subtotal: number;
  tax: number;
  total: number;
}

export interface SalesByDayRow extends SalesFigures {
  date: string;
}

export interface SalesByLocationRow extends SalesFigures {
  locationId: number;
  code: string;
  name: string;
}

interface SalesRow {
  invoices: unknown;
  subtotal: unknown;
  tax: unknown;
  total: unknown;
}

function figures(r: SalesRow): SalesFigures {
  return { invoices: toCents(r.invoices), subtotal: toCents(r.subtotal), tax: toCents(r.tax), total: toCents(r.total) };
}

// Issued and paid invoices count as sales; drafts and voided invoices do not.
const SOLD = "i.status IN ('issued', 'paid')";

/** Sales (issued and paid invoices, not void) per issue date; optionally of one location. */
export async function salesByDay(models: TenantModels, range: ReportRange & { locationId?: number } = {}): Promise<SalesByDayRow[]> {
  const replacements: Record<string, unknown> = {};
  let where = rangeSql('i.issue_date', range, replacements);
  if (range.locationId !== undefined) {
    replacements.locationId = range.locationId;
    where += ' AND i.location_id = :locationId';
  }
  const rows = await models.sequelize.query<SalesRow & { sale_date: unknown }>(
    `SELECT i.issue_date AS sale_date, COUNT(*) AS invoices, SUM(i.subtotal) AS subtotal, SUM(i.tax) AS tax, SUM(i.total) AS total
       FROM invoices i
      WHERE ${SOLD}${where}
      GROUP BY i.issue_date
      ORDER BY i.issue_date`,
    { type: QueryTypes.SELECT, replacements },
  );
  return rows.map((r) => ({ date: dateOnly(r.sale_date), ...figures(r) }));
}

/** Sales (issued and paid invoices, not void) per location. */
export async function salesByLocation(models: TenantModels, range: ReportRange = {}): Promise<SalesByLocationRow[]> {
  const replacements: Record<string, unknown> = {};
  const where = rangeSql('i.issue_date', range, replacements);
  const rows = await models.sequelize.query<SalesRow & { location_id: unknown; code: string; name: string }>(
    `SELECT l.id AS location_id, l.code AS code, l.name AS name,
            COUNT(*) AS invoices, SUM(i.subtotal) AS subtotal, SUM(i.tax) AS tax, SUM(i.total) AS total
       FROM invoices i
       JOIN locations l ON l.id = i.location_id
      WHERE ${SOLD}${where}
      GROUP BY l.id, l.code, l.name
      ORDER BY l.code`,
    { type: QueryTypes.SELECT, replacements },
  );
  return rows.map((r) => ({ locationId: Number(r.location_id), code: r.code, name: r.name, ...figures(r) }));
}
