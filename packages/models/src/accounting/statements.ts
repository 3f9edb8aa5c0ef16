import { QueryTypes } from 'sequelize';
import type { TenantModels } from '../model-types';
import { getSettings } from '../settings/settings';
import { dateInTimeZone } from '../settings/time-zone';
import type { AccountType } from './account';
import { checkDate, dateOnly, pageWindow, sumAsText, toCents, type PageOptions } from './values';
import { NotFound, reportAmount, reportAmountBigInt, ValidationFailed, type ReportAmount } from '@salesfleet/contracts';

/**
 * Financial statements and ledgers: balance sheet, general ledger per account, receivables ageing and
 * tax per rate. Dates are tenant-local days (`YYYY-MM-DD`); "as of" defaults to today in the tenant's
 * time zone. Plain SQL that reads the same on SQLite, PostgreSQL and MySQL; sums are summed as exact
 * text and answered as ReportAmount (a number while safe, else the exact decimal string).
 */

/** An exact integer from a driver (a sum as text, a number) as a bigint. */
const big = (value: unknown): bigint => reportAmountBigInt(value as string | number | null | undefined);

async function asOfDate(models: TenantModels, asOf: string | undefined): Promise<{ asOf: string; fiscalYearStartMonth: number }> {
  const settings = await getSettings(models);
  return {
    asOf: asOf === undefined ? dateInTimeZone(settings.timeZone) : checkDate(asOf, 'asOf'),
    fiscalYearStartMonth: settings.fiscalYearStartMonth,
  };
}

/** First day of the fiscal year that contains `date`. */
export function fiscalYearStart(date: string, startMonth: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const year = m >= startMonth ? y : y - 1;
  return `${year}-${String(startMonth).padStart(2, '0')}-01`;
}

// ── balance sheet ─────────────────────────────────────────────────────────────────────────────────

export interface BalanceSheetRow {
  accountId: number;
  code: string;
  name: string;
  /** Assets: debit − credit; liabilities and equity: credit − debit. */
  balance: ReportAmount;
}

export interface BalanceSheet {
  asOf: string;
  fiscalYearStart: string;
  assets: BalanceSheetRow[];
  liabilities: BalanceSheetRow[];
  equity: BalanceSheetRow[];
  /** Income − expenses before the current fiscal year (not yet closed into an equity account). */
  retainedEarnings: ReportAmount;
  /** Income − expenses from the fiscal year's start through `asOf`. */
  currentYearEarnings: ReportAmount;
  totals: { assets: ReportAmount; liabilities: ReportAmount; equity: ReportAmount; liabilitiesAndEquity: ReportAmount };
  /** assets = liabilities + equity + earnings: always true when every entry balances. */
  balanced: boolean;
}

interface TypedTotals {
  account_id: unknown;
  code: string;
  name: string;
  type: AccountType;
  debit: unknown;
  credit: unknown;
  current_debit: unknown;
  current_credit: unknown;
}

