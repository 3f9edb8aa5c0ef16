import { z } from 'zod';
import { MAX_AMOUNT, MAX_BASIS_POINTS } from '../rules/money';

/** A discount: a percentage in basis points or a fixed amount of cents, not both. */
export const DiscountFields = {
  discountBp: z.number().int().min(0).max(MAX_BASIS_POINTS).nullable().optional().describe('basis points: 1000 = 10 % off'),
  discountAmount: z.number().int().min(0).max(MAX_AMOUNT).nullable().optional().describe('cents off (not with discountBp)'),
};

/** Refinement of an object with DiscountFields: at most one kind of discount. */
export function oneDiscountKind(value: { discountBp?: number | null; discountAmount?: number | null }): boolean {
  return value.discountBp === undefined || value.discountBp === null || value.discountAmount === undefined || value.discountAmount === null;
}
export const ONE_DISCOUNT_KIND = { path: ['discountAmount'], message: 'a percentage (discountBp) or an amount, not both' };

/** Whether a document or any of its lines carries a discount (cashiers may not give one). */
export function hasDiscount(document: {
  discountBp?: number | null;
  discountAmount?: number | null;
  lines?: readonly { discountBp?: number | null; discountAmount?: number | null }[];
}): boolean {
  const gives = (d: { discountBp?: number | null; discountAmount?: number | null }) => Boolean(d.discountBp) || Boolean(d.discountAmount);
  return gives(document) || (document.lines ?? []).some(gives);
}
