import { Transaction } from 'sequelize';
import { writeTransaction, type WriteOptions } from '../accounting/transactions';
import type { TenantModels } from '../model-types';
import { FieldChecks } from '../sales/fields';
import {
  CURRENCY_MESSAGE,
  currencyMinorUnits,
  isCurrencyCode,
  isLocaleTag,
  isTimeZone,
  LOCALE_MESSAGE,
  numberPrefixProblem,
  TIME_ZONE_MESSAGE,
} from '@salesfleet/contracts';
import { dateInTimeZone } from './time-zone';
import { rawSelectParts, type RawRead } from '../raw-select';
import { Conflict, ValidationFailed } from '@salesfleet/contracts';

/**
 * A tenant's settings: one row (id 1), created with defaults by the migration that introduced it and
 * given the company name by seedTenant. Everything that defaults to "today" asks `tenantToday`, so a
 * shop in Auckland after dark records tomorrow's date, not UTC's.
 */

export const SETTINGS_ROW_ID = 1;

export interface TenantSettingsView {
  companyName: string;
  companyAddress: string | null;
  companyTaxNumber: string | null;
  currency: string;
  /** Digits after the decimal point of `currency`: amounts are integers of 10^-minorUnits. */
  currencyMinorUnits: number;
  locale: string;
  timeZone: string;
  fiscalYearStartMonth: number;
  invoicePrefix: string;
  creditNotePrefix: string;
  quotePrefix: string;
  purchasePrefix: string;
  closedThrough: string | null;
  updatedAt: Date;
}

export type SettingsPatch = Partial<
  Pick<
    TenantSettingsView,
    | 'companyName'
    | 'companyAddress'
    | 'companyTaxNumber'
    | 'currency'
    | 'locale'
    | 'timeZone'
    | 'fiscalYearStartMonth'
    | 'invoicePrefix'
    | 'creditNotePrefix'
    | 'quotePrefix'
    | 'purchasePrefix'
  >
>;

type SettingsRow = InstanceType<TenantModels['TenantSettings']>;

function view(row: Pick<SettingsRow, Exclude<keyof TenantSettingsView, 'currencyMinorUnits'>>): TenantSettingsView {
  return {
    companyName: row.companyName,
    companyAddress: row.companyAddress ?? null,
    companyTaxNumber: row.companyTaxNumber ?? null,
    currency: row.currency,
    currencyMinorUnits: currencyMinorUnits(row.currency),
    locale: row.locale,
    timeZone: row.timeZone,
    fiscalYearStartMonth: row.fiscalYearStartMonth,
    invoicePrefix: row.invoicePrefix,
    creditNotePrefix: row.creditNotePrefix,
    quotePrefix: row.quotePrefix,
    purchasePrefix: row.purchasePrefix,
    closedThrough: row.closedThrough ? String(row.closedThrough).slice(0, 10) : null,
    updatedAt: row.updatedAt instanceof Date ? row.updatedAt : new Date(row.updatedAt),
  };
}

async function settingsRow(models: TenantModels, transaction?: Transaction, lock?: 'share' | 'update'): Promise<SettingsRow> {
  const locking = lock && transaction && models.sequelize.getDialect() !== 'sqlite';
  const row = await models.unassociated('TenantSettings').findByPk(SETTINGS_ROW_ID, {
    ...(transaction ? { transaction } : {}),
    ...(locking ? { lock: lock === 'update' ? Transaction.LOCK.UPDATE : Transaction.LOCK.SHARE } : {}),
  });
  if (!row) throw new Conflict('This tenant has no settings row; run migrate-tenants', { reason: 'settingsMissing' });
  return row;
}

export async function getSettings(models: TenantModels, transaction?: Transaction): Promise<TenantSettingsView> {
  return view(await settingsRow(models, transaction));
}

// Postings read the settings once per transaction (time zone, closed period).
const byTransaction = new WeakMap<Transaction, TenantSettingsView>();

/**
 * The settings as a posting inside `transaction` sees them. On PostgreSQL/MySQL the row is read
 * FOR SHARE, so closing a period (FOR UPDATE) waits for postings in flight and no posting can slip
 * into a period closed while it ran.
 */
export async function postingSettings(models: TenantModels, transaction: Transaction): Promise<TenantSettingsView> {
  const cached = byTransaction.get(transaction);
  if (cached) return cached;
  const settings = view(await settingsRow(models, transaction, 'share'));
  byTransaction.set(transaction, settings);
  return settings;
}

/**
 * The read of postingSettings with more values in the same statement, as scalar subqueries by alias
 * (a sale reads its location, customer and the system accounts with the settings), for `rawReads`
 * with the transaction's other first reads. The settings are remembered for the transaction, as
 * postingSettings remembers them.
 */
export function postingSettingsRead<K extends string>(
  models: TenantModels,
  transaction: Transaction,
  subqueries: Record<K, string>,
): RawRead<{ settings: TenantSettingsView; values: Record<K, unknown> }> {
  const model = models.unassociated('TenantSettings');
  const s = rawSelectParts(model);
  const keys = Object.keys(subqueries) as K[];
  const dialect = models.sequelize.getDialect();
  const lock = dialect === 'postgres' ? ' FOR SHARE' : dialect === 'sqlite' ? '' : ' LOCK IN SHARE MODE';
  const extra = keys.map((k, i) => `, ${subqueries[k]} AS ${s.quote(`_${i}`)}`).join('');
  return {
    sql: `SELECT ${s.columns}${extra} FROM ${s.from} WHERE ${s.col('id')} = ${SETTINGS_ROW_ID}${lock}`,
    read([row]) {
      if (!row) throw new Conflict('This tenant has no settings row; run migrate-tenants', { reason: 'settingsMissing' });
      const settings = view(row as unknown as SettingsRow);
      byTransaction.set(transaction, settings);
      const values = {} as Record<K, unknown>;
      keys.forEach((k, i) => {
        values[k] = row[`_${i}`];
      });
      return { settings, values };
    },
  };
}

