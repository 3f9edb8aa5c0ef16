import { Hono } from 'hono';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { BaseEnv } from '../app-env';
import { requestContext } from './request-context';

/** An app with the request context, a tenant set after it (as the tenant app does) and a route that logs. */
function appWithLog() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const app = new Hono<BaseEnv>();
  app.use('*', requestContext<BaseEnv>({ logger, isTrustedProxy: () => false }));
  app.use('/t/*', async (c, next) => {
    c.set('tenant', { slug: 'acme' } as never);
    await next();
  });
  const route = (path: string) =>
    app.get(path, (c) => {
      c.var.logger.warn({ detail: 'x' }, 'something worth a line');
      c.var.logger.child?.({ step: 2 }).info('from a child');
      return c.json({ ok: true });
    });
  route('/t/log');
  route('/log');
  app.get('/quiet', (c) => c.json({ ok: true }));
  return { app, lines };
}

describe('the request logger', () => {
  it("binds the request id and the tenant's slug to what a handler logs", async () => {
    const { app, lines } = appWithLog();
    const res = await app.request('/t/log', { headers: { host: 'acme.localhost', 'x-request-id': 'req-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-1');
    expect(lines.find((l) => l.msg === 'something worth a line')).toMatchObject({ requestId: 'req-1', tenant: 'acme', detail: 'x' });
    expect(lines.find((l) => l.msg === 'from a child')).toMatchObject({ requestId: 'req-1', tenant: 'acme', step: 2 });
    expect(lines.filter((l) => l.msg === 'request')).toEqual([
      expect.objectContaining({ requestId: 'req-1', tenant: 'acme', status: 200 }),
    ]);
  });

  it('binds no tenant on a host without one, and a quiet request writes its request line only', async () => {
    const { app, lines } = appWithLog();
    await app.request('/log', { headers: { host: 'localhost', 'x-request-id': 'req-2' } });
    const line = lines.find((l) => l.msg === 'something worth a line');
    expect(line).toMatchObject({ requestId: 'req-2' });
    expect(line).not.toHaveProperty('tenant');
    lines.length = 0;
    await app.request('/quiet', { headers: { host: 'localhost', 'x-request-id': 'req-3' } });
    expect(lines).toEqual([expect.objectContaining({ msg: 'request', requestId: 'req-3', tenant: null })]);
  });
});
