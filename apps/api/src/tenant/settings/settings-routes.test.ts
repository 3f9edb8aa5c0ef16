import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateInTimeZone } from '@salesfleet/models';
import { createTestApp, jsonApi, TEST_PASSWORD, twoTenantsWithCashier, type TestApp } from '../../testing';

let t: TestApp;
let host: string;
let otherHost: string;
let admin: string;
let cashier: string;
let manager: string;
let other: string;
const { call, get, post, patch } = jsonApi(() => ({ t, host, token: admin }));

beforeAll(async () => {
  t = await createTestApp();
  ({ host, otherHost, admin, cashier, other } = await twoTenantsWithCashier(t));
  const created = await post('/users', {
    username: 'manager',
    email: 'manager@example.com',
    password: TEST_PASSWORD,
    groups: ['Managers'],
  });
  expect(created.status).toBe(201);
  manager = await t.tenantLogin(host, 'manager');
});

afterAll(async () => {
  await t.cleanup();
});

describe('settings routes', () => {
  it('are documented; 401 without a session; reading is open to every user, changing and closing are admin-only', async () => {
    const ops = t.docs.operations().filter((op) => /^\/api\/(settings|periods)/.test(op.path));
    expect(ops.map((o) => `${o.method} ${o.path} ${o.permission ?? '-'}`).sort()).toEqual([
      'get /api/settings -',
      'patch /api/settings settings.change_settings',
      'post /api/periods/close accounting.close_period',
    ]);
    for (const op of ops) {
      const res = await call(op.method.toUpperCase(), op.path.replace(/^\/api/, ''), { token: null, json: op.body ? {} : undefined });
      expect(res.status, `${op.method} ${op.path}`).toBe(401);
    }
    expect((await get('/settings', cashier)).status).toBe(200);
    for (const token of [cashier, manager]) {
      const denied = await patch('/settings', { companyName: 'x' }, token);
      expect(denied.status).toBe(403);
      expect(denied.body.error.details).toEqual({ permission: 'settings.change_settings' });
      expect((await post('/periods/close', { through: '2020-01-31' }, token)).body.error.details).toEqual({
        permission: 'accounting.close_period',
      });
    }
    const doc = (await get('/openapi.json', null)).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/settings', '/api/periods/close']));
  });

  it("reads the company's settings, with the company name from provisioning and today in its time zone", async () => {
    const res = await get('/settings');
    expect(res.status).toBe(200);
    expect(res.body.settings).toMatchObject({
      companyName: expect.any(String),
      currency: 'USD',
      currencyMinorUnits: 2,
      timeZone: 'UTC',
      invoicePrefix: 'INV-',
    });
    expect(res.body.settings.companyName.length).toBeGreaterThan(0);
  });

  it('changes settings with field-level errors; another tenant is untouched', async () => {
    const bad = await patch('/settings', {
      currency: 'XYZ',
      timeZone: 'Moon/Base',
      locale: '??',
      invoicePrefix: 'A1',
      fiscalYearStartMonth: 0,
      extra: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(
      ['', 'currency', 'fiscalYearStartMonth', 'invoicePrefix', 'locale', 'timeZone'].sort(),
    );
    const ok = await patch('/settings', {
      companyName: 'Lagos Traders',
      companyTaxNumber: 'NG-123',
      currency: 'NGN',
      timeZone: 'Africa/Lagos',
      locale: 'en-NG',
      invoicePrefix: 'LT-',
    });
    expect(ok.status).toBe(200);
    expect(ok.body.settings).toMatchObject({
      companyName: 'Lagos Traders',
      currency: 'NGN',
      timeZone: 'Africa/Lagos',
      today: dateInTimeZone('Africa/Lagos'),
      invoicePrefix: 'LT-',
    });
    expect((await get('/settings', other)).status).toBe(401); // the other tenant's token means nothing here
    expect((await call('GET', '/settings', { token: other, on: otherHost })).body.settings).toMatchObject({
      currency: 'USD',
      invoicePrefix: 'INV-',
    });

    const location = (await get('/locations')).body.locations[0].id;
    const invoice = await post('/invoices', { locationId: location, lines: [{ description: 'Service', quantity: 1, unitPrice: 5000 }] });
    expect(invoice.status).toBe(201);
    expect(invoice.body.invoice).toMatchObject({ number: 'LT-000001', issueDate: dateInTimeZone('Africa/Lagos') });
    const change = await patch('/settings', { currency: 'EUR' });
    expect(change.status).toBe(409);
    expect(change.body.error.details).toMatchObject({ reason: 'booksNotEmpty' });
  });

  it('closes a period; postings dated into it are refused with 409', async () => {
    const location = (await get('/locations')).body.locations[0].id;
    expect(
      (
        await post('/invoices', {
          locationId: location,
          issueDate: '2026-01-15',
          lines: [{ description: 'Old', quantity: 1, unitPrice: 100 }],
        })
      ).status,
    ).toBe(201);
    const closed = await post('/periods/close', { through: '2026-01-31' });
    expect(closed.status).toBe(200);
    expect(closed.body.settings.closedThrough).toBe('2026-01-31');
    const late = await post('/invoices', {
      locationId: location,
      issueDate: '2026-01-31',
      lines: [{ description: 'Late', quantity: 1, unitPrice: 100 }],
    });
    expect(late.status).toBe(409);
    expect(late.body.error.details).toMatchObject({ reason: 'periodClosed', closedThrough: '2026-01-31' });
    expect((await post('/periods/close', { through: '2025-12-31' })).status).toBe(409);
    expect((await post('/periods/close', { through: 'soon' })).status).toBe(400);
  });
});
