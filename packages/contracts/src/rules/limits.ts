/** Bounds the API and the domain operations both enforce. */

/** Rows of one page of a list. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

// The largest amount of a document is money.ts' MAX_AMOUNT.

/** 10 000 000 000.00 in cents: a generous ceiling for a free-text unit price. */
export const MAX_UNIT_PRICE = 1_000_000_000_000;

export const MAX_INVOICE_LINES = 500;
export const MAX_MANUAL_LINES = 100;

/** Largest value of an INTEGER column (row ids, product prices). */
export const MAX_INT32 = 2_147_483_647;
