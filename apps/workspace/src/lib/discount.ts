import { parseMoney } from '@salesfleet/ui';

/** A discount as the API takes it: a percentage in basis points or an amount of minor units. */
export type Discount = { discountBp: number } | { discountAmount: number } | Record<string, never>;

/**
 * What a cashier types in a discount box: `10%` or `12.5 %` (basis points, two decimals at most),
 * an amount such as `2.50` (the currency's minor units), or nothing. Null when it is neither.
 */
export function parseDiscount(text: string, currency: string): Discount | null {
  const t = text.trim();
  if (t === '') return {};
  const percent = /^(\d{1,3})(?:[.,](\d{1,2}))?\s*%$/.exec(t);
  if (percent) {
    const bp = Number(percent[1]) * 100 + Number((percent[2] ?? '').padEnd(2, '0'));
    return bp <= 10_000 ? (bp > 0 ? { discountBp: bp } : {}) : null;
  }
  const amount = parseMoney(t, currency);
  if (amount === null) return null;
  return amount > 0 ? { discountAmount: amount } : {};
}