/** Assets, liabilities and equity at the end of `asOf`, with the earnings not yet closed into equity. */
export async function balanceSheet(models: TenantModels, options: { asOf?: string } = {}): Promise<BalanceSheet> {
  const { asOf, fiscalYearStartMonth } = await asOfDate(models, options.asOf);
  const yearStart = fiscalYearStart(asOf, fiscalYearStartMonth);
  const sum = (expr: string) => sumAsText(models.sequelize, expr);
  const rows = await models.sequelize.query<TypedTotals>(
    `SELECT a.id AS account_id, a.code AS code, a.name AS name, a.type AS type,
            ${sum('l.debit')} AS debit, ${sum('l.credit')} AS credit,
            ${sum('CASE WHEN e.entry_date >= :yearStart THEN l.debit ELSE 0 END')} AS current_debit,
            ${sum('CASE WHEN e.entry_date >= :yearStart THEN l.credit ELSE 0 END')} AS current_credit
       FROM journal_lines l
       JOIN journal_entries e ON e.id = l.journal_entry_id
       JOIN accounts a ON a.id = l.account_id
      WHERE e.entry_date <= :asOf
      GROUP BY a.id, a.code, a.name, a.type
      ORDER BY a.code`,
    { type: QueryTypes.SELECT, replacements: { asOf, yearStart } },
  );
  const sheet: BalanceSheet = {
    asOf,
    fiscalYearStart: yearStart,
    assets: [],
    liabilities: [],
    equity: [],
    retainedEarnings: 0,
    currentYearEarnings: 0,
    totals: { assets: 0, liabilities: 0, equity: 0, liabilitiesAndEquity: 0 },
    balanced: true,
  };
  let retained = 0n;
  let current = 0n;
  let assets = 0n;
  let liabilities = 0n;
  let equity = 0n;
  for (const r of rows) {
    const debit = big(r.debit);
    const credit = big(r.credit);
    const base = { accountId: Number(r.account_id), code: r.code, name: r.name };
    if (r.type === 'asset') {
      sheet.assets.push({ ...base, balance: reportAmount(debit - credit) });
      assets += debit - credit;
    } else if (r.type === 'liability') {
      sheet.liabilities.push({ ...base, balance: reportAmount(credit - debit) });
      liabilities += credit - debit;
    } else if (r.type === 'equity') {
      sheet.equity.push({ ...base, balance: reportAmount(credit - debit) });
      equity += credit - debit;
    } else {
      // Income adds to earnings (credit − debit), expenses subtract: the same formula for both.
      const currentNet = big(r.current_credit) - big(r.current_debit);
      current += currentNet;
      retained += credit - debit - currentNet;
    }
  }
  equity += retained + current;
  sheet.retainedEarnings = reportAmount(retained);
  sheet.currentYearEarnings = reportAmount(current);
  sheet.totals = {
    assets: reportAmount(assets),
    liabilities: reportAmount(liabilities),
    equity: reportAmount(equity),
    liabilitiesAndEquity: reportAmount(liabilities + equity),
  };
  sheet.balanced = assets === liabilities + equity;
  return sheet;
}

// ── general ledger ────────────────────────────────────────────────────────────────────────────────

export interface LedgerLine {
  entryId: number;
  lineId: number;
  date: string;
  memo: string | null;
  sourceType: string | null;
  sourceId: number | null;
  debit: number;
  credit: number;
  /** Debit − credit from the account's first posting through this line. */
  balance: ReportAmount;
}

export interface GeneralLedger {
  account: { id: number; code: string; name: string; type: AccountType };
  from: string | null;
  to: string | null;
  /** Debit − credit of everything before `from`. */
  openingBalance: ReportAmount;
  /** Debit − credit through `to`. */
  closingBalance: ReportAmount;
  lines: LedgerLine[];
  total: number;
  limit: number;
  offset: number;
}

export interface LedgerOptions extends PageOptions {
  accountId: number;
  from?: string;
  to?: string;
}

/**
 * One account's postings in date order with a running balance (debit − credit, from the account's
 * first posting on), paged; the running balance of a page's first line already counts every line
 * before it (a window function, so a page never needs the lines before it).
 */
