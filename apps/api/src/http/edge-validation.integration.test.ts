import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, jsonApi, TEST_PASSWORD, type TestApp } from '../testing';

// Issue 10 items 10 and 16: input the databases cannot take (a NUL byte: SQLite's driver throws on
// it) is refused at the edge with a 400, and a rule that fails is named in the answer.
describe('edge validation (SQLite tenant)', () => {
  let t: TestApp;
  let host: string;
  let token: string;
  const api = jsonApi(() => ({ t, host, token }));

  beforeAll(async () => {
    t = await createTestApp();
    ({ host } = await t.createTenant());
    token = await t.tenantLogin(host);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('answers a NUL byte in a login name with 400, on tenant and platform sign-in', async () => {
    for (const [on, path] of [
      [host, '/auth/login'],
      ['localhost', '/platform/auth/login'],
    ] as const) {
      const res = await api.call('POST', path, { on, token: null, json: { login: 'adm\u0000in', password: 'whatever it is' } });
      expect(res.status, path).toBe(400);
      expect(res.body.error).toMatchObject({
        code: 'ValidationFailed',
        details: [{ path: 'login', message: expect.stringMatching(/NUL/) }],
      });
    }
  });

  it('answers a NUL byte in q or search with 400', async () => {
    for (const path of ['/products?q=a%00b', '/customers?q=a%00b', '/users?search=a%00b']) {
      const res = await api.get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code).toBe('ValidationFailed');
    }
    // Still fine without it.
    expect((await api.get('/products?q=ab')).status).toBe(200);
  });

  it('answers a NUL byte anywhere in a JSON body with 400, naming the field', async () => {
    const res = await api.post('/customers', { name: 'Acme\u0000Corp' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'name', message: expect.stringMatching(/NUL/) }]);
  });

  it('answers absurdly nested JSON with 400 instead of exhausting the stack (500)', async () => {
    const res = await t.request(host, '/api/customers', {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json' },
      body: `${'['.repeat(5000)}${']'.repeat(5000)}`,
    });
    expect(res.status).toBe(400);
  });

  it('names the failed rule when a new password has 11 characters', async () => {
    const res = await api.post('/auth/change-password', { currentPassword: TEST_PASSWORD, newPassword: 'elevenchars' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/newPassword: at least 12 characters/);
    expect(res.body.error.details).toEqual([{ path: 'newPassword', message: 'at least 12 characters' }]);
    const created = await api.post('/users', {
      username: 'shorty',
      email: 'shorty@example.com',
      password: 'elevenchars',
      groups: ['Cashiers'],
    });
    expect(created.status).toBe(400);
    expect(created.body.error.message).toMatch(/at least 12 characters/);
  });
});
