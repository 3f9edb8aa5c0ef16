/** One field-level problem of a ValidationFailed answer (`details` of the API's error body). */
export interface FieldIssue {
  path: string | (string | number)[];
  message: string;
}

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

export interface ApiClient {
  /** Where the API lives (same origin): `/api/platform` for the console, `/api` for the workspace. */
  readonly base: string;
  /** One JSON request. Resolves to the parsed body (undefined for 204), throws ApiError. */
  request<T>(method: HttpMethod, path: string, body?: unknown, signal?: AbortSignal): Promise<T>;
  get<T>(path: string, signal?: AbortSignal): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  delete<T>(path: string, body?: unknown): Promise<T>;
}

/**
 * A client for one API area on the page's own origin. The session is the API's HttpOnly cookie
 * (`credentials: 'include'`); writes carry the browser's Origin, which is what the API's CSRF rule checks.
 */
export function createApiClient(base: string): ApiClient {
  async function request<T>(method: HttpMethod, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
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
  return {
    base,
    request,
    get: (path, signal) => request('GET', path, undefined, signal),
    post: (path, body) => request('POST', path, body ?? {}),
    patch: (path, body) => request('PATCH', path, body),
    put: (path, body) => request('PUT', path, body),
    delete: (path, body) => request('DELETE', path, body),
  };
}

/** Encode a path segment (ids and slugs are safe already, but never trust that). */
export function seg(value: string | number): string {
  return encodeURIComponent(String(value));
}

/** A query string from the defined, non-empty values (`?a=1&b=x`), or '' when there are none. */
export function queryString(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}
