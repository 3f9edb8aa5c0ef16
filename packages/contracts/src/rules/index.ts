export { EMAIL_MAX_LENGTH, EMAIL_MESSAGE, emailSchema, isEmail, normalizeEmail } from './email';
export { ENGINES, engineSchema, isEngine, type Engine } from './engine';
export {
  assertStrongPassword,
  LOGIN_PASSWORD_MAX_LENGTH,
  loginPasswordSchema,
  newPasswordSchema,
  PASSWORD_POLICY,
  validatePasswordStrength,
} from './password';
export { formatQuantity, MAX_QUANTITY, parseQuantity, QUANTITY_DECIMALS, QUANTITY_SCALE } from './quantity';
export { RESERVED_LABELS } from './reserved-labels';
export { isValidSlug, SLUG_MAX_LENGTH, slugProblem, slugSchema, validateSlug } from './slug';
export { TENANT_STATUSES, tenantStatusSchema, type TenantStatus } from './tenant-status';
export { isUsername, USERNAME_MAX_LENGTH, USERNAME_MESSAGE, usernameSchema } from './username';
export {
  addReportAmounts,
  compareReportAmounts,
  MAX_AMOUNT,
  MAX_BASIS_POINTS,
  reportAmount,
  reportAmountBigInt,
  subtractReportAmounts,
  type ReportAmount,
} from './money';
export { isCalendarDate } from './calendar-date';
export {
  CURRENCY_CODES,
  CURRENCY_MESSAGE,
  CURRENCY_MINOR_UNITS,
  currencyCodeSchema,
  currencyMinorUnits,
  isCurrencyCode,
  isLocaleTag,
  isTimeZone,
  LOCALE_MESSAGE,
  localeSchema,
  TIME_ZONE_MESSAGE,
  timeZoneSchema,
  type CurrencyCode,
} from './currency';
export {
  DEFAULT_PAGE_SIZE,
  MAX_INT32,
  MAX_INVOICE_LINES,
  MAX_MANUAL_LINES,
  MAX_PAGE_SIZE,
  MAX_UNIT_PRICE,
} from './limits';
export { NUMBER_PREFIX, numberPrefixProblem, numberPrefixSchema } from './number-prefix';
export {
  BARCODE_MAX_LENGTH,
  BARCODE_MESSAGE,
  BARCODE_PATTERN,
  CODE_MESSAGE,
  CODE_PATTERN,
  SKU_MAX_LENGTH,
  SKU_MESSAGE,
  SKU_PATTERN,
} from './codes';
export {
  allocateProportionally,
  lineAmounts,
  priceLines,
  sumCents,
  taxOn,
  type DiscountInput,
  type LineAmounts,
  type PricedDocument,
  type PricedLine,
  type PricedLineInput,
  type PricingIssue,
} from './pricing';
export {
  MAX_TILL_PAYMENTS,
  paymentPath,
  settleTillPayments,
  type SettledPayment,
  type TillIssue,
  type TillPayment,
  type TillSettlement,
} from './till-payments';
export {
  isTenantServerName,
  MAX_SERVER_CAPACITY,
  SERVER_ENGINES,
  TENANT_SERVER_NAME_MESSAGE,
  TENANT_SERVER_STATES,
  tenantServerCapacitySchema,
  tenantServerNameSchema,
  tenantServerStateSchema,
  type ServerEngine,
  type TenantServerState,
} from './tenant-server';
