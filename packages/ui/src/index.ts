export { ApiError, createApiClient, isApiError, queryString, seg, type ApiClient, type FieldIssue, type HttpMethod } from './api-client';
export { downloadCsv, toCsv } from './csv';
export { ErrorNotice } from './error-notice';
export { CheckboxField, FormActions, Reveal, SelectField, TextField } from './field';
export {
  addDays,
  calendarDay,
  formatBytes,
  formatDate,
  formatDateTime,
  formatDuration,
  formatLatency,
  formatMoney,
  type MinorUnits,
  formatRate,
  formatRelative,
  fromDateInput,
  minorUnits,
  decimalAmount,
  moneyInput,
  parseMoney,
  toDateInput,
  type Currency,
  type Locale,
} from './format';
export { Pager } from './pager';
export { type AppQueryClientOptions, createAppQueryClient } from './query-client';
export { EmptyState, Loading, Notice } from './states';
export { columnsCsv, DataTable, ListFrame, type Column, type PageState, type QueryState } from './list-frame';
export { type PluralForms, plural, pluralWord } from './plural';
export { type DebouncedInputOptions, useDebouncedInput } from './use-debounced-input';
