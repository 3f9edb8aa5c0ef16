import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './server';
import { createTestApp, TEST_PASSWORD, type TestApp } from './testing';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request over a real socket, with any Host header we like. */
function send(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

describe('over a real socket, no trusted proxy', () => {
  let t: TestApp;
  let server: RunningServer;
  let acme: { slug: string; host: string };
  let beta: { slug: string; host: string };

  beforeAll(async () => {
    t = await createTestApp();
    [acme, beta] = await Promise.all([t.createTenant(), t.createTenant()]);
    server = await startServer(t.app, { port: 0, hostname: '127.0.0.1' });
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });

  it('routes by the Host header', async () => {
    const page = await send(server.port, '/', { headers: { host: `${acme.host}:${server.port}`, accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.body).toContain(`Tenant ${acme.slug}`);
    const landing = await send(server.port, '/', { headers: { host: `localhost:${server.port}`, accept: 'text/html' } });
    expect(landing.body).toContain('Go to your workspace');
  });

  it('ignores X-Forwarded-Host from an untrusted peer: a forged header reaches no tenant', async () => {
    const viaPlatform = await send(server.port, '/', {
      headers: { host: 'localhost', 'x-forwarded-host': acme.host, accept: 'text/html' },
    });
    expect(viaPlatform.status).toBe(200);
    expect(viaPlatform.body).toContain('Go to your workspace');
    expect(viaPlatform.body).not.toContain(acme.slug);
    const unknown = await send(server.port, '/api/auth/me', { headers: { host: 'nobody.localhost', 'x-forwarded-host': acme.host } });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: { code: 'TenantNotFound' } });
  });

  it('a forged Host cannot smuggle a tenant through odd spellings', async () => {
    for (const host of [`${acme.host}.evil.example`, `evil.example/${acme.host}`, `${acme.slug}`, `${acme.slug}.localhost@evil.example`]) {
      const res = await send(server.port, '/api/auth/me', { headers: { host } });
      expect(res.status, host).not.toBe(401); // 401 would mean it reached acme's auth
      expect([400, 404]).toContain(res.status);
    }
  });

  it('signs in with the cookie, keeps the session on the same host only, and writes with Origin', async () => {
    const host = `${acme.host}:${server.port}`;
    const login = await send(server.port, '/api/auth/login', {
      method: 'POST',
      headers: { host, 'content-type': 'application/json', origin: `http://${host}` },
      body: JSON.stringify({ login: 'admin', password: TEST_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const setCookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []);
    const cookie = setCookie[0]!.split(';')[0]!;
    expect(cookie).toMatch(/^sf_session=/);
    expect(setCookie[0]).not.toMatch(/Secure/i);

    const me = await send(server.port, '/api/auth/me', { headers: { host, cookie } });
    expect(me.status).toBe(200);
    const onBeta = await send(server.port, '/api/auth/me', { headers: { host: `${beta.host}:${server.port}`, cookie } });
    expect(onBeta.status).toBe(401);

    const write = await send(server.port, '/api/locations/1', {
      method: 'PATCH',
      headers: { host, cookie, origin: `http://${host}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Over the wire' }),
    });
    expect(write.status).toBe(200);
    const forged = await send(server.port, '/api/locations/1', {
      method: 'PATCH',
      headers: { host, cookie, origin: 'http://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Hijacked' }),
    });
    expect(forged.status).toBe(403);
  });

  it('answers an invalid punycode label in Host with 404 and security headers, never a 500 or a stack trace', async () => {
    const before = t.rawLogs().length;
    for (const host of [`xn--secs01.localhost:${server.port}`, 'xn--secs01.localhost', `xn--.${acme.host}`, 'xn--a.localhost']) {
      for (const accept of ['application/json', 'text/html']) {
        const res = await send(server.port, '/api/auth/me', { headers: { host, accept } });
        expect([400, 404], `${host} ${accept}`).toContain(res.status);
        expect(res.headers['x-frame-options'], host).toBe('DENY');
        expect(res.headers['content-security-policy'], host).toBeDefined();
        expect(res.body).not.toMatch(/at [\w.<>]+ \(|TypeError|Invalid URL/);
      }
    }
    expect(t.rawLogs().slice(before)).not.toMatch(/"stack"|unhandled error/);
  });

  it('throttles by the socket address', async () => {
    const host = beta.host;
    for (let i = 0; i < 5; i++) {
      const res = await send(server.port, '/api/auth/login', {
        method: 'POST',
        headers: { host, 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}` },
        body: JSON.stringify({ login: `someone${i}`, password: 'wrong' }),
      });
      expect(res.status).toBe(401);
    }
    // X-Forwarded-For from an untrusted peer changes nothing: the socket address is blocked.
    const blocked = await send(server.port, '/api/auth/login', {
      method: 'POST',
      headers: { host, 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.7' },
      body: JSON.stringify({ login: 'admin', password: TEST_PASSWORD }),
    });
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toMatch(/^\d+$/);
  });
});

describe('over a real socket, behind a trusted proxy', () => {
  let t: TestApp;
  let server: RunningServer;
  let acme: { slug: string; host: string };

  beforeAll(async () => {
    t = await createTestApp({ config: { trustedProxies: ['127.0.0.1/32', '::1'] } });
    acme = await t.createTenant();
    server = await startServer(t.app, { port: 0, hostname: '127.0.0.1' });
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });

  it('honours X-Forwarded-Host and X-Forwarded-Proto from the proxy', async () => {
    const page = await send(server.port, '/', {
      headers: { host: 'internal-upstream:8000', 'x-forwarded-host': acme.host, 'x-forwarded-proto': 'https', accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(page.body).toContain(`Tenant ${acme.slug}`);
    expect(page.headers['strict-transport-security']).toContain('max-age=');
    const line = t.logs.filter((l) => l.path === '/' && l.host === acme.host).at(-1);
    expect(line).toMatchObject({ tenant: acme.slug, status: 200 });
  });

  it('sets a Secure cookie when the client came over https, and checks Origin against the forwarded host', async () => {
    const login = await send(server.port, '/api/auth/login', {
      method: 'POST',
      headers: { host: 'upstream', 'x-forwarded-host': acme.host, 'x-forwarded-proto': 'https', 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: TEST_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const setCookie = ([] as string[]).concat(login.headers['set-cookie'] ?? [])[0]!;
    expect(setCookie).toMatch(/Secure/i);
    const cookie = setCookie.split(';')[0]!;
    const headers = {
      host: 'upstream',
      'x-forwarded-host': acme.host,
      'x-forwarded-proto': 'https',
      cookie,
      'content-type': 'application/json',
    };
    const ok = await send(server.port, '/api/locations/1', {
      method: 'PATCH',
      headers: { ...headers, origin: `https://${acme.host}` },
      body: '{"name":"Behind proxy"}',
    });
    expect(ok.status).toBe(200);
    const httpOrigin = await send(server.port, '/api/locations/1', {
      method: 'PATCH',
      headers: { ...headers, origin: `http://${acme.host}` },
      body: '{"name":"x"}',
    });
    expect(httpOrigin.status).toBe(403);
  });

  it('throttles by the client address the proxy reports', async () => {
    for (let i = 0; i < 5; i++) {
      await send(server.port, '/api/auth/login', {
        method: 'POST',
        headers: { host: acme.host, 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.1' },
        body: JSON.stringify({ login: `nobody${i}`, password: 'wrong' }),
      });
    }
    const blocked = await send(server.port, '/api/auth/login', {
      method: 'POST',
      headers: { host: acme.host, 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.1' },
      body: JSON.stringify({ login: 'admin', password: TEST_PASSWORD }),
    });
    expect(blocked.status).toBe(429);
    const other = await send(server.port, '/api/auth/login', {
      method: 'POST',
      headers: { host: acme.host, 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.2' },
      body: JSON.stringify({ login: 'admin', password: TEST_PASSWORD }),
    });
    expect(other.status).toBe(200);
  });

  it('closes gracefully', async () => {
    const extra = await startServer(t.app, { port: 0, hostname: '127.0.0.1' });
    expect((await send(extra.port, '/healthz')).status).toBe(200);
    await extra.close();
    await expect(send(extra.port, '/healthz')).rejects.toThrow();
  });
});
