/** Dates, times, durations, sizes and money for display. Money is integer minor units (cents) everywhere. */

export interface Locale {
  /** BCP 47 tag (`en-GB`); undefined: the browser's. */
  locale?: string | undefined;
  /** IANA time zone (`Africa/Lagos`); undefined: the browser's. */
  timeZone?: string | undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export function formatDateTime(iso: string | null | undefined, where: Locale = {}): string {
  const d = parse(iso);
  if (!d) return '—';
  const f = cached(
    `dt|${where.locale}|${where.timeZone}`,
    () =>
      new Intl.DateTimeFormat(where.locale, {
        dateStyle: 'medium',
        timeStyle: 'short',
        ...(where.timeZone ? { timeZone: where.timeZone } : {}),
      }),
  );
  return f.format(d);
}

/**
 * A day. A calendar date (`2026-03-01`, as the API gives issue dates) is that day wherever the reader
 * is; an instant is the day it falls on in the given time zone.
 */
export function formatDate(iso: string | null | undefined, where: Locale = {}): string {
  const d = parse(iso);
  if (!d || !iso) return '—';
  const timeZone = DATE_ONLY.test(iso) ? 'UTC' : where.timeZone;
  const f = cached(
    `d|${where.locale}|${timeZone}`,
    () => new Intl.DateTimeFormat(where.locale, { dateStyle: 'medium', ...(timeZone ? { timeZone } : {}) }),
  );
  return f.format(d);
}

/** The calendar day (`YYYY-MM-DD`) an instant falls on in a time zone (default: the browser's). */
export function calendarDay(at: Date, timeZone?: string): string {
  const f = cached(
    `day|${timeZone}`,
    () => new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', ...(timeZone ? { timeZone } : {}) }),
  );
  return f.format(at);
}

/** `YYYY-MM-DD` plus n days (calendar arithmetic in UTC, so no DST surprises). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** ISO date-time → the yyyy-mm-dd an <input type="date"> holds (UTC day). */
export function toDateInput(iso: string | null | undefined): string {
  const d = parse(iso);
  return d ? d.toISOString().slice(0, 10) : '';
}

/** yyyy-mm-dd → ISO date-time at UTC midnight, '' → null. */
export function fromDateInput(value: string): string | null {
  return value ? new Date(`${value}T00:00:00.000Z`).toISOString() : null;
}

export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  const d = parse(iso);
  if (!d) return '—';
  const seconds = Math.round((now - d.getTime()) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return formatDate(iso);
}

// ── money ────────────────────────────────────────────────────────────────────────────────────────

export interface Currency extends Locale {
  /** ISO 4217 code (`EUR`). */
  currency: string;
}

/** How many minor units a currency has (2 for EUR, 0 for JPY, 3 for KWD), from the browser's ICU data. */
export function minorUnits(currency: string): number {
  return (
    cached(`cur|${currency}`, () => new Intl.NumberFormat('en', { style: 'currency', currency })).resolvedOptions().maximumFractionDigits ??
    2
  );
}

/**
 * Integer minor units as the API gives them: a number, or — for report figures past 2^53 (contracts'
 * ReportAmount) — the exact decimal string; a bigint too. Never a float.
 */
export type MinorUnits = number | string | bigint;

function exactMinor(minor: MinorUnits): bigint {
  if (typeof minor === 'bigint') return minor;
  if (typeof minor === 'number') {
    if (!Number.isSafeInteger(minor)) throw new RangeError(`not an exact amount of minor units: ${minor}`);
    return BigInt(minor);
  }
  if (!/^-?\d+$/.test(minor)) throw new RangeError(`not an amount of minor units: ${minor}`);
  return BigInt(minor);
}

/**
 * Integer minor units → "€1,234.50" in the tenant's currency and locale. Exact at any size: the
 * amount goes to Intl as decimal text (Intl.NumberFormat formats a numeric string exactly), never
 * divided as a float.
 */
export function formatMoney(minor: MinorUnits, money: Currency): string {
  const digits = minorUnits(money.currency);
  const f = cached(
    `m|${money.locale}|${money.currency}`,
    () => new Intl.NumberFormat(money.locale, { style: 'currency', currency: money.currency }),
  );
  return f.format(decimalAmount(minor, digits) as Intl.StringNumericLiteral);
}

/** Integer minor units → "1234.50", what a money input holds (no grouping, `.` as the separator). */
export function moneyInput(minor: MinorUnits, currency: string): string {
  return decimalAmount(minor, minorUnits(currency));
}

/** Integer minor units → a plain decimal with `digits` decimals ("1234.56", "-0.05"): inputs and CSV cells. Exact at any size. */
export function decimalAmount(minor: MinorUnits, digits: number): string {
  const n = exactMinor(minor);
  const sign = n < 0n ? '-' : '';
  const abs = n < 0n ? -n : n;
  if (digits === 0) return `${sign}${abs}`;
  const scale = 10n ** BigInt(digits);
  return `${sign}${abs / scale}.${String(abs % scale).padStart(digits, '0')}`;
}

/**
 * What a person typed ("12", "12.5", "12,50", "1 234.50") → integer minor units, without floating
 * point; null when it is not an amount or has more decimals than the currency.
 */
export function parseMoney(input: string, currency: string): number | null {
  const digits = minorUnits(currency);
  const cleaned = input.trim().replace(/[\s\u00a0']/g, '');
  const m = /^(\d+)(?:[.,](\d*))?$/.exec(cleaned);
  if (!m) return null;
  const whole = m[1]!;
  const fraction = m[2] ?? '';
  if (fraction.length > digits) return null;
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : null;
}

/** Basis points → "20 %" in the locale. */
export function formatRate(bp: number, locale?: string): string {
  return cached(`pct|${locale}`, () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 })).format(bp / 10_000);
}
