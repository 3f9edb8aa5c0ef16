import { ValidationFailed } from '../errors/classes';
import { QUANTITY_SCALE } from './quantity';

/**
 * Invoice line arithmetic, integer cents only (no floating point anywhere). Pure, so the API's
 * invoices and quotes and the till's cart (apps/workspace lib/cart.ts) price with the same code.
 *
 * Rounding rule: tax is computed per line on the line subtotal (quantity × unit price) and rounded
 * half-up to the cent: `tax = floor((subtotal × rateBp + 5000) / 10000)` for non-negative amounts,
 * computed in BigInt so no intermediate product can lose precision. The invoice's tax is the sum of
 * its lines' taxes; its total is subtotal + tax. Discounts and tax-inclusive prices: see priceLines.
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

// ── discounts and tax-inclusive prices ───────────────────────────────────────────────────────────

/** `numerator / denominator` of non-negative BigInts, rounded half-up. */
function halfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/** A discount: a percentage in basis points (1000 = 10 %) or a fixed amount of cents, never both. */
export interface DiscountInput {
  discountBp?: number | null;
  discountAmount?: number | null;
}

export interface PricedLineInput extends DiscountInput {
  /** Thousandths of a unit. */
  quantity: number;
  /** Cents per unit: before tax, or including tax when `taxInclusive`. */
  unitPrice: number;
  taxRateBp: number;
  taxInclusive: boolean;
}

export interface PricedLine {
  /** quantity × unit price, half-up to the cent (in the price's terms: with tax when inclusive). */
  gross: number;
  /** The line's own discount (its percentage of `gross`, half-up, or its fixed amount). */
  discountAmount: number;
  /** This line's share of the invoice's discount (see priceLines). */
  invoiceDiscount: number;
  /** Net of discounts and of tax: what revenue is credited with. */
  lineSubtotal: number;
  lineTax: number;
  lineTotal: number;
}

export interface PricedDocument {
  lines: PricedLine[];
  /** The invoice-level discount in cents (shared out over the lines' invoiceDiscount). */
  discountAmount: number;
  /** Every discount of the document: Σ line discounts + the invoice discount. */
  discountTotal: number;
  subtotal: number;
  tax: number;
  total: number;
}

export interface PricingIssue {
  /** `lines.<i>.discountAmount`, `discountAmount`… */
  path: string;
  message: string;
}

/**
 * Shares `amount` cents out over `weights` in proportion, exactly: each share is rounded down, then
 * the cents left over go one each to the largest remainders (ties to the earlier line). The shares
 * always add up to `amount`, and the same input always gives the same shares.
 */
export function allocateProportionally(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, w) => a + BigInt(w), 0n);
  if (amount === 0 || total === 0n) return weights.map(() => 0);
  const a = BigInt(amount);
  const shares = weights.map((w) => (a * BigInt(w)) / total);
  let left = a - shares.reduce((x, y) => x + y, 0n);
  const order = weights
    .map((w, i) => ({ i, remainder: (a * BigInt(w)) % total }))
    .sort((x, y) => (x.remainder === y.remainder ? x.i - y.i : x.remainder > y.remainder ? -1 : 1));
  for (const { i } of order) {
    if (left === 0n) break;
    shares[i]! += 1n;
    left -= 1n;
  }
  return shares.map(Number);
}

/**
 * Prices the lines of an invoice or quote with their discounts, in integer cents:
 *
 * 1. `gross` = quantity × unit price / 1000, half-up. The line discount is `gross × discountBp /
 *    10000` half-up, or its fixed `discountAmount` (at most `gross`).
 * 2. The invoice discount (`discountBp` of Σ(gross − line discount), half-up, or a fixed amount at
 *    most that sum) is shared over the lines in proportion to what each still charges
 *    (allocateProportionally: shares rounded down, leftover cents to the largest remainders, ties to
 *    the earlier line), so the lines always add up to the document.
 * 3. What the line charges after discounts is its price in the line's terms. Exclusive rate: that is
 *    the net, tax = net × rate / 10000 half-up, total = net + tax. Inclusive rate: that is the total,
 *    tax = total × rate / (10000 + rate) half-up, net = total − tax — so net + tax is exactly what
 *    the customer pays at the shelf price.
 *
 * Discounts come before tax: tax is always computed on the discounted amount. Problems are returned
 * (never thrown) so the caller reports them with every other issue of the document.
 */
export function priceLines(
  lines: readonly PricedLineInput[],
  documentDiscount: DiscountInput = {},
): { priced: PricedDocument; issues: PricingIssue[] } {
  const issues: PricingIssue[] = [];
  const bases = lines.map((l, i) => {
    const gross = halfUp(BigInt(l.quantity) * BigInt(l.unitPrice), BigInt(QUANTITY_SCALE));
    let discount = 0n;
    if (l.discountBp !== undefined && l.discountBp !== null) discount = halfUp(gross * BigInt(l.discountBp), 10_000n);
    else if (l.discountAmount !== undefined && l.discountAmount !== null) {
      discount = BigInt(l.discountAmount);
      if (discount > gross) {
        issues.push({ path: `lines.${i}.discountAmount`, message: `at most the line's ${gross} cents` });
        discount = gross;
      }
    }
    return { gross, discount };
  });
  const remaining = bases.map((b) => b.gross - b.discount);
  const sumRemaining = remaining.reduce((a, b) => a + b, 0n);
  let invoiceDiscount = 0n;
  if (documentDiscount.discountBp !== undefined && documentDiscount.discountBp !== null)
    invoiceDiscount = halfUp(sumRemaining * BigInt(documentDiscount.discountBp), 10_000n);
  else if (documentDiscount.discountAmount !== undefined && documentDiscount.discountAmount !== null) {
    invoiceDiscount = BigInt(documentDiscount.discountAmount);
    if (invoiceDiscount > sumRemaining) {
      issues.push({ path: 'discountAmount', message: `at most the lines' ${sumRemaining} cents after their own discounts` });
      invoiceDiscount = sumRemaining;
    }
  }
  if (sumRemaining > MAX_CENTS) return { priced: emptyDocument(), issues: [...issues, { path: 'lines', message: 'amounts too large' }] };
  const shares = allocateProportionally(Number(invoiceDiscount), remaining.map(Number));
  const priced = lines.map((l, i): PricedLine => {
    const charged = remaining[i]! - BigInt(shares[i]!);
    const rate = BigInt(l.taxRateBp);
    let net: bigint;
    let tax: bigint;
    if (l.taxInclusive) {
      tax = halfUp(charged * rate, 10_000n + rate);
      net = charged - tax;
    } else {
      net = charged;
      tax = halfUp(charged * rate, 10_000n);
    }
    return {
      gross: toSafeNumber(bases[i]!.gross, 'line amount'),
      discountAmount: Number(bases[i]!.discount),
      invoiceDiscount: shares[i]!,
      lineSubtotal: Number(net),
      lineTax: toSafeNumber(tax, 'line tax'),
      lineTotal: toSafeNumber(net + tax, 'line total'),
    };
  });
  return {
    priced: {
      lines: priced,
      discountAmount: Number(invoiceDiscount),
      discountTotal: sumCents(priced.map((l) => l.discountAmount + l.invoiceDiscount)),
      subtotal: sumCents(priced.map((l) => l.lineSubtotal)),
      tax: sumCents(priced.map((l) => l.lineTax)),
      total: sumCents(priced.map((l) => l.lineTotal)),
    },
    issues,
  };
}

function emptyDocument(): PricedDocument {
  return { lines: [], discountAmount: 0, discountTotal: 0, subtotal: 0, tax: 0, total: 0 };
}
