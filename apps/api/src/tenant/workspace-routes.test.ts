import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonApi, twoTenantsWithCashier, type Json, type TestApp } from '../testing';
import { dateInTimeZone } from '@salesfleet/models';

let t: TestApp;
let host: string;
let otherHost: string;
let admin: string;
let cashier: string;
let other: string;
const { call, get, post } = jsonApi(() => ({ t, host, token: admin }));

let mainId: number;
let northId: number;
let mugId: number;
let teaId: number;

beforeAll(async () => {
  t = await createTestApp();
  ({ host, otherHost, admin, cashier, other } = await twoTenantsWithCashier(t, { multiLocation: true }));
  mainId = (await get('/locations')).body.locations[0].id;
  northId = (await post('/locations', { code: 'NORTH', name: 'North shop' })).body.location.id;
  mugId = (await post('/products', { sku: 'MUG-1', name: 'Blue mug', unitPrice: 1000, costPrice: 400 })).body.product.id;
  teaId = (await post('/products', { sku: 'TEA-1', name: 'Tea', unitPrice: 500, taxRateId: null })).body.product.id;
  for (const [productId, locationId, quantity] of [
    [mugId, mainId, 20],
    [teaId, mainId, 3],
    [mugId, northId, 10],
  ] as const) {
    expect((await post('/stock/adjustments', { productId, locationId, quantity, reason: 'receipt' })).status).toBe(201);
  }
});

afterAll(async () => {
  await t.cleanup();
});

describe('GET /api/workspace', () => {
  it('tells any signed-in user the name, formats, today, user limit and tax rates', async () => {
    const res = await get('/workspace', cashier);
    expect(res.status).toBe(200);
    expect(res.body.workspace).toMatchObject({
      name: expect.stringContaining('Tenant '),
      currency: 'USD',
      locale: 'en-US',
      timeZone: 'UTC',
      multiLocation: true,
      maxUsers: expect.any(Number),
      activeUsers: 2,
      today: dateInTimeZone('UTC'),
    });
    expect(res.body.workspace.taxRates).toEqual([expect.objectContaining({ rateBp: 2000 })]);
    expect((await get('/workspace', null)).status).toBe(401);
  });

  it('takes the company name, currency, locale and time zone from the tenant settings', async () => {
    const changed = await call('PATCH', '/settings', {
      token: other,
      on: otherHost,
      json: { companyName: 'Kissa Oy', currency: 'JPY', locale: 'ja-JP', timeZone: 'Pacific/Auckland' },
    });
    expect(changed.status).toBe(200);
    const res = await call('GET', '/workspace', { token: other, on: otherHost });
    expect(res.body.workspace).toMatchObject({
      name: 'Kissa Oy',
      currency: 'JPY',
      locale: 'ja-JP',
      timeZone: 'Pacific/Auckland',
      today: dateInTimeZone('Pacific/Auckland'),
    });
  });
});

describe('GET /api/session', () => {
  it('answers /auth/me and /workspace in one request, for the caller’s own tenant', async () => {
    const [session, me, workspace] = await Promise.all([get('/session', cashier), get('/auth/me', cashier), get('/workspace', cashier)]);
    expect(session.status).toBe(200);
    expect(session.body).toEqual({ me: me.body, workspace: workspace.body.workspace });
    expect(session.body.me.user.username).toBe('cashier');
    expect(session.body.me.permissions).not.toContain('auth.add_user');

    const theirs = await call('GET', '/session', { token: other, on: otherHost });
    expect(theirs.body.workspace.slug).not.toBe(session.body.workspace.slug);
    expect(theirs.body.me.user.username).not.toBe('cashier');
    // A session of one tenant is nobody on another's host.
    expect((await call('GET', '/session', { token: cashier, on: otherHost })).status).toBe(401);
    expect((await get('/session', null)).status).toBe(401);
  });

  it('names a user who must change a one-time password, without the workspace (which /workspace refuses them)', async () => {
    const created = await post('/users', { username: 'newbie', email: 'newbie@example.com', groups: ['Cashiers'] });
    expect(created.status).toBe(201);
    const login = await post('/auth/login', { login: 'newbie', password: created.body.oneTimePassword }, null);
    const newbie = login.body.token as string;
    expect((await get('/workspace', newbie)).status).toBe(403);
    const session = await get('/session', newbie);
    expect(session.status).toBe(200);
    expect(session.body.me.user).toMatchObject({ username: 'newbie', mustChangePassword: true });
    expect(session.body.workspace).toBeNull();

    const changed = await post(
      '/auth/change-password',
      { currentPassword: created.body.oneTimePassword, newPassword: 'till drawer 4821 green' },
      newbie,
    );
    expect(changed.status).toBe(200);
    const after = await get('/session', newbie);
    expect(after.body.me.user.mustChangePassword).toBe(false);
    expect(after.body.workspace).toMatchObject({ currency: 'USD', activeUsers: 3 });
    expect((await call('POST', `/users/${created.body.user.id}/deactivate`, { json: {} })).status).toBe(200);
  });

  it('is in the OpenAPI document', () => {
    const doc = t.docs.document() as Json;
    expect(doc.paths['/api/session'].get.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/WorkspaceSession',
    });
  });
});

