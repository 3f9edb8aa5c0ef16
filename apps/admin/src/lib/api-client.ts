import type { FieldIssue } from './types';

/** Where the Platform API lives: same origin as the console (served by the API, or proxied by Vite). */
export const PLATFORM_API = '/api/platform';

interface ErrorPayload {
  code?: unknown;
  message?: unknown;
  requestId?: unknown;
  details?: unknown;
}

/** An error answered by the API (its `{ error: { code, message, requestId, details } }` body) or a network failure. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, requestId: string | null = null, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.details = details;
  }

  /** Field-level issues of a ValidationFailed answer, keyed by dotted path (`database.host`). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    if (!Array.isArray(this.details)) return out;
    for (const item of this.details as unknown[]) {
      if (!item || typeof item !== 'object') continue;
      const { path, message } = item as Partial<FieldIssue>;
      if (typeof message !== 'string') continue;
      const key = Array.isArray(path) ? path.join('.') : typeof path === 'string' ? path : '';
      if (key && !(key in out)) out[key] = message;
    }
    return out;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

async function errorFromResponse(res: Response): Promise<ApiError> {
  let payload: ErrorPayload | undefined;
  try {
    const body: unknown = await res.json();
    if (body && typeof body === 'object' && 'error' in body) payload = (body as { error: ErrorPayload }).error;
  } catch {
    // Not JSON (a proxy's error page, say): fall back to the status line.
  }
  const code = typeof payload?.code === 'string' ? payload.code : 'HttpError';
  const message =
    typeof payload?.message === 'string' && payload.message
      ? payload.message
      : `The server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`;
  const requestId = typeof payload?.requestId === 'string' ? payload.requestId : res.headers.get('x-request-id');
  return new ApiError(res.status, code, message, requestId, payload?.details);
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One JSON request to the Platform API. Resolves to the parsed body (undefined for 204), throws ApiError. */
export async function apiRequest<T>(method: HttpMethod, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${PLATFORM_API}${path}`, {
      method,
      headers,
      credentials: 'include',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(0, 'NetworkError', 'Could not reach the Salesfleet API. Check that the server is running and try again.');
  }
  if (!res.ok) throw await errorFromResponse(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(
      res.status,
      'InvalidResponse',
      'The server answered with something that is not JSON.',
      res.headers.get('x-request-id'),
    );
  }
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => apiRequest<T>('GET', path, undefined, signal),
  post: <T>(path: string, body?: unknown) => apiRequest<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => apiRequest<T>('PATCH', path, body),
  delete: <T>(path: string, body?: unknown) => apiRequest<T>('DELETE', path, body),
};

/** Encode a path segment (slugs and domains are safe already, but never trust that). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}
