import { ValidationFailed } from '@salesfleet/contracts';

/**
 * Quantities (stock on hand, movements, invoice and purchase lines) are integers in thousandths of a
 * unit — 1.5 kg is 1500 — in BIGINT columns and in every domain operation, so no quantity is ever a
 * binary fraction. The API reads and writes them as decimal numbers (or strings) with at most three
 * decimals, converted here from their decimal text, never by float arithmetic.
 */

/** Thousandths per unit. */
export const QUANTITY_SCALE = 1000;
const SCALE_DIGITS = 3;

/** Largest quantity of one line or movement: one million units, in thousandths. */
export const MAX_QUANTITY = 1_000_000 * QUANTITY_SCALE;

const DECIMAL = /^([+-]?)(\d{1,12})(?:\.(\d{1,3}))?$/;

/**
 * Integer thousandths from a decimal written as text ("1.25", "-3", "0.005") or a JSON number
 * (whose shortest decimal text is read: 0.1 → "0.1" → 100). Null when it is not a decimal with at most
 * three decimals and twelve integer digits.
 */
export function parseQuantity(value: unknown): number | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    text = String(value);
  } else if (typeof value === 'string') text = value.trim();
  else return null;
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const units = BigInt(m[2]!) * BigInt(QUANTITY_SCALE) + BigInt((m[3] ?? '').padEnd(SCALE_DIGITS, '0') || '0');
  const signed = m[1] === '-' ? -units : units;
  return Number(signed) === 0 ? 0 : Number(signed);
}

/** Thousandths as the shortest decimal text: 1500 → "1.5", 2000 → "2", -5 → "-0.005". */
export function formatQuantity(thousandths: number): string {
  const negative = thousandths < 0;
  const abs = BigInt(Math.abs(thousandths));
  const whole = abs / BigInt(QUANTITY_SCALE);
  const fraction = (abs % BigInt(QUANTITY_SCALE)).toString().padStart(SCALE_DIGITS, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Thousandths as a JSON number (its text is exactly formatQuantity's): for API responses. */
export function quantityNumber(thousandths: number): number {
  return Number(formatQuantity(thousandths));
}

/** A whole number of units in thousandths (test data, demo data): 5 → 5000. */
export function units(n: number): number {
  if (!Number.isSafeInteger(n)) throw new RangeError('units() takes a whole number; use parseQuantity for decimals');
  return n * QUANTITY_SCALE;
}

/** Whether a quantity in thousandths fits a unit that allows `decimals` (0–3) decimal places. */
export function fitsDecimals(thousandths: number, decimals: number): boolean {
  return thousandths % 10 ** (SCALE_DIGITS - Math.max(0, Math.min(SCALE_DIGITS, decimals))) === 0;
}

/**
 * `amount × quantity / 1000` rounded half away from zero, in BigInt: the cents of `quantity`
 * thousandths at `amount` cents per unit (a line subtotal, a receipt's cost).
 */
export function centsFor(quantity: number, centsPerUnit: number): number {
  return divideRounded(BigInt(quantity) * BigInt(centsPerUnit), BigInt(QUANTITY_SCALE));
}

/** `numerator / denominator` rounded half away from zero, as an exact number (throws past 2^53). */
export function divideRounded(numerator: bigint, denominator: bigint): number {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n * 2n + d) / (d * 2n);
  const out = negative ? -q : q;
  if (out > BigInt(Number.MAX_SAFE_INTEGER) || out < -BigInt(Number.MAX_SAFE_INTEGER)) throw new ValidationFailed('Amount is too large');
  return Number(out);
}
