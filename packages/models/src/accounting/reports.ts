import { QueryTypes } from 'sequelize';
import { reportAmount, reportAmountBigInt, type ReportAmount } from '@salesfleet/contracts';
import type { TenantModels } from '../model-types';
import type { AccountType } from './account';
import { checkDate, dateOnly, sumAsText, toCents } from './values';

/**
 * Reports over a date range (both ends inclusive, `YYYY-MM-DD`, either may be omitted). Plain SQL
 * aggregates that read the same on SQLite, PostgreSQL and MySQL. Sums are summed as exact decimal
 * text (values.ts sumAsText) and answered as ReportAmount: a number while safe, else the exact
 * decimal string, so totals past 2^53 minor units are never rounded.
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

function sum(values: readonly bigint[]): bigint {
  return values.reduce((acc, v) => acc + v, 0n);
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
            ${sumAsText(models.sequelize, 'l.debit')} AS debit, ${sumAsText(models.sequelize, 'l.credit')} AS credit
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
  debit: ReportAmount;
  credit: ReportAmount;
  /** debit − credit: positive for a debit balance. */
  balance: ReportAmount;
}

export interface TrialBalance {
  from: string | null;
  to: string | null;
  accounts: TrialBalanceRow[];
  totals: { debit: ReportAmount; credit: ReportAmount };
  /** Always true: every posting balances (kept in the answer so a reader need not add it up). */
  balanced: boolean;
}

/** Debits and credits per account over the journal entries dated in the range. */
export async function trialBalance(models: TenantModels, range: ReportRange = {}): Promise<TrialBalance> {
  const rows = await accountTotals(models, range);
  const exact = rows.map((r) => ({
    r,
    debit: reportAmountBigInt(r.debit as string | null),
    credit: reportAmountBigInt(r.credit as string | null),
  }));
  const accounts = exact.map(({ r, debit, credit }) => ({
    accountId: Number(r.account_id),
    code: r.code,
    name: r.name,
    type: r.type,
    debit: reportAmount(debit),
    credit: reportAmount(credit),
    balance: reportAmount(debit - credit),
  }));
  const debit = sum(exact.map((a) => a.debit));
  const credit = sum(exact.map((a) => a.credit));
  const totals = { debit: reportAmount(debit), credit: reportAmount(credit) };
  return { from: range.from ?? null, to: range.to ?? null, accounts, totals, balanced: debit === credit };
}

export interface ProfitAndLossRow {
  accountId: number;
  code: string;
  name: string;
  /** Income: credits − debits; expenses: debits − credits. */
  amount: ReportAmount;
}

export interface ProfitAndLoss {
  from: string | null;
  to: string | null;
  income: ProfitAndLossRow[];
  expenses: ProfitAndLossRow[];
  totals: { income: ReportAmount; expenses: ReportAmount; netProfit: ReportAmount };
}

/** Income minus expenses, by account, over the journal entries dated in the range. */
export async function profitAndLoss(models: TenantModels, range: ReportRange = {}): Promise<ProfitAndLoss> {
  const rows = await accountTotals(models, range, ['income', 'expense']);
  const income: ProfitAndLossRow[] = [];
  const expenses: ProfitAndLossRow[] = [];
  let totalIncome = 0n;
  let totalExpenses = 0n;
  for (const r of rows) {
    const debit = reportAmountBigInt(r.debit as string | null);
    const credit = reportAmountBigInt(r.credit as string | null);
    const base = { accountId: Number(r.account_id), code: r.code, name: r.name };
    if (r.type === 'income') {
      income.push({ ...base, amount: reportAmount(credit - debit) });
      totalIncome += credit - debit;
    } else {
      expenses.push({ ...base, amount: reportAmount(debit - credit) });
      totalExpenses += debit - credit;
    }
  }
  return {
    from: range.from ?? null,
    to: range.to ?? null,
    income,
    expenses,
    totals: {
      income: reportAmount(totalIncome),
      expenses: reportAmount(totalExpenses),
      netProfit: reportAmount(totalIncome - totalExpenses),
    },
  };
}

export interface SalesFigures {
  invoices: number;
  subtotal: ReportAmount;
  tax: ReportAmount;
  total: ReportAmount;
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
  const exact = (v: unknown) => reportAmount(reportAmountBigInt(v as string | null));
  return { invoices: toCents(r.invoices), subtotal: exact(r.subtotal), tax: exact(r.tax), total: exact(r.total) };
}

function salesSums(models: TenantModels): string {
  const sum = (column: string) => `${sumAsText(models.sequelize, `i.${column}`)} AS ${column}`;
  return `${sum('subtotal')}, ${sum('tax')}, ${sum('total')}`;
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
    `SELECT i.issue_date AS sale_date, COUNT(*) AS invoices, ${salesSums(models)}
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
            COUNT(*) AS invoices, ${salesSums(models)}
       FROM invoices i
       JOIN locations l ON l.id = i.location_id
      WHERE ${SOLD}${where}
      GROUP BY l.id, l.code, l.name
      ORDER BY l.code`,
    { type: QueryTypes.SELECT, replacements },
  );
  return rows.map((r) => ({ locationId: Number(r.location_id), code: r.code, name: r.name, ...figures(r) }));
}
