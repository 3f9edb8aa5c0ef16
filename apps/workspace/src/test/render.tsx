// Test helpers: render the workspace (auth gate included) with a real QueryClient and router over a
// scripted fetch — the app's only boundary; the tenant API itself is exercised by the API's tests
// and by the end-to-end tests against a real server.

import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { vi } from 'vitest';
import { createQueryClient } from '../api/query-client';
import type { Invoice, InvoiceLine, Me, Payment, Product, Workspace } from '../api/types';
import { routes } from '../app';
import { preloadApp } from '../lib/preload';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export interface FakeResponse {
  status?: number;
  body?: unknown;
}

export type Handler = (req: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

/** Answers `fetch` from a table keyed by "METHOD /path" (below /api, without the query). */
export function fakeApi(table: Record<string, Handler | FakeResponse>) {
  const requests: RecordedRequest[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), 'http://shop.localhost');
      const method = (init?.method ?? 'GET').toUpperCase();
      const path = url.pathname.replace(/^\/api/, '');
      const req: RecordedRequest = {
        method,
        path,
        query: url.searchParams,
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      };
      requests.push(req);
      const entry = table[`${method} ${path}`];
      const res = !entry
        ? { status: 404, body: { error: { code: 'NotFound', message: `no fake for ${method} ${path}`, requestId: 'req_fake' } } }
        : typeof entry === 'function'
          ? await entry(req)
          : entry;
      if (res.status === 204) return new Response(null, { status: 204 });
      return new Response(JSON.stringify(res.body ?? {}), { status: res.status ?? 200, headers: { 'content-type': 'application/json' } });
    }),
  );
  return { requests, calls: (method: string, path: string) => requests.filter((r) => r.method === method && r.path === path) };
}

export function apiError(status: number, code: string, message: string, details?: unknown): FakeResponse {
  return { status, body: { error: { code, message, requestId: `req_${code}`, ...(details ? { details } : {}) } } };
}

export function me(permissions: string[], overrides: Partial<Me['user']> = {}, groups = ['Cashiers']): Me {
  return {
    user: {
      id: 2,
      username: 'cashier',
      email: 'cashier@shop.example',
      firstName: 'Casey',
      lastName: '',
      isActive: true,
      isSuperuser: false,
      mustChangePassword: false,
      lastLoginAt: null,
      ...overrides,
    },
    permissions,
    groups,
    locationIds: null,
  };
}

/** `/api/session` as the API answers it: the user and, unless a password change is pending, the workspace. */
export function session(user: Me, ws: Workspace = workspace()): FakeResponse {
  return { body: { me: user, workspace: user.user.mustChangePassword ? null : ws } };
}

export const CASHIER = [
  'sales.view_product',
  'sales.view_customer',
  'sales.add_customer',
  'sales.view_invoice',
  'sales.add_invoice',
  'sales.view_payment',
  'sales.add_payment',
  'sales.view_location',
];

export function workspace(overrides: Partial<Workspace> = {}): Workspace {
  return {
    name: 'Corner Shop',
    slug: 'corner',
    currency: 'EUR',
    locale: 'en-IE',
    timeZone: 'UTC',
    multiLocation: false,
    maxUsers: 5,
    activeUsers: 2,
    today: '2026-03-10',
    taxRates: [{ id: 1, rateBp: 2000, isInclusive: false }],
    ...overrides,
  };
}

export function product(overrides: Partial<Product> & { id: number; sku: string }): Product {
  return {
    name: overrides.sku,
    description: null,
    unitPrice: 1000,
    costPrice: null,
    taxRateId: 1,
    unitId: null,
    categoryId: null,
    barcode: null,
    onHand: 10,
    inventoryValue: 0,
    allowNegativeStock: false,
    trackBatches: false,
    isActive: true,
    stock: [{ locationId: 1, quantity: 10 }],
    createdAt: '2026-03-01T09:00:00Z',
    updatedAt: '2026-03-01T09:00:00Z',
    ...overrides,
  };
}

/** An invoice as the API answers it: issued and paid at the main location, no lines unless given. */
export function invoice(overrides: Partial<Invoice> = {}): Invoice {
  return {
    id: 41,
    number: 'INV-000041',
    status: 'paid',
    locationId: 1,
    customerId: null,
    issueDate: '2026-03-10',
    discountBp: null,
    discountAmount: 0,
    discountTotal: 0,
    subtotal: 0,
    tax: 0,
    total: 0,
    amountPaid: 0,
    amountCredited: 0,
    creditedTotal: 0,
    creditStatus: 'none',
    amountDue: 0,
    notes: null,
    quoteId: null,
    createdBy: 1,
    createdAt: '2026-03-10T10:00:00Z',
    updatedAt: '2026-03-10T10:00:00Z',
    lines: [],
    payments: [],
    ...overrides,
  };
}

/** A product line of an invoice, without discounts; the amounts are as given (default 0). */
export function invoiceLine(
  overrides: Partial<InvoiceLine> & Pick<InvoiceLine, 'id' | 'description' | 'quantity' | 'unitPrice'>,
): InvoiceLine {
  return {
    productId: null,
    taxRateBp: 0,
    taxInclusive: false,
    discountBp: null,
    discountAmount: 0,
    invoiceDiscount: 0,
    lineSubtotal: 0,
    lineTax: 0,
    lineTotal: 0,
    ...overrides,
  };
}

/** A payment as the API answers it. */
export function payment(overrides: Partial<Payment> & Pick<Payment, 'id' | 'invoiceId' | 'amount' | 'method'>): Payment {
  return { reference: null, receivedAt: '2026-03-10T10:00:00Z', createdBy: 1, createdAt: '2026-03-10T10:00:00Z', ...overrides };
}

/** The app at `path`, opened as main.tsx opens it (the session and the screen's reads started before the first render). */
export function renderApp(path: string) {
  const client = createQueryClient();
  client.setDefaultOptions({ queries: { retry: false, staleTime: 0 }, mutations: { retry: false } });
  preloadApp(client, path);
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const result = render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { ...result, router, client };
}
