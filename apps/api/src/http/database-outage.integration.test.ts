import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, testServerUrls } from '@salesfleet/models/testing';
import { createTestApp, TcpProxy, type TestApp } from '../testing';

// Issue 10 item 6: a tenant whose database goes away answers 503 with Retry-After (it answered 500
// InternalError and logged "unhandled error"), and serves again once the database is back.
const servers = (await testDialects()).filter((d) => d !== 'sqlite');

describe.each(servers)('a tenant whose %s database goes away', (engine) => {
  let t: TestApp;
  let proxy: TcpProxy;
  let host: string;
  let token: string;

  beforeAll(async () => {
    const real = new URL(testServerUrls[engine]);
    proxy = await TcpProxy.start({ host: real.hostname, port: Number(real.port) });
    const viaProxy = new URL(testServerUrls[engine]);
    viaProxy.port = String(proxy.port);
    t = await createTestApp({ engine, config: { tenantServerUrl: viaProxy.toString(), dbConnectTimeoutMs: 1000 } });
    ({ host } = await t.createTenant());
    token = await t.tenantLogin(host);
  });
  afterAll(async () => {
    await proxy.up();
    await t.cleanup();
    await proxy.down();
  });

  const products = () => t.request(host, '/api/products', { token, headers: { accept: 'application/json' } });

  it('answers 503 DatabaseUnreachable with Retry-After while it is away, then 200 again', async () => {
    expect((await products()).status).toBe(200);
    const before = t.logs.length;
    await proxy.down();
    // Connections cut mid-pool, then connects refused: every request is a 503, none a 500.
    for (let i = 0; i < 4; i++) {
      const res = await products();
      expect(res.status, `request ${i}`).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('DatabaseUnreachable');
      expect(body.error.message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|postgres:|mysql:/);
    }
    expect(t.logs.slice(before).filter((l) => l.msg === 'unhandled error')).toEqual([]);

    await proxy.up();
    const deadline = Date.now() + 5000;
    let status = 0;
    while (Date.now() < deadline && (status = (await products()).status) !== 200) await new Promise((r) => setTimeout(r, 100));
    expect(status).toBe(200);
  });
});
