import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isSalesfleetError, statusForCode, type ErrorCode } from '@salesfleet/contracts';
import type { BaseEnv } from '../app-env';
import { fromDatabaseError, loggableError } from './database-errors';
import { errorPage } from './html';
import { wantsJson } from './negotiate';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; details?: unknown };
}

export function errorBody<E extends BaseEnv>(c: Context<E>, code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return {
    error: { code, message, requestId: c.var.requestId ?? 'unknown', ...(details === undefined ? {} : { details }) },
  };
}

/**
 * An error answer in the form the client asked for: the JSON error body for `/api/*` and JSON clients,
 * a small HTML page for browsers.
 */
export function errorResponse<E extends BaseEnv>(
  c: Context<E>,
  status: ContentfulStatusCode,
  code: ErrorCode,
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

/** The one error handler: our errors map code → status (`codeToStatus`), HTTPException keeps its status, the rest is a 500. */
export function handleError<E extends BaseEnv>(err: Error, c: Context<E>): Response {
  if (isSalesfleetError(err)) {
    const status = statusForCode(err.code);
    if (status >= 500) c.var.logger?.error({ err: { code: err.code, message: err.message } }, 'request failed');
    return errorResponse(c, status, err.code, err.message, err.details);
  }
  if (err instanceof HTTPException) {
    const res = err.getResponse();
    const status = res.status as ContentfulStatusCode;
    const code: ErrorCode =
      status === 413 ? 'PayloadTooLarge' : status === 401 ? 'Unauthenticated' : status === 404 ? 'NotFound' : 'HttpError';
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
export function handleNotFound<E extends BaseEnv>(c: Context<E>): Response {
  return errorResponse(c, 404, 'NotFound', `Nothing at ${c.req.method} ${c.req.path}`);
}
