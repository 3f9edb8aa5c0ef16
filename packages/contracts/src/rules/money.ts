/**
 * Largest amount of one document (an invoice line, an invoice, a payment, an expense, a discount), in
 * cents: 100 000 000 000.00. Far below Number.MAX_SAFE_INTEGER (≈ 9 × 10^15), so a document's own
 * arithmetic stays exact in JS numbers; the reports sum any number of them in BigInt.
 */
export const MAX_AMOUNT = 10_000_000_000_000;

/** Largest percentage in basis points (10 000 = 100 %): tax rates and discounts. */
export const MAX_BASIS_POINTS = 10_000;
