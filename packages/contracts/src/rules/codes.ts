/** The short codes people type: account, tax-rate and unit codes; product SKUs (which may also hold `/`). */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const CODE_MESSAGE = 'letters, digits and . _ -';
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
export const SKU_MESSAGE = 'letters, digits and . _ / - (starting with a letter or digit)';