export async function generalLedger(models: TenantModels, options: LedgerOptions): Promise<GeneralLedger> {
  const { limit, offset } = pageWindow(options);
  if (options.from) checkDate(options.from, 'from');
  if (options.to) checkDate(options.to, 'to');
  if (options.from && options.to && options.from > options.to)
    throw new ValidationFailed('from must not be after to', [{ path: 'from', message: 'from must not be after to' }]);
  const account = await models.Account.findByPk(options.accountId);
  if (!account) throw new NotFound('Account', options.accountId);
  const replacements: Record<string, unknown> = {
    accountId: account.id,
    from: options.from ?? '1000-01-01', // year 0 is out of range on PostgreSQL; 1000-01-01 is MySQL's earliest DATE
    to: options.to ?? '9999-12-31',
    limit,
    offset,
  };
  const [opening] = await models.sequelize.query<{ balance: unknown; closing: unknown; line_count: unknown }>(
    `SELECT ${sumAsText(models.sequelize, 'CASE WHEN e.entry_date < :from THEN l.debit - l.credit ELSE 0 END')} AS balance,
            ${sumAsText(models.sequelize, 'CASE WHEN e.entry_date <= :to THEN l.debit - l.credit ELSE 0 END')} AS closing,
            SUM(CASE WHEN e.entry_date >= :from AND e.entry_date <= :to THEN 1 ELSE 0 END) AS line_count
       FROM journal_lines l JOIN journal_entries e ON e.id = l.journal_entry_id
      WHERE l.account_id = :accountId`,
    { type: QueryTypes.SELECT, replacements },
  );
  const rows = await models.sequelize.query<{
    entry_id: unknown;
    line_id: unknown;
    entry_date: unknown;
    memo: string | null;
    source_type: string | null;
    source_id: unknown;
    debit: unknown;
    credit: unknown;
    running: unknown;
  }>(
    `SELECT * FROM (
       SELECT e.id AS entry_id, l.id AS line_id, e.entry_date AS entry_date, e.memo AS memo, e.source_type AS source_type,
              e.source_id AS source_id, l.debit AS debit, l.credit AS credit,
              ${sumAsText(models.sequelize, 'l.debit - l.credit', 'ORDER BY e.entry_date, e.id, l.id ROWS UNBOUNDED PRECEDING')} AS running
         FROM journal_lines l JOIN journal_entries e ON e.id = l.journal_entry_id
        WHERE l.account_id = :accountId AND e.entry_date <= :to
     ) ledger
     WHERE entry_date >= :from
     ORDER BY entry_date, entry_id, line_id
     LIMIT :limit OFFSET :offset`,
    { type: QueryTypes.SELECT, replacements },
  );
  return {
    account: { id: account.id, code: account.code, name: account.name, type: account.type },
    from: options.from ?? null,
    to: options.to ?? null,
    openingBalance: reportAmount(big(opening?.balance)),
    closingBalance: reportAmount(big(opening?.closing)),
    lines: rows.map((r) => ({
      entryId: Number(r.entry_id),
      lineId: Number(r.line_id),
      date: dateOnly(r.entry_date),
      memo: r.memo ?? null,
      sourceType: r.source_type ?? null,
      sourceId: r.source_id === null || r.source_id === undefined ? null : Number(r.source_id),
      debit: toCents(r.debit),
      credit: toCents(r.credit),
      balance: reportAmount(big(r.running)),
    })),
    total: toCents(opening?.line_count),
    limit,
    offset,
  };
}

// ── receivables ageing ────────────────────────────────────────────────────────────────────────────

/** Age buckets, by days since the invoice date. */
export const AGEING_BUCKETS = ['0-30', '31-60', '61-90', '90+'] as const;
export type AgeingBucket = (typeof AGEING_BUCKETS)[number];

export function ageingBucket(days: number): AgeingBucket {
  if (days <= 30) return '0-30';
  if (days <= 60) return '31-60';
  if (days <= 90) return '61-90';
  return '90+';
}

export type AgeingAmounts = Record<AgeingBucket, ReportAmount> & { total: ReportAmount };
type ExactAgeing = Record<AgeingBucket | 'total', bigint>;

export interface ReceivablesAgeing {
  asOf: string;
  customers: ({ customerId: number | null; name: string; invoices: number } & AgeingAmounts)[];
  totals: AgeingAmounts;
}

function emptyAmounts(): ExactAgeing {
  return { '0-30': 0n, '31-60': 0n, '61-90': 0n, '90+': 0n, total: 0n };
}

