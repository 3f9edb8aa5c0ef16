import { Hono } from 'hono';
import { pino } from 'pino';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects } from '@salesfleet/models/testing';
import type { AppEnv } from '../app-env';
import { createTestApp, jsonApi, type TestApp } from '../testing';
import { handleError } from './errors';

const dialects = await testDialects();

// Issue 10 item 11: an invoice for a customer deleted meanwhile answered 500 ForeignKeyConstraintError.
// The race is made deterministic: another transaction deletes the customer and holds its row lock
// while the API creates the invoice (which has already seen the customer), then commits.
describe.each(dialects.filter((d) => d !== 'sqlite'))('an invoice racing the deletion of its customer on %s', (engine) => {
  let t: TestApp;
  let host: string;
  let token: string;
  const api = jsonApi(() => ({ t, host, token }));

  beforeAll(async () => {
    t = await createTestApp({ engine });
    ({ host } = await t.createTenant());
    token = await t.tenantLogin(host);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('answers 409 Conflict (or 404), never a 500', async () => {
    const customer = await api.post('/customers', { name: 'Vanishing Ltd' });
    expect(customer.status).toBe(201);
    const customerId = customer.body.customer.id as number;
    const tenant = await t.tenancy.registry.getTenant(host.split('.')[0]!);
    await t.tenancy.connections.withTenant(tenant, async ({ sequelize, models }) => {
      const deleting = await sequelize.transaction();
      await models.Customer.destroy({ where: { id: customerId }, transaction: deleting });
      const creating = api.post('/invoices', {
        customerId,
        draft: true,
        lines: [{ description: 'Consulting', quantity: 1, unitPrice: 1000 }],
      });
      // Let the API read the (still committed) customer and block on the foreign key check.
      await new Promise((r) => setTimeout(r, 700));
      await deleting.commit();
      const res = await creating;
      expect([404, 409], JSON.stringify(res.body)).toContain(res.status);
      expect(res.body.error.code).not.toBe('InternalError');
    });
    expect(t.logs.filter((l) => l.msg === 'unhandled error')).toEqual([]);
  });
});

// Issue 10 item 14: the log of an unknown database error carries the statement, not the values.
describe.each(dialects)('logging an unknown database error on %s', (engine) => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('logs the statement without its bound values', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const app = new Hono<AppEnv>();
    app.onError(handleError);
    app.use('*', async (c, next) => {
      c.set('requestId', 'r1');
      c.set('logger', logger);
      await next();
    });
    app.get('/', async () => {
      await db.connect().query('SELECT id FROM no_such_table WHERE login = :login AND note = :note AND pin = :pin', {
        replacements: { login: 'alice.secret-login', note: "o'reilly private note", pin: 48151623 },
        type: QueryTypes.SELECT,
      });
      throw new Error('unreachable');
    });
    const res = await app.request('/', { headers: { accept: 'application/json' } });
    expect(res.status).toBe(500);
    const log = lines.join('');
    expect(log).toContain('unhandled error');
    expect(log).toMatch(/no_such_table WHERE login = \? AND note = \? AND pin = \?/);
    for (const secret of ['alice.secret-login', 'reilly private', '48151623']) expect(log).not.toContain(secret);
  });
});
