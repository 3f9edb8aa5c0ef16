import { formatQuantity, QUANTITY_DECIMALS, QUANTITY_SCALE, ValidationFailed } from '@salesfleet/contracts';

/**
 * Quantities (stock on hand, movements, invoice and purchase lines) are integers in thousandths of a
 * unit — 1.5 kg is 1500 — in BIGINT columns and in every domain operation, so no quantity is ever a
 * binary fraction. The API reads and writes them as decimal numbers (or strings) with at most three
 * decimals, converted here from their decimal text, never by float arithmetic.
 */

export { formatQuantity, MAX_QUANTITY, parseQuantity, QUANTITY_SCALE } from '@salesfleet/contracts';

const SCALE_DIGITS = QUANTITY_DECIMALS;

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
