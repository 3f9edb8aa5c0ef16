/**
 * The till's cart: lines, quantities, prices and tax, in integer minor units with the API's rounding
 * (tax per line on quantity × unit price, half up — packages/models sales/tax.ts), so the total the
 * cashier sees is the total the invoice gets. The server computes it again and its answer is printed.
 */
export interface CartLine {
  productId: number;
  sku: string;
  name: string;
  unitPrice: number;
  /** The product's list price, to show when the cashier changed the price. */
  listPrice: number;
  quantity: number;
  taxRateBp: number;
  /** The rate is inclusive: the price includes the tax. */
  taxInclusive?: boolean;
}

export interface CartProduct {
  id: number;
  sku: string;
  name: string;
  unitPrice: number;
}

export const MAX_LINE_QUANTITY = 1_000_000;

export type CartAction =
  | { type: 'add'; product: CartProduct; taxRateBp: number; taxInclusive?: boolean; quantity?: number }
  | { type: 'quantity'; productId: number; quantity: number }
  | { type: 'price'; productId: number; unitPrice: number }
  | { type: 'remove'; productId: number }
  | { type: 'clear' };

export function cartReducer(lines: readonly CartLine[], action: CartAction): CartLine[] {
  switch (action.type) {
    case 'add': {
      const by = action.quantity ?? 1;
      const existing = lines.find((l) => l.productId === action.product.id);
      if (existing) return lines.map((l) => (l === existing ? { ...l, quantity: Math.min(MAX_LINE_QUANTITY, l.quantity + by) } : l));
      const { id, sku, name, unitPrice } = action.product;
      return [
        ...lines,
        {
          productId: id,
          sku,
          name,
          unitPrice,
          listPrice: unitPrice,
          quantity: by,
          taxRateBp: action.taxRateBp,
          ...(action.taxInclusive ? { taxInclusive: true } : {}),
        },
      ];
    }
    case 'quantity':
      if (!Number.isSafeInteger(action.quantity) || action.quantity < 0) return [...lines];
      if (action.quantity === 0) return lines.filter((l) => l.productId !== action.productId);
      return lines.map((l) => (l.productId === action.productId ? { ...l, quantity: Math.min(MAX_LINE_QUANTITY, action.quantity) } : l));
    case 'price':
      if (!Number.isSafeInteger(action.unitPrice) || action.unitPrice < 0) return [...lines];
      return lines.map((l) => (l.productId === action.productId ? { ...l, unitPrice: action.unitPrice } : l));
    case 'remove':
      return lines.filter((l) => l.productId !== action.productId);
    case 'clear':
      return [];
  }
}

/** Tax half-up on a non-negative amount, in BigInt like the API (no precision loss on large amounts). */
export function taxOn(amount: number, rateBp: number): number {
  return Number((BigInt(amount) * BigInt(rateBp) + 5000n) / 10000n);
}

/** Tax contained in a gross amount at an inclusive rate: gross × rate / (10000 + rate), half up, in BigInt like the API. */
export function taxIncluded(gross: number, rateBp: number): number {
  const divisor = 10_000n + BigInt(rateBp);
  return Number((BigInt(gross) * BigInt(rateBp) * 2n + divisor) / (2n * divisor));
}

/** A line's amounts; with an inclusive rate the price is the total and the tax is taken out of it. */
export function lineAmounts(line: Pick<CartLine, 'quantity' | 'unitPrice' | 'taxRateBp' | 'taxInclusive'>) {
  const gross = line.quantity * line.unitPrice;
  if (line.taxInclusive) {
    const tax = taxIncluded(gross, line.taxRateBp);
    return { subtotal: gross - tax, tax, total: gross };
  }
  const tax = taxOn(gross, line.taxRateBp);
  return { subtotal: gross, tax, total: gross + tax };
}

export function cartTotals(lines: readonly CartLine[]) {
  let subtotal = 0;
  let tax = 0;
  let items = 0;
  for (const line of lines) {
    const a = lineAmounts(line);
    subtotal += a.subtotal;
    tax += a.tax;
    items += line.quantity;
  }
  return { subtotal, tax, total: subtotal + tax, items };
}

// ── payment ──────────────────────────────────────────────────────────────────────────────────────

export type Tender =
  | { kind: 'cash'; given: number }
  | { kind: 'card' }
  | { kind: 'transfer'; reference?: string }
  | { kind: 'split'; card: number; cash: number }
  | { kind: 'credit'; customerId: number | null };

export interface PaymentPlan {
  /** What the invoice records, in order: the first goes with the sale, the rest after it. */
  payments: { method: 'cash' | 'card' | 'transfer'; amount: number; reference?: string }[];
  /** Cash to hand back. */
  change: number;
}

/** How a tender settles a total, or why it cannot (a message for the cashier). */
export function planPayment(total: number, tender: Tender): PaymentPlan | { problem: string } {
  switch (tender.kind) {
    case 'cash':
      if (tender.given < total) return { problem: 'The cash given is less than the total.' };
      return { payments: total > 0 ? [{ method: 'cash', amount: total }] : [], change: tender.given - total };
    case 'card':
      return { payments: total > 0 ? [{ method: 'card', amount: total }] : [], change: 0 };
    case 'transfer':
      return {
        payments: total > 0 ? [{ method: 'transfer', amount: total, ...(tender.reference ? { reference: tender.reference } : {}) }] : [],
        change: 0,
      };
    case 'split': {
      if (tender.card > total) return { problem: 'The card part is more than the total.' };
      const cashDue = total - tender.card;
      if (tender.cash < cashDue) return { problem: 'Card and cash together are less than the total.' };
      const payments: PaymentPlan['payments'] = [];
      if (tender.card > 0) payments.push({ method: 'card', amount: tender.card });
      if (cashDue > 0) payments.push({ method: 'cash', amount: cashDue });
      return { payments, change: tender.cash - cashDue };
    }
    case 'credit':
      if (tender.customerId === null) return { problem: 'Choose the customer who buys on credit.' };
      return { payments: [], change: 0 };
  }
}
