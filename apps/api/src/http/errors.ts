import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { SalesfleetError, isSalesfleetError } from '@salesfleet/models';
import type { AppEnv } from '../app-env';
import { fromDatabaseError, loggableError } from './database-errors';
import { errorPage } from './html';
import { wantsJson } from './negotiate';

/** Status for every stable error code any package throws. Unknown codes of our errors → 400. */
const statusByCode: Record<string, ContentfulStatusCode> = {
  ValidationFailed: 400,
  SlugInvalid: 400,
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
  MethodNotAllowed: 405,
  Conflict: 409,
  SlugTaken: 409,
  InsufficientStock: 409,
  LimitReached: 409,
  DatabaseNotEmpty: 409,
  DatabaseExists: 409,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  TooManyAttempts: 429,
  ConfigError: 500,
  SecretUndecryptable: 500,
  MigrationFailed: 500,
  ProvisioningFailed: 500,
  DatabaseUnreachable: 503,
  ServiceBusy: 503,
  TenantUnavailable: 503,
  RegistryNotReady: 503,
  ConsoleNotBuilt: 503,
};

export function statusForCode(code: string): ContentfulStatusCode {
  return statusByCode[code] ?? 400;
}

/** Errors only the HTTP edge raises (the packages never know HTTP). */
export class Unauthenticated extends SalesfleetError {
  constructor(message = 'Sign in first: no valid session') {
    super('Unauthenticated', message);
  }
}

export class PermissionDenied extends SalesfleetError {
  constructor(permission: string) {
    super('PermissionDenied', `You lack the permission "${permission}"`, { permission });
  }
}

export class PasswordChangeRequired extends SalesfleetError {
  constructor() {
    super('PasswordChangeRequired', 'Change your one-time password first (POST change-password)');
  }
}

export class InvalidCredentials extends SalesfleetError {
  constructor() {
    super('InvalidCredentials', 'Wrong login or password');
  }
}

export class TooManyAttempts extends SalesfleetError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('TooManyAttempts', `Too many failed sign-ins; try again in ${retryAfterSeconds} seconds`, { retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class CsrfRejected extends SalesfleetError {
  constructor() {
    super(
      'CsrfRejected',
      'Cross-site request refused: cookie-authenticated writes need an Origin (or Referer) of this host; API clients should use Authorization: Bearer',
    );
  }
}

export class MalformedJson extends SalesfleetError {
  constructor() {
    super('MalformedJson', 'The request body is not valid JSON');
  }
}

export class UnsupportedMediaType extends SalesfleetError {
  constructor(contentType: string) {
    super('UnsupportedMediaType', `Send the body as application/json (got ${contentType.slice(0, 80) || 'no Content-Type'})`);
  }
}

export class PayloadTooLarge extends SalesfleetError {
  constructor(maxBytes: number) {
    super('PayloadTooLarge', `The request body exceeds ${maxBytes} bytes`, { maxBytes });
  }
}

export interface ErrorBody {
  error: { code: string; message: string; requestId: string; details?: unknown };
}

export function errorBody(c: Context<AppEnv>, code: string, message: string, details?: unknown): ErrorBody {
  return {
    error: { code, message, requestId: c.var.requestId ?? 'unknown', ...(details === undefined ? {} : { details }) },
  };
}

/**
 * An error answer in the form the client asked for: the JSON error body for `/api/*` and JSON clients,
 * a small HTML page for browsers.
 */
export function errorResponse(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  details?: unknown,
): Response {
  // A 503 is temporary by definition: tell clients when to come back even when the error did not say.
  const retryAfter = retryAfterSeconds(details) ?? (status === 503 ? 5 : null);
  if (retryAfter !== null) c.header('Retry-After', String(retryAfter));
  if (wantsJson(c)) return c.json(errorBody(c, code, message, details), status);
  return c.html(errorPage({ status, code, message, requestId: c.var.requestId ?? 'unknown', nonce: c.var.secureHeadersNonce }), status);
}

/** TooManyAttempts carries `details.retryAfterSeconds`; it becomes the Retry-After header. */
function retryAfterSeconds(details: unknown): number | null {
  const value =
    typeof details === 'object' && details !== null ? (details as { retryAfterSeconds?: unknown }).retryAfterSeconds : undefined;
  return typeof value === 'number' ? value : null;
}

/** The one error handler: our errors map code → status, HTTPException keeps its status, the rest is a 500. */
export function handleError(err: Error, c: Context<AppEnv>): Response {
  if (isSalesfleetError(err)) {
    const status = statusForCode(err.code);
    if (status >= 500) c.var.logger?.error({ err: { code: err.code, message: err.message } }, 'request failed');
    return errorResponse(c, status, err.code, err.message, err.details);
  }
  if (err instanceof HTTPException) {
    const res = err.getResponse();
    const status = res.status as ContentfulStatusCode;
    const code = status === 413 ? 'PayloadTooLarge' : status === 401 ? 'Unauthenticated' : status === 404 ? 'NotFound' : 'HttpError';
    return errorResponse(c, status, code, err.message || res.statusText || 'Request failed');
  }
  const mapped = fromDatabaseError(err, c.var.tenant?.slug);
  if (mapped) {
    const status = statusForCode(mapped.code);
    if (status >= 500) c.var.logger?.error({ err: loggableError(err) }, 'database unreachable');
    return errorResponse(c, status, mapped.code, mapped.message, mapped.details);
  }
  c.var.logger?.error({ err: loggableError(err) }, 'unhandled error');
  return errorResponse(c, 500, 'InternalError', 'Something went wrong on our side; the request id identifies it in our logs.');
}

/** The one not-found handler (no route matched). */
export function handleNotFound(c: Context<AppEnv>): Response {
  return errorResponse(c, 404, 'NotFound', `Nothing at ${c.req.method} ${c.req.path}`);
}
