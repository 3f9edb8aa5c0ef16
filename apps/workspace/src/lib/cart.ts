import { priceLines, QUANTITY_SCALE, settleTillPayments, type TillPayment } from '@salesfleet/contracts';
import type { Discount } from './discount';

/**
 * The till's cart: lines, quantities, prices, discounts and tax, in integer minor units priced by the
 * API's rule (cartTotals). The server computes it again and its answer is printed.
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
  /** The line's discount (users with sales.give_discount). */
  discount?: Discount;
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
  | { type: 'discount'; productId: number; discount: Discount }
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
    case 'discount':
      return lines.map((l) => (l.productId === action.productId ? { ...l, discount: action.discount } : l));
    case 'remove':
      return lines.filter((l) => l.productId !== action.productId);
    case 'clear':
      return [];
  }
}

/**
 * The cart priced by the API's own rule (priceLines in @salesfleet/contracts): tax per line half up,
 * inclusive rates taken out of the price, line discounts then the sale's discount shared over the
 * lines before tax — so the total the cashier sees is the total the invoice gets.
 */
export function cartTotals(lines: readonly CartLine[], discount: Discount = {}) {
  const { priced } = priceLines(
    lines.map((l) => ({
      quantity: l.quantity * QUANTITY_SCALE,
      unitPrice: l.unitPrice,
      taxRateBp: l.taxRateBp,
      taxInclusive: Boolean(l.taxInclusive),
      ...l.discount,
    })),
    discount,
  );
  return {
    subtotal: priced.subtotal,
    tax: priced.tax,
    total: priced.total,
    discountTotal: priced.discountTotal,
    items: lines.reduce((n, l) => n + l.quantity, 0),
    /** Each line's total after its discounts and tax, in cart order. */
    lineTotals: priced.lines.map((l) => l.lineTotal),
  };
}

// ── payment ──────────────────────────────────────────────────────────────────────────────────────

export type Tender =
  | { kind: 'cash'; given: number }
  | { kind: 'card' }
  | { kind: 'transfer'; reference?: string }
  | { kind: 'split'; card: number; cash: number }
  | { kind: 'credit'; customerId: number | null };

export interface PaymentPlan {
  /** The payments the sale request carries (one request, all of them in the sale's transaction). */
  payments: TillPayment[];
  /** Cash to hand back, by the API's rule (settleTillPayments); the API answers the same figure. */
  change: number;
}

/** How a tender settles a total, or why it cannot (a message for the cashier). */
export function planPayment(total: number, tender: Tender): PaymentPlan | { problem: string } {
  const payments: TillPayment[] = [];
  switch (tender.kind) {
    case 'cash':
      if (tender.given < total) return { problem: 'The cash given is less than the total.' };
      if (total > 0) payments.push({ method: 'cash', amount: total, tendered: tender.given });
      break;
    case 'card':
      if (total > 0) payments.push({ method: 'card', amount: total });
      break;
    case 'transfer':
      if (total > 0) payments.push({ method: 'transfer', amount: total, ...(tender.reference ? { reference: tender.reference } : {}) });
      break;
    case 'split': {
      if (tender.card > total) return { problem: 'The card part is more than the total.' };
      const cashDue = total - tender.card;
      if (tender.cash < cashDue) return { problem: 'Card and cash together are less than the total.' };
      if (tender.card > 0) payments.push({ method: 'card', amount: tender.card });
      if (cashDue > 0) payments.push({ method: 'cash', amount: cashDue, tendered: tender.cash });
      break;
    }
    case 'credit':
      if (tender.customerId === null) return { problem: 'Choose the customer who buys on credit.' };
      break;
  }
  const settled = settleTillPayments(total, payments);
  if (!settled.ok) return { problem: 'The payments do not add up to the total.' };
  return { payments, change: settled.settlement.change };
}
