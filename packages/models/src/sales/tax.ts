import { ValidationFailed } from '@salesfleet/contracts';
import { QUANTITY_SCALE } from './quantity';

/**
 * Invoice line arithmetic, integer cents only (no floating point anywhere).
 *
 * Rounding rule: tax is computed per line on the line subtotal (quantity × unit price) and rounded
 * half-up to the cent: `tax = floor((subtotal × rateBp + 5000) / 10000)` for non-negative amounts,
 * computed in BigInt so no intermediate product can lose precision. The invoice's tax is the sum of
 * its lines' taxes; its total is subtotal + tax.
 */

/** Largest amount a column can hold as an exact JS number. */
const MAX_CENTS = BigInt(Number.MAX_SAFE_INTEGER);

function toSafeNumber(value: bigint, what: string): number {
  if (value > MAX_CENTS || value < -MAX_CENTS) throw new ValidationFailed(`${what} is too large`);
  return Number(value);
}

/** Tax in cents on a non-negative amount of cents at `rateBp` basis points, rounded half-up. */
export function taxOn(amountCents: number, rateBp: number): number {
  if (!Number.isSafeInteger(amountCents) || amountCents < 0) throw new RangeError('amount must be a non-negative integer of cents');
  if (!Number.isInteger(rateBp) || rateBp < 0 || rateBp > 10_000) throw new RangeError('rate must be 0–10000 basis points');
  return toSafeNumber((BigInt(amountCents) * BigInt(rateBp) + 5000n) / 10000n, 'tax');
}

export interface LineAmounts {
  lineSubtotal: number;
  lineTax: number;
  lineTotal: number;
}

/**
 * Subtotal, tax and total of one line: quantity (thousandths of a unit) × unit price / 1000 rounded
 * half-up to the cent, then tax half-up on that subtotal.
 */
export function lineAmounts(quantity: number, unitPrice: number, rateBp: number): LineAmounts {
  if (!Number.isSafeInteger(quantity) || quantity < 1) throw new RangeError('quantity must be a positive integer of thousandths');
  if (!Number.isSafeInteger(unitPrice) || unitPrice < 0) throw new RangeError('unit price must be a non-negative integer of cents');
  const lineSubtotal = toSafeNumber(
    (BigInt(quantity) * BigInt(unitPrice) * 2n + BigInt(QUANTITY_SCALE)) / (2n * BigInt(QUANTITY_SCALE)),
    'line subtotal',
  );
  const lineTax = taxOn(lineSubtotal, rateBp);
  return { lineSubtotal, lineTax, lineTotal: toSafeNumber(BigInt(lineSubtotal) + BigInt(lineTax), 'line total') };
}

/** Exact sum of integer cents (throws past Number.MAX_SAFE_INTEGER instead of silently rounding). */
export function sumCents(values: readonly number[]): number {
  let total = 0n;
  for (const v of values) total += BigInt(v);
  return toSafeNumber(total, 'total');
}