function ageingAmounts(exact: ExactAgeing): AgeingAmounts {
  return {
    '0-30': reportAmount(exact['0-30']),
    '31-60': reportAmount(exact['31-60']),
    '61-90': reportAmount(exact['61-90']),
    '90+': reportAmount(exact['90+']),
    total: reportAmount(exact.total),
  };
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Sums amounts owed into rows per party and age bucket (days from the document date to `asOf`). */
function ageAmounts<Party extends object>(
  asOf: string,
  owed: readonly { key: string; date: string; owed: bigint }[],
  party: (key: string) => Party,
): { rows: (Party & AgeingAmounts & { documents: number })[]; totals: AgeingAmounts } {
  const byKey = new Map<string, { party: Party; documents: number; amounts: ExactAgeing }>();
  const totals = emptyAmounts();
  for (const r of owed) {
    let row = byKey.get(r.key);
    if (!row) {
      row = { party: party(r.key), documents: 0, amounts: emptyAmounts() };
      byKey.set(r.key, row);
    }
    const bucket = ageingBucket(daysBetween(r.date, asOf));
    row.documents += 1;
    row.amounts[bucket] += r.owed;
    row.amounts.total += r.owed;
    totals[bucket] += r.owed;
    totals.total += r.owed;
  }
  return {
    rows: [...byKey.values()].map((row) => ({ ...row.party, documents: row.documents, ...ageingAmounts(row.amounts) })),
    totals: ageingAmounts(totals),
  };
}

/**
 * What customers owe now (issued invoices: total − paid − credited), per customer and by age at
 * `asOf` (days since the invoice date). Walk-in invoices without a customer are one row.
 */
export async function receivablesAgeing(models: TenantModels, options: { asOf?: string } = {}): Promise<ReceivablesAgeing> {
  const { asOf } = await asOfDate(models, options.asOf);
  const rows = await models.sequelize.query<{ customer_id: unknown; name: string | null; issue_date: unknown; owed: unknown }>(
    `SELECT i.customer_id AS customer_id, c.name AS name, i.issue_date AS issue_date, i.total - i.amount_paid - i.amount_credited AS owed
       FROM invoices i LEFT JOIN customers c ON c.id = i.customer_id
      WHERE i.status = 'issued' AND i.issue_date <= :asOf AND i.total - i.amount_paid - i.amount_credited > 0
      ORDER BY c.name, i.issue_date`,
    { type: QueryTypes.SELECT, replacements: { asOf } },
  );
  const names = new Map<string, { customerId: number | null; name: string }>();
  const owed = rows.map((r) => {
    const customerId = r.customer_id === null || r.customer_id === undefined ? null : Number(r.customer_id);
    const key = String(customerId);
    names.set(key, { customerId, name: r.name ?? 'Walk-in customers' });
    return { key, date: dateOnly(r.issue_date), owed: big(r.owed) };
  });
  const aged = ageAmounts(asOf, owed, (key) => names.get(key)!);
  return { asOf, customers: aged.rows.map(({ documents, ...row }) => ({ ...row, invoices: documents })), totals: aged.totals };
}

export interface PayablesAgeing {
  asOf: string;
  suppliers: ({ supplierId: number; name: string; bills: number } & AgeingAmounts)[];
  totals: AgeingAmounts;
}

/**
 * What the shop owes its suppliers at the end of `asOf`: bills dated on or before it, less the
 * payments made on or before it (a bill paid later still counts as owed then), per supplier and by
 * age (days since the bill date). The total today equals the Accounts payable balance.
 */
export async function payablesAgeing(models: TenantModels, options: { asOf?: string } = {}): Promise<PayablesAgeing> {
  const { asOf } = await asOfDate(models, options.asOf);
  // One bill's payments never pass its total (≤ MAX_AMOUNT): a plain SUM is exact here; the ageing sums are BigInt.
  const rows = await models.sequelize.query<{ supplier_id: unknown; name: string; bill_date: unknown; owed: unknown }>(
    `SELECT b.supplier_id AS supplier_id, s.name AS name, b.bill_date AS bill_date,
            b.total - COALESCE((SELECT SUM(p.amount) FROM supplier_payments p
                                 WHERE p.supplier_bill_id = b.id AND p.payment_date <= :asOf), 0) AS owed
       FROM supplier_bills b JOIN suppliers s ON s.id = b.supplier_id
      WHERE b.status <> 'void' AND b.bill_date <= :asOf
      ORDER BY s.name, b.supplier_id, b.bill_date, b.id`,
    { type: QueryTypes.SELECT, replacements: { asOf } },
  );
  const names = new Map<string, { supplierId: number; name: string }>();
  const owed = rows
    .map((r) => {
      const key = String(r.supplier_id);
      names.set(key, { supplierId: Number(r.supplier_id), name: r.name });
      return { key, date: dateOnly(r.bill_date), owed: big(r.owed) };
    })
    .filter((r) => r.owed > 0n);
  const aged = ageAmounts(asOf, owed, (key) => names.get(key)!);
  return { asOf, suppliers: aged.rows.map(({ documents, ...row }) => ({ ...row, bills: documents })), totals: aged.totals };
}

// ── tax report ────────────────────────────────────────────────────────────────────────────────────

export interface TaxReportRow {
  rateBp: number;
  /** Net amount (sales after discounts, or purchases before tax) taxed at this rate. */
  taxable: ReportAmount;
  tax: ReportAmount;
}

export interface TaxReport {
  from: string | null;
  to: string | null;
  /** Output tax per rate (sales). */
  rates: TaxReportRow[];
  totals: { taxable: ReportAmount; tax: ReportAmount };
  /** Input tax per rate (supplier bills). */
  inputRates: TaxReportRow[];
  inputTotals: { taxable: ReportAmount; tax: ReportAmount };
  /** Output tax − input tax: owed to the tax authority (negative: to be reclaimed). */
  netPayable: ReportAmount;
}

/**
 * Output tax per rate: invoices issued in the range (void invoices excluded) less credit notes dated in
 * it. Input tax per rate: supplier bills dated in the range (void bills excluded) — input tax is
 * recognised when a bill is raised (purchasing/purchase-tax.ts). Net payable = output − input.
 */
export async function taxReport(models: TenantModels, range: { from?: string; to?: string } = {}): Promise<TaxReport> {
  const replacements: Record<string, unknown> = {
    from: range.from ? checkDate(range.from, 'from') : '1000-01-01',
    to: range.to ? checkDate(range.to, 'to') : '9999-12-31',
  };
  // Sales of the range per rate, less the credit notes dated in the range (their lines keep the invoice line's rate).
  const rows = await models.sequelize.query<{ rate_bp: unknown; taxable: unknown; tax: unknown }>(
    `SELECT rate_bp, ${sumAsText(models.sequelize, 'taxable')} AS taxable, ${sumAsText(models.sequelize, 'tax')} AS tax FROM (
       SELECT l.tax_rate_bp AS rate_bp, l.line_subtotal AS taxable, l.line_tax AS tax
         FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
        WHERE i.status IN ('issued', 'paid') AND i.issue_date >= :from AND i.issue_date <= :to
       UNION ALL
       SELECT c.tax_rate_bp AS rate_bp, -c.line_subtotal AS taxable, -c.line_tax AS tax
         FROM credit_note_lines c JOIN credit_notes n ON n.id = c.credit_note_id
        WHERE n.issue_date >= :from AND n.issue_date <= :to
     ) movements
     GROUP BY rate_bp
     ORDER BY rate_bp`,
    { type: QueryTypes.SELECT, replacements },
  );
  const inputRows = await models.sequelize.query<{ rate_bp: unknown; taxable: unknown; tax: unknown }>(
    `SELECT t.tax_rate_bp AS rate_bp, ${sumAsText(models.sequelize, 't.taxable')} AS taxable, ${sumAsText(models.sequelize, 't.tax')} AS tax
       FROM supplier_bill_taxes t JOIN supplier_bills b ON b.id = t.supplier_bill_id
      WHERE b.status <> 'void' AND b.bill_date >= :from AND b.bill_date <= :to
      GROUP BY t.tax_rate_bp
      ORDER BY t.tax_rate_bp`,
    { type: QueryTypes.SELECT, replacements },
  );
  const exact = (list: typeof rows) => list.map((r) => ({ rateBp: Number(r.rate_bp), taxable: big(r.taxable), tax: big(r.tax) }));
  const perRate = (list: ReturnType<typeof exact>): TaxReportRow[] =>
    list.map((r) => ({ rateBp: r.rateBp, taxable: reportAmount(r.taxable), tax: reportAmount(r.tax) }));
  const totals = (list: ReturnType<typeof exact>) => ({
    taxable: list.reduce((acc, r) => acc + r.taxable, 0n),
    tax: list.reduce((acc, r) => acc + r.tax, 0n),
  });
  const output = exact(rows);
  const input = exact(inputRows);
  const outputTotals = totals(output);
  const inputTotals = totals(input);
  return {
    from: range.from ?? null,
    to: range.to ?? null,
    rates: perRate(output),
    totals: { taxable: reportAmount(outputTotals.taxable), tax: reportAmount(outputTotals.tax) },
    inputRates: perRate(input),
    inputTotals: { taxable: reportAmount(inputTotals.taxable), tax: reportAmount(inputTotals.tax) },
    netPayable: reportAmount(outputTotals.tax - inputTotals.tax),
  };
}
