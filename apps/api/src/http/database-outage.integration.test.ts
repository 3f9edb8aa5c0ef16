import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestServerAdmin, type TestServerAdmin, testDialects, testServerUrls } from '@salesfleet/models/testing';
import { createTestApp, TcpProxy, type TestApp } from '../testing';

// Issue 10 item 6: a tenant whose database goes away answers 503 with Retry-After (it answered 500
// InternalError and logged "unhandled error"), and serves again once the database is back.
const servers = (await testDialects()).filter((d): d is 'postgres' | 'mysql' => d !== 'sqlite');

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

// Issue 16.4: a server that refuses a tenant more connections while its handle is already open
// (max_connections, a role's or user's connection limit) answered 500 for the requests that needed
// one more connection; they are 503 with Retry-After like any unreachable database.
describe.each(servers)('a tenant whose %s server refuses it more connections', (engine) => {
  const account = `sf_limited_${randomBytes(4).toString('hex')}`;
  let t: TestApp;
  let admin: TestServerAdmin;

  beforeAll(async () => {
    admin = await connectTestServerAdmin(engine);
    const url = new URL(testServerUrls[engine]);
    if (engine === 'postgres') {
      await admin.run(`CREATE ROLE "${account}" LOGIN CREATEDB`);
    } else {
      await admin.run(`CREATE USER '${account}'@'%'`);
      await admin.run(`GRANT ALL PRIVILEGES ON *.* TO '${account}'@'%'`);
    }
    url.username = account;
    t = await createTestApp({ engine, config: { tenantServerUrl: url.toString(), tenantPoolMax: 6, dbConnectTimeoutMs: 2000 } });
  });
  afterAll(async () => {
    await t?.cleanup();
    await admin
      .run(engine === 'postgres' ? `DROP ROLE IF EXISTS "${account}"` : `DROP USER IF EXISTS '${account}'@'%'`)
      .catch(() => undefined);
    await admin.close();
  });

  it('answers 503 with Retry-After, never 500, to the requests the server refuses', async () => {
    const { host } = await t.createTenant();
    const token = await t.tenantLogin(host);
    const products = () => t.request(host, '/api/products', { token, headers: { accept: 'application/json' } });
    expect((await products()).status).toBe(200);
    // The open handle keeps its connection; every further one is refused by the server.
    await admin.run(
      engine === 'postgres' ? `ALTER ROLE "${account}" CONNECTION LIMIT 1` : `ALTER USER '${account}'@'%' WITH MAX_USER_CONNECTIONS 1`,
    );
    const before = t.logs.length;
    const responses = await Promise.all(Array.from({ length: 12 }, () => products()));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(statuses).toContain(503);
    for (const r of responses.filter((x) => x.status === 503)) expect(r.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
    expect(t.logs.slice(before).filter((l) => l.msg === 'unhandled error')).toEqual([]);
  });
});
