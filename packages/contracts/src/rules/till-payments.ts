/**
 * Money taken at the till when a sale is issued: one payment or several (cash + card…), in one
 * request. The API and the till's preview settle them with this one rule, so the change the cashier
 * is shown is the change the server computes.
 */

import type { PaymentMethod } from '../schemas/sales';

/** Payments one sale may take at the till. */
export const MAX_TILL_PAYMENTS = 10;

export interface TillPayment {
  method: PaymentMethod;
  /** Cents applied to the sale; may be left out on a single payment (the whole total). */
  amount?: number;
  reference?: string | null;
  /** Cash only: what the customer handed over (≥ amount); the difference is change. */
  tendered?: number | null;
}

export interface SettledPayment {
  method: PaymentMethod;
  amount: number;
  reference: string | null;
}

export interface TillSettlement {
  /** Cents applied to the sale: Σ amounts, at most the total. */
  paid: number;
  /** The payments to record, in the order given (none on a free sale). */
  payments: SettledPayment[];
  /** Cash to hand back: Σ (tendered − amount) over the cash payments. */
  change: number;
}

export type TillIssue = { path: string; message: string };

/** Where payment `i`'s fields are: `payments.0.` by default; a lone `payment` object says `payment.`. */
export const paymentPath = (i: number) => `payments.${i}.`;

/**
 * Settles `payments` against a sale of `total` cents, or says what is wrong (field paths from `at`).
 * Amounts are required when there are several payments; together they
 * are at most the total (the rest stays owed); a cash payment may name what was tendered, never less
 * than its amount.
 */
export function settleTillPayments(
  total: number,
  payments: readonly TillPayment[],
  at: (i: number) => string = paymentPath,
): { ok: true; settlement: TillSettlement } | { ok: false; issues: TillIssue[] } {
  const issues: TillIssue[] = [];
  const settled: SettledPayment[] = [];
  let paid = 0;
  let change = 0;
  payments.forEach((p, i) => {
    const here = at(i);
    if (p.amount === undefined && payments.length > 1) issues.push({ path: `${here}amount`, message: 'required when paying in parts' });
    const amount = p.amount ?? (payments.length > 1 ? 0 : total);
    const tendered = p.tendered ?? null;
    if (tendered !== null) {
      if (p.method !== 'cash') issues.push({ path: `${here}tendered`, message: 'only cash is tendered' });
      else if (tendered < amount) issues.push({ path: `${here}tendered`, message: `at least the amount (${amount})` });
      else change += tendered - amount;
    }
    paid += amount;
    if (amount > 0) settled.push({ method: p.method, amount, reference: p.reference?.trim() || null });
  });
  if (paid > total) issues.push({ path: payments.length === 1 ? `${at(0)}amount` : 'payments', message: `at most the total (${total})` });
  if (issues.length) return { ok: false, issues };
  return { ok: true, settlement: { paid, payments: settled, change } };
}
