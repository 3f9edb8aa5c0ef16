/**
 * Largest amount of one document (an invoice line, an invoice, a payment, an expense, a discount), in
 * cents: 100 000 000 000.00. Far below Number.MAX_SAFE_INTEGER (≈ 9 × 10^15), so a document's own
 * arithmetic stays exact in JS numbers; the reports sum any number of them in BigInt.
 */
export const MAX_AMOUNT = 10_000_000_000_000;

/** Largest percentage in basis points (10 000 = 100 %): tax rates and discounts. */
export const MAX_BASIS_POINTS = 10_000;

/**
 * A report figure in minor units (a sum over any number of documents: report totals, balances,
 * ageing, tax, dashboard sums). A JS number while it is a safe integer (|n| ≤ 2^53 − 1), else its exact
 * decimal string ("-9007199254740993"): JSON numbers past 2^53 lose digits in every JS reader, so the
 * API never sends one. Read it with `reportAmountBigInt`, add with `addReportAmounts`, show it with
 * @salesfleet/ui's formatMoney (which formats the string form exactly); never `Number()` it for display.
 */
export type ReportAmount = number | string;

const INTEGER_TEXT = /^-?\d+$/;

/** An exact integer (a bigint, a safe number, or the decimal text a database returns) as a ReportAmount. */
export function reportAmount(value: bigint | number | string): ReportAmount {
  const n = reportAmountBigInt(value);
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
}

/** A ReportAmount (or a database's integer sum) as an exact bigint; throws on anything not an exact integer. */
export function reportAmountBigInt(value: bigint | number | string | null | undefined): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not an exact integer amount: ${value}`);
    return BigInt(value);
  }
  // Some drivers write an integral NUMERIC/DECIMAL with a fraction of zeros ("12.00").
  const text = value.trim().replace(/\.0*$/, '');
  if (!INTEGER_TEXT.test(text)) throw new RangeError(`not an exact integer amount: ${value}`);
  return BigInt(text);
}

/** The exact sum of report amounts. */
export function addReportAmounts(...values: readonly (ReportAmount | bigint)[]): ReportAmount {
  return reportAmount(values.reduce<bigint>((acc, v) => acc + reportAmountBigInt(v), 0n));
}

/** a − b, exactly. */
export function subtractReportAmounts(a: ReportAmount | bigint, b: ReportAmount | bigint): ReportAmount {
  return reportAmount(reportAmountBigInt(a) - reportAmountBigInt(b));
}

/** −1, 0 or 1 as a is less than, equal to or more than b (exact at any size). */
export function compareReportAmounts(a: ReportAmount | bigint, b: ReportAmount | bigint): -1 | 0 | 1 {
  const x = reportAmountBigInt(a);
  const y = reportAmountBigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
