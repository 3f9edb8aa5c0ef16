import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isSalesfleetError } from '@salesfleet/models';
import type { AppEnv } from '../app-env';

/** Status for every stable error code any package throws. Unknown codes of our errors → 400. */
const statusByCode: Record<string, ContentfulStatusCode> = {
  ValidationFailed: 400,
  SlugInvalid: 400,
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
  TooManyAttempts: 429,
  MigrationFailed: 500,
  ProvisioningFailed: 500,
  DatabaseUnreachable: 503,
  TenantUnavailable: 503,
};

export function statusForCode(code: string): ContentfulStatusCode {
  return statusByCode[code] ?? 400;
}

export interface ErrorBody {
  error: { code: string; message: string; requestId: string; details?: unknown };
}

export function errorBody(c: Context<AppEnv>, code: string, message: string, details?: unknown): ErrorBody {
  return {
    error: { code, message, requestId: c.var.requestId ?? 'unknown', ...(details === undefined ? {} : { details }) },
  };
}

/** The one error handler: our errors map code → status, HTTPException keeps its status, the rest is a 500. */
export function handleError(err: Error, c: Context<AppEnv>): Response {
  if (isSalesfleetError(err)) {
    const status = statusForCode(err.code);
    if (status >= 500) c.var.logger?.error({ err: { code: err.code, message: err.message } }, 'request failed');
    return c.json(errorBody(c, err.code, err.message, err.details), status);
  }
  if (err instanceof HTTPException) {
    const res = err.getResponse();
    const status = res.status as ContentfulStatusCode;
    const code = status === 413 ? 'PayloadTooLarge' : status === 401 ? 'Unauthenticated' : 'HttpError';
    return c.json(errorBody(c, code, err.message || res.statusText || 'Request failed'), status);
  }
  c.var.logger?.error({ err }, 'unhandled error');
  return c.json(errorBody(c, 'InternalError', 'Something went wrong on our side; the request id identifies it in our logs.'), 500);
}
