import { formatQuantity, parseQuantity } from '@salesfleet/contracts';

/** Thousandths of a positive quantity typed by a user ("1.5" → 1500), or null (empty, 0, negative, > 3 decimals). */
export function positiveQuantity(text: string): number | null {
  const q = parseQuantity(text);
  return q !== null && q > 0 ? q : null;
}

/** The API's decimal text of a quantity in thousandths (1500 → "1.5"), never a binary fraction. */
export const quantityText = formatQuantity;

/** Thousandths of a quantity the API answered as a decimal number (its text is exact). */
export function thousandths(apiQuantity: number): number {
  return parseQuantity(apiQuantity) ?? 0;
}
