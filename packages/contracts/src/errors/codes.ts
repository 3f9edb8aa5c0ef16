/**
 * Every error code any Salesfleet package or app reports, and the HTTP status each one means. The
 * union is closed: a new code needs an entry here (the `satisfies` makes the map exhaustive), and an
 * error without one of these codes is a server fault (500), never the user's mistake.
 */
export const codeToStatus = {
  // The request is wrong (4xx).
  ValidationFailed: 400,
  MalformedJson: 400,
  Unauthenticated: 401,
  InvalidCredentials: 401,
  PaymentRequired: 402,
  TrialExpired: 402,
  PermissionDenied: 403,
  PasswordChangeRequired: 403,
  CsrfRejected: 403,
  TenantSuspended: 403,
  NotFound: 404,
  TenantNotFound: 404,
  Conflict: 409,
  SlugTaken: 409,
  InsufficientStock: 409,
  LimitReached: 409,
  DatabaseNotEmpty: 409,
  DatabaseExists: 409,
  ArchiveInvalid: 400,
  ArchiveTooNew: 409,
  SchemaTooNew: 409,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  TooManyAttempts: 429,
  // We failed (5xx).
  InternalError: 500,
  /** A framework HTTP error (Hono's HTTPException); the API answers with the exception's own status. */
  HttpError: 500,
  ConfigError: 500,
  SecretUndecryptable: 500,
  MigrationFailed: 500,
  ProvisioningFailed: 500,
  DatabaseUnreachable: 503,
  ServiceBusy: 503,
  ConnectionBudgetExhausted: 503,
  TenantUnavailable: 503,
  RegistryNotReady: 503,
  ConsoleNotBuilt: 503,
  WorkspaceNotBuilt: 503,
} as const satisfies Record<string, ErrorStatus>;

/** The statuses an error answer can have (all with a body). */
export type ErrorStatus = 400 | 401 | 402 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 502 | 503 | 504;

export type ErrorCode = keyof typeof codeToStatus;

export const ERROR_CODES = Object.keys(codeToStatus) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(codeToStatus, value);
}

/** The status of a code; anything that is not one of ours is a server fault. */
export function statusForCode(code: unknown): ErrorStatus {
  return isErrorCode(code) ? codeToStatus[code] : 500;
}