describe('GET /api/dashboard', () => {
  it('sums today’s and the month’s sales, open receivables and low stock, per location', async () => {
    const customerId = (await post('/customers', { name: 'Grace' })).body.customer.id;
    // Main: one paid sale (2 mugs, 20 % tax = 2400) and one on credit (1 tea, untaxed = 500). North: one mug paid (1200).
    expect(
      (await post('/invoices', { locationId: mainId, lines: [{ productId: mugId, quantity: 2 }], payment: { method: 'cash' } }, cashier))
        .status,
    ).toBe(201);
    expect((await post('/invoices', { locationId: mainId, customerId, lines: [{ productId: teaId, quantity: 1 }] }, cashier)).status).toBe(
      201,
    );
    expect(
      (await post('/invoices', { locationId: northId, lines: [{ productId: mugId, quantity: 1 }], payment: { method: 'card' } })).status,
    ).toBe(201);

    const all = await get('/dashboard');
    expect(all.status).toBe(200);
    const d = all.body.dashboard;
    expect(d.sales).toEqual({ today: 4100, month: 4100, todayCount: 3, monthCount: 3 });
    expect(d.receivables).toEqual({ open: 500, count: 1 });
    expect(d.days).toHaveLength(30);
    expect(d.days.at(-1)).toEqual({ date: dateInTimeZone('UTC'), total: 4100, count: 3 });
    expect(d.days.slice(0, -1).every((day: Json) => day.total === 0)).toBe(true);
    expect(d.lowStock).toEqual([{ productId: teaId, sku: 'TEA-1', name: 'Tea', locationId: mainId, quantity: 2 }]);

    const north = (await get(`/dashboard?locationId=${northId}`)).body.dashboard;
    expect(north).toMatchObject({
      locationId: northId,
      sales: { today: 1200, todayCount: 1 },
      receivables: { open: 0, count: 0 },
      lowStock: [],
    });
  });

  it('is for those who may read reports: 403 to a cashier, 400 for a bad location id', async () => {
    const denied = await get('/dashboard', cashier);
    expect(denied.status).toBe(403);
    expect(denied.body.error.details).toEqual({ permission: 'accounting.view_reports' });
    expect((await get('/dashboard?locationId=abc')).status).toBe(400);
  });

  it('shows another tenant none of it', async () => {
    const theirs = (await call('GET', '/dashboard', { token: other, on: otherHost })).body.dashboard;
    expect(theirs.sales).toEqual({ today: 0, month: 0, todayCount: 0, monthCount: 0 });
    expect(theirs.lowStock).toEqual([]);
  });
});