/** SQL for the invoice prefix of the settings (a subquery: the sale's number is read with its settings). */
export function invoicePrefixSql(models: TenantModels): string {
  const s = rawSelectParts(models.unassociated('TenantSettings'));
  return `(SELECT ${s.col('invoicePrefix')} FROM ${s.from} WHERE ${s.col('id')} = ${SETTINGS_ROW_ID})`;
}

/** Today's date in the tenant's time zone, `YYYY-MM-DD`. */
export async function tenantToday(models: TenantModels, transaction?: Transaction): Promise<string> {
  const settings = transaction ? await postingSettings(models, transaction) : await getSettings(models);
  return dateInTimeZone(settings.timeZone);
}

/** The tenant-local date of an instant (a payment's receipt time). */
export async function tenantDateOf(models: TenantModels, instant: Date, transaction: Transaction): Promise<string> {
  return dateInTimeZone((await postingSettings(models, transaction)).timeZone, instant);
}

/** Throws Conflict (details.reason `periodClosed`) when `date` falls in a closed period. */
export async function assertPeriodOpen(models: TenantModels, date: string, transaction: Transaction): Promise<void> {
  const { closedThrough } = await postingSettings(models, transaction);
  if (closedThrough !== null && date <= closedThrough) {
    throw new Conflict(`The books are closed through ${closedThrough}: nothing can be posted dated ${date}`, {
      reason: 'periodClosed',
      closedThrough,
      date,
    });
  }
}

function checkPatch(patch: SettingsPatch): SettingsPatch {
  const f = new FieldChecks();
  const out: SettingsPatch = {};
  if (patch.companyName !== undefined) out.companyName = f.text(patch.companyName, 'companyName', 200, false) ?? '';
  if (patch.companyAddress !== undefined) out.companyAddress = f.text(patch.companyAddress, 'companyAddress', 2000, false) ?? null;
  if (patch.companyTaxNumber !== undefined) out.companyTaxNumber = f.text(patch.companyTaxNumber, 'companyTaxNumber', 50, false) ?? null;
  if (patch.currency !== undefined) {
    if (!isCurrencyCode(patch.currency)) f.fail('currency', CURRENCY_MESSAGE);
    out.currency = patch.currency;
  }
  if (patch.locale !== undefined) {
    if (!isLocaleTag(patch.locale)) f.fail('locale', LOCALE_MESSAGE);
    else out.locale = Intl.getCanonicalLocales(patch.locale)[0]!;
  }
  if (patch.timeZone !== undefined) {
    if (!isTimeZone(patch.timeZone)) f.fail('timeZone', TIME_ZONE_MESSAGE);
    out.timeZone = patch.timeZone;
  }
  if (patch.fiscalYearStartMonth !== undefined) out.fiscalYearStartMonth = f.int(patch.fiscalYearStartMonth, 'fiscalYearStartMonth', 1, 12);
  for (const key of ['invoicePrefix', 'creditNotePrefix', 'quotePrefix', 'purchasePrefix'] as const) {
    const value = patch[key];
    if (value === undefined) continue;
    const problem = numberPrefixProblem(value);
    if (problem) f.fail(key, problem);
    out[key] = value;
  }
  f.done('settings');
  return out;
}

/**
 * Changes settings. The currency can change only while nothing is posted (the books' integers would
 * otherwise change meaning); 409 otherwise.
 */
export async function updateSettings(models: TenantModels, patch: SettingsPatch, options: WriteOptions = {}): Promise<TenantSettingsView> {
  const values = checkPatch(patch);
  return writeTransaction(
    models.sequelize,
    async (transaction) => {
      const row = await settingsRow(models, transaction, 'update');
      if (values.currency !== undefined && values.currency !== row.currency) {
        const posted = await models.unassociated('JournalEntry').count({ transaction });
        if (posted > 0) {
          throw new Conflict(`The currency cannot change once anything is posted (${posted} journal entries)`, {
            reason: 'booksNotEmpty',
            field: 'currency',
          });
        }
      }
      await row.update(values, { transaction });
      return view(row);
    },
    options,
  );
}

export interface ClosePeriodInput {
  /** Last day of the closed period, `YYYY-MM-DD`; not before the current close, not after today. */
  through: string;
}

/**
 * Closes the books through a date: afterwards no posting (sale, payment, expense, credit, manual
 * entry, void…) may be dated on or before it. Closing is one-way; 409 when moving it back.
 */
export async function closePeriod(models: TenantModels, input: ClosePeriodInput, options: WriteOptions = {}): Promise<TenantSettingsView> {
  const f = new FieldChecks();
  const through = f.date(input.through, 'through');
  f.done('period close');
  return writeTransaction(
    models.sequelize,
    async (transaction) => {
      const row = await settingsRow(models, transaction, 'update');
      const current = row.closedThrough ? String(row.closedThrough).slice(0, 10) : null;
      if (current !== null && through < current) {
        throw new Conflict(`The books are closed through ${current}; a closed period cannot be reopened`, {
          reason: 'periodClosed',
          closedThrough: current,
        });
      }
      const today = dateInTimeZone(row.timeZone);
      if (through >= today) {
        throw new ValidationFailed('Only past days can be closed', [
          { path: 'through', message: `before ${today} (today in ${row.timeZone})` },
        ]);
      }
      await row.update({ closedThrough: through }, { transaction });
      return view(row);
    },
    options,
  );
}
