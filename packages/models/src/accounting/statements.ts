import { QueryTypes } from 'sequelize';
import type { TenantModels } from '../model-types';
import { getSettings } from '../settings/settings';
import { dateInTimeZone } from '../settings/time-zone';
import type { AccountType } from './account';
import { checkDate, dateOnly, pageWindow, toCents, type PageOptions } from './values';
import { NotFound, ValidationFailed } from '@salesfleet/contracts';

/**
 * Financial statements and ledgers: balance sheet, general ledger per account, receivables ageing and
 * tax per rate. Dates are tenant-local days (`YYYY-MM-DD`); "as of" defaults to today in the tenant's
 * time zone. Plain SQL that reads the same on SQLite, PostgreSQL and MySQL; sums are exact integers.
 */

function add(values: readonly number[]): number {
  return Number(values.reduce((acc, v) => acc + BigInt(v), 0n));
}

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
  balance: number;
}

export interface BalanceSheet {
  asOf: string;
  fiscalYearStart: string;
  assets: BalanceSheetRow[];
  liabilities: BalanceSheetRow[];
  equity: BalanceSheetRow[];
  /** Income − expenses before the current fiscal year (not yet closed into an equity account). */
  retainedEarnings: number;
  /** Income − expenses from the fiscal year's start through `asOf`. */
  currentYearEarnings: number;
  totals: { assets: number; liabilities: number; equity: number; liabilitiesAndEquity: number };
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
  const rows = await models.sequelize.query<TypedTotals>(
    `SELECT a.id AS account_id, a.code AS code, a.name AS name, a.type AS type,
            SUM(l.debit) AS debit, SUM(l.credit) AS credit,
            SUM(CASE WHEN e.entry_date >= :yearStart THEN l.debit ELSE 0 END) AS current_debit,
            SUM(CASE WHEN e.entry_date >= :yearStart THEN l.credit ELSE 0 END) AS current_credit
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
  for (const r of rows) {
    const debit = BigInt(toCents(r.debit));
    const credit = BigInt(toCents(r.credit));
    const base = { accountId: Number(r.account_id), code: r.code, name: r.name };
    if (r.type === 'asset') sheet.assets.push({ ...base, balance: Number(debit - credit) });
    else if (r.type === 'liability') sheet.liabilities.push({ ...base, balance: Number(credit - debit) });
    else if (r.type === 'equity') sheet.equity.push({ ...base, balance: Number(credit - debit) });
    else {
      // Income adds to earnings (credit − debit), expenses subtract: the same formula for both.
      const currentNet = BigInt(toCents(r.current_credit)) - BigInt(toCents(r.current_debit));
      current += currentNet;
      retained += credit - debit - currentNet;
    }
  }
  sheet.retainedEarnings = Number(retained);
  sheet.currentYearEarnings = Number(current);
  const assets = add(sheet.assets.map((r) => r.balance));
  const liabilities = add(sheet.liabilities.map((r) => r.balance));
  const equity = add([...sheet.equity.map((r) => r.balance), sheet.retainedEarnings, sheet.currentYearEarnings]);
  sheet.totals = { assets, liabilities, equity, liabilitiesAndEquity: add([liabilities, equity]) };
  sheet.balanced = assets === sheet.totals.liabilitiesAndEquity;
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
  balance: number;
}

export interface GeneralLedger {
  account: { id: number; code: string; name: string; type: AccountType };
  from: string | null;
  to: string | null;
  /** Debit − credit of everything before `from`. */
  openingBalance: number;
  /** Debit − credit through `to`. */
  closingBalance: number;
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
    `SELECT SUM(CASE WHEN e.entry_date < :from THEN l.debit - l.credit ELSE 0 END) AS balance,
            SUM(CASE WHEN e.entry_date <= :to THEN l.debit - l.credit ELSE 0 END) AS closing,
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
              SUM(l.debit - l.credit) OVER (ORDER BY e.entry_date, e.id, l.id ROWS UNBOUNDED PRECEDING) AS running
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
    openingBalance: toCents(opening?.balance),
    closingBalance: toCents(opening?.closing),
    lines: rows.map((r) => ({
      entryId: Number(r.entry_id),
      lineId: Number(r.line_id),
      date: dateOnly(r.entry_date),
      memo: r.memo ?? null,
      sourceType: r.source_type ?? null,
      sourceId: r.source_id === null || r.source_id === undefined ? null : Number(r.source_id),
      debit: toCents(r.debit),
      credit: toCents(r.credit),
      balance: toCents(r.running),
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

export type AgeingAmounts = Record<AgeingBucket, number> & { total: number };

export interface ReceivablesAgeing {
  asOf: string;
  customers: ({ customerId: number | null; name: string; invoices: number } & AgeingAmounts)[];
  totals: AgeingAmounts;
}

function emptyAmounts(): AgeingAmounts {
  return { '0-30': 0, '31-60': 0, '61-90': 0, '90+': 0, total: 0 };
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Sums amounts owed into rows per party and age bucket (days from the document date to `asOf`). */
function ageAmounts<Party extends object>(
  asOf: string,
  owed: readonly { key: string; date: string; owed: number }[],
  party: (key: string) => Party,
): { rows: (Party & AgeingAmounts & { documents: number })[]; totals: AgeingAmounts } {
  const byKey = new Map<string, Party & AgeingAmounts & { documents: number }>();
  const totals = emptyAmounts();
  for (const r of owed) {
    let row = byKey.get(r.key);
    if (!row) {
      row = { ...party(r.key), documents: 0, ...emptyAmounts() };
      byKey.set(r.key, row);
    }
    const bucket = ageingBucket(daysBetween(r.date, asOf));
    row.documents += 1;
    row[bucket] += r.owed;
    row.total += r.owed;
    totals[bucket] += r.owed;
    totals.total += r.owed;
  }
  return { rows: [...byKey.values()], totals };
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
    return { key, date: dateOnly(r.issue_date), owed: toCents(r.owed) };
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
      return { key, date: dateOnly(r.bill_date), owed: toCents(r.owed) };
    })
    .filter((r) => r.owed > 0);
  const aged = ageAmounts(asOf, owed, (key) => names.get(key)!);
  return { asOf, suppliers: aged.rows.map(({ documents, ...row }) => ({ ...row, bills: documents })), totals: aged.totals };
}

// ── tax report ────────────────────────────────────────────────────────────────────────────────────

export interface TaxReportRow {
  rateBp: number;
  /** Net amount (sales after discounts, or purchases before tax) taxed at this rate. */
  taxable: number;
  tax: number;
}

export interface TaxReport {
  from: string | null;
  to: string | null;
  /** Output tax per rate (sales). */
  rates: TaxReportRow[];
  totals: { taxable: number; tax: number };
  /** Input tax per rate (supplier bills). */
  inputRates: TaxReportRow[];
  inputTotals: { taxable: number; tax: number };
  /** Output tax − input tax: owed to the tax authority (negative: to be reclaimed). */
  netPayable: number;
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
    `SELECT rate_bp, SUM(taxable) AS taxable, SUM(tax) AS tax FROM (
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
    `SELECT t.tax_rate_bp AS rate_bp, SUM(t.taxable) AS taxable, SUM(t.tax) AS tax
       FROM supplier_bill_taxes t JOIN supplier_bills b ON b.id = t.supplier_bill_id
      WHERE b.status <> 'void' AND b.bill_date >= :from AND b.bill_date <= :to
      GROUP BY t.tax_rate_bp
      ORDER BY t.tax_rate_bp`,
    { type: QueryTypes.SELECT, replacements },
  );
  const perRate = (list: typeof rows) => list.map((r) => ({ rateBp: Number(r.rate_bp), taxable: toCents(r.taxable), tax: toCents(r.tax) }));
  const totals = (list: TaxReportRow[]) => ({ taxable: add(list.map((r) => r.taxable)), tax: add(list.map((r) => r.tax)) });
  const rates = perRate(rows);
  const inputRates = perRate(inputRows);
  const output = totals(rates);
  const input = totals(inputRates);
  return {
    from: range.from ?? null,
    to: range.to ?? null,
    rates,
    totals: output,
    inputRates,
    inputTotals: input,
    netPayable: add([output.tax, -input.tax]),
  };
}
