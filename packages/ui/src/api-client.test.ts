import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient } from './api-client';

const apiRequest = createApiClient('/api/platform').request;

function stubFetch(response: Response | Error) {
  const fetchMock = vi.fn(async () => {
    if (response instanceof Error) throw response;
    return response;
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

describe('createApiClient', () => {
  it('sends JSON with the session cookie to /api/platform and parses the answer', async () => {
    const fetchMock = stubFetch(new Response(JSON.stringify({ tenants: [] }), { status: 200 }));
    await expect(apiRequest('POST', '/tenants', { name: 'Acme' })).resolves.toEqual({ tenants: [] });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/platform/tenants');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('include');
    expect(init.body).toBe('{"name":"Acme"}');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  it('resolves undefined for 204', async () => {
    stubFetch(new Response(null, { status: 204 }));
    await expect(apiRequest('DELETE', '/tenants/acme/domains/x.example')).resolves.toBeUndefined();
  });

  it('throws ApiError carrying the error body', async () => {
    const details = [
      { path: ['subdomain'], message: 'taken' },
      { path: 'database.host', message: 'unknown host' },
    ];
    stubFetch(
      new Response(JSON.stringify({ error: { code: 'ValidationFailed', message: 'Invalid input.', requestId: 'req_1', details } }), {
        status: 400,
      }),
    );
    const error = await apiRequest('POST', '/tenants', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect([apiError.status, apiError.code, apiError.message, apiError.requestId]).toEqual([
      400,
      'ValidationFailed',
      'Invalid input.',
      'req_1',
    ]);
    expect(apiError.details).toEqual(details);
    expect(apiError.fieldErrors()).toEqual({ subdomain: 'taken', 'database.host': 'unknown host' });
  });

  it('turns a non-JSON failure into an ApiError with the status', async () => {
    stubFetch(new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'x-request-id': 'edge-9' } }));
    const error = (await apiRequest('GET', '/tenants').catch((e: unknown) => e)) as ApiError;
    expect([error.status, error.code, error.requestId]).toEqual([502, 'HttpError', 'edge-9']);
    expect(error.message).toBe('The server answered 502 Bad Gateway.');
  });

  it('turns a network failure into a NetworkError', async () => {
    stubFetch(new TypeError('fetch failed'));
    const error = (await apiRequest('GET', '/tenants').catch((e: unknown) => e)) as ApiError;
    expect([error.status, error.code]).toEqual([0, 'NetworkError']);
    expect(error.message).toMatch(/Could not reach the Salesfleet API/);
  });
});