describe('invoices: search and PDF', () => {
  it('finds invoices by number', async () => {
    const all = (await get('/invoices')).body.invoices as Json[];
    const target = all[0]!;
    const res = await get(`/invoices?q=${encodeURIComponent(target.number.toLowerCase())}`);
    expect(res.status).toBe(200);
    expect(res.body.invoices.map((i: Json) => i.id)).toEqual([target.id]);
    expect((await get('/invoices?q=NO-SUCH-NUMBER')).body).toMatchObject({ total: 0, invoices: [] });
    expect((await get(`/invoices?q=${'x'.repeat(101)}`)).status).toBe(400);
  });

  it('renders an invoice as a PDF download for anyone who may see invoices', async () => {
    const invoice = (await get('/invoices?status=issued')).body.invoices[0] as Json;
    const res = await t.request(host, `/api/invoices/${invoice.id}/pdf`, { token: cashier });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${invoice.number}.pdf"`);
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-6).toString()).toContain('%%EOF');
    expect(pdf.length).toBeGreaterThan(1000);
  });

  it('answers 404 for unknown or other tenants’ invoices and 401 without a session', async () => {
    const mine = (await get('/invoices')).body.invoices[0] as Json;
    expect((await t.request(host, '/api/invoices/999999/pdf', { token: admin })).status).toBe(404);
    expect((await t.request(otherHost, `/api/invoices/${mine.id}/pdf`, { token: other })).status).toBe(404);
    expect((await t.request(host, `/api/invoices/${mine.id}/pdf`)).status).toBe(401);
  });

  it('is in the OpenAPI document as a PDF answer', () => {
    const doc = t.docs.document() as Json;
    const op = doc.paths['/api/invoices/{id}/pdf'].get;
    expect(Object.keys(op.responses['200'].content)).toEqual(['application/pdf']);
    expect(op['x-permission']).toBe('sales.view_invoice');
    expect(doc.paths['/api/dashboard'].get['x-permission']).toBe('accounting.view_reports');
    expect(doc.paths['/api/workspace'].get).toBeDefined();
  });
});

describe('the locations a user may sell at', () => {
  it('lets a cashier sell only where an admin allowed them, and tells their app which', async () => {
    const cashierId = (await get('/users?search=cashier')).body.users[0].id as number;
    expect((await get('/auth/me', cashier)).body.locationIds).toBeNull();

    const set = await call('PUT', `/users/${cashierId}/locations`, { json: { locationIds: [northId] } });
    expect(set.status).toBe(200);
    expect(set.body.locationIds).toEqual([northId]);
    expect((await get('/auth/me', cashier)).body.locationIds).toEqual([northId]);
    expect((await get(`/users/${cashierId}/locations`)).body.locationIds).toEqual([northId]);

    const elsewhere = await post(
      '/invoices',
      { locationId: mainId, lines: [{ productId: mugId, quantity: 1 }], payment: { method: 'cash' } },
      cashier,
    );
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error).toMatchObject({ code: 'PermissionDenied', details: { locationId: mainId } });
    // A draft at another location (made by the admin) cannot be issued by the cashier either.
    const draft = await post('/invoices', { locationId: mainId, draft: true, lines: [{ productId: mugId, quantity: 1 }] });
    expect((await post(`/invoices/${draft.body.invoice.id}/issue`, {}, cashier)).status).toBe(403);
    // Restricted to one location, the cashier need not name it.
    const here = await post('/invoices', { lines: [{ productId: mugId, quantity: 1 }], payment: { method: 'card' } }, cashier);
    expect(here.status).toBe(201);
    expect(here.body.invoice.locationId).toBe(northId);

    expect((await call('PUT', `/users/${cashierId}/locations`, { json: { locationIds: [999999] } })).status).toBe(400);
    expect((await call('PUT', `/users/${cashierId}/locations`, { json: { locationIds: [] }, token: cashier })).status).toBe(403);
    expect((await call('PUT', '/users/999999/locations', { json: { locationIds: [] } })).status).toBe(404);
    const lifted = await call('PUT', `/users/${cashierId}/locations`, { json: { locationIds: [] } });
    expect(lifted.body.locationIds).toBeNull();
    expect(
      (await post('/invoices', { locationId: mainId, lines: [{ productId: mugId, quantity: 1 }], payment: { method: 'cash' } }, cashier))
        .status,
    ).toBe(201);
  });
});
