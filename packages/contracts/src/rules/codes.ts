/** The short codes people type: account, tax-rate and unit codes; product SKUs (which may also hold `/`). */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const CODE_MESSAGE = 'letters, digits and . _ -';
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
export const SKU_MESSAGE = 'letters, digits and . _ / - (starting with a letter or digit)';
export const SKU_MAX_LENGTH = 64;

/**
 * A product's barcode (EAN/UPC digits or an in-house code): the API body, the product checks and the
 * CSV import all test this one pattern. Empty matches: an empty barcode means none.
 */
export const BARCODE_PATTERN = /^[A-Za-z0-9-]*$/;
export const BARCODE_MESSAGE = 'letters, digits and -';
/** The products.barcode column's width. */
export const BARCODE_MAX_LENGTH = 64;
