// Test helpers: render screens with a real QueryClient and router, over a scripted fetch
// (the console's only boundary; the Platform API itself is exercised by the end-to-end tests).

import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { RouterProvider, createMemoryRouter, type RouteObject } from 'react-router';
import { vi } from 'vitest';
import { createQueryClient } from '../api/query-client';
import { routes } from '../app';
import type { TenantHealth, TenantSummary } from '@salesfleet/contracts';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Headers;
  credentials: RequestCredentials | undefined;
}

export interface FakeResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

/** Answers `fetch` from a table keyed by "METHOD /path" (path below /api/platform, without the query). */
export function fakeApi(table: Record<string, Handler | FakeResponse>) {
  const requests: RecordedRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init?.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/^\/api\/platform/, '');
    const req: RecordedRequest = {
      method,
      path,
      query: url.searchParams,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      headers: new Headers(init?.headers),
      credentials: init?.credentials,
    };
    requests.push(req);
    const entry = table[`${method} ${path}`];
    if (!entry) {
      return json(404, { error: { code: 'NotFound', message: `no fake for ${method} ${path}`, requestId: 'req_fake' } });
    }
    const res = typeof entry === 'function' ? await entry(req) : entry;
    if (res.status === 204) return new Response(null, { status: 204 });
    return json(res.status ?? 200, res.body ?? {}, res.headers);
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    requests,
    calls: (method: string, path: string) => requests.filter((r) => r.method === method && r.path === path),
  };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function apiError(status: number, code: string, message: string, details?: unknown): FakeResponse {
  return { status, body: { error: { code, message, requestId: `req_${code}`, ...(details ? { details } : {}) } } };
}

export const signedInAdmin = {
  id: 1,
  username: 'admin',
  email: 'ops@salesfleet.test',
  mustChangePassword: false,
  lastLoginAt: null,
};

function testClient() {
  const client = createQueryClient();
  client.setDefaultOptions({ queries: { retry: false, staleTime: 0 }, mutations: { retry: false } });
  return client;
}

/** The whole console (auth gate included) at `path`. */
export function renderApp(path: string) {
  return renderRoutes(routes, path);
}

/** One element inside the providers, at `path` (for screens that read route params, use renderApp). */
export function renderWithProviders(ui: ReactElement, path = '/') {
  return renderRoutes([{ path: '*', element: ui }], path);
}

function renderRoutes(routeObjects: RouteObject[], path: string) {
  const client = testClient();
  const router = createMemoryRouter(routeObjects, { initialEntries: [path] });
  const result = render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { ...result, router, client };
}

export function tenantSummary(overrides: Partial<TenantSummary> = {}): TenantSummary {
  const slug = overrides.slug ?? 'acme';
  return {
    id: 1,
    slug,
    name: 'Acme Trading',
    status: 'active',
    engine: 'sqlite',
    adminEmail: `owner@${slug}.example`,
    url: `http://${slug}.localhost:8000/`,
    userCount: 3,
    maxUsers: 50,
    multiLocation: false,
    server: 'local',
    health: null,
    schemaVersion: '20250101-0003-accounting',
    pendingMigrations: 0,
    trialEndsAt: null,
    paidUntil: null,
    createdAt: '2025-03-01T10:00:00.000Z',
    updatedAt: '2025-03-01T10:00:00.000Z',
    ...overrides,
  };
}

export function tenantHealth(slug: string, overrides: Partial<TenantHealth> = {}): TenantHealth {
  return {
    slug,
    status: 'active',
    reachable: true,
    latencyMs: 4.2,
    schemaVersion: '20250101-0003-accounting',
    pendingMigrations: 0,
    sizeBytes: 1_500_000,
    userCount: 3,
    maxUsers: 50,
    checkedAt: new Date().toISOString(),
    ...overrides,
  };
}
