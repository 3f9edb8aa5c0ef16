import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './testing';

let t: TestApp;
let consoleDir: string;

beforeAll(async () => {
  consoleDir = mkdtempSync(join(tmpdir(), 'salesfleet-console-'));
  mkdirSync(join(consoleDir, 'assets'));
  writeFileSync(
    join(consoleDir, 'index.html'),
    '<!doctype html><title>Console</title><script type="module" src="/admin/assets/app-1a2b.js"></script>',
  );
  writeFileSync(join(consoleDir, 'assets', 'app-1a2b.js'), 'console.log("console")');
  t = await createTestApp({ adminDistDir: consoleDir, bodyLimitBytes: 4096 });
});

afterAll(async () => {
  await t.cleanup();
  rmSync(consoleDir, { recursive: true, force: true });
});

describe('health', () => {
  it('answers /healthz and /readyz on any host, even unknown ones', async () => {
    for (const host of ['localhost', 'nobody.localhost', 'garbage..host']) {
      const live = await t.request(host, '/healthz');
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ ok: true });
      const ready = await t.request(host, '/readyz');
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ok: true, registryMs: expect.any(Number) });
    }
  });
});

describe('request ids, log lines and security headers', () => {
  it('keeps a sane incoming X-Request-Id and replaces an unsafe one', async () => {
    const kept = await t.request('localhost', '/healthz', { headers: { 'x-request-id': 'abc-123_DEF.4' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123_DEF.4');
    const tooLong = await t.request('localhost', '/healthz', { headers: { 'x-request-id': 'a'.repeat(129) } });
    expect(tooLong.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const replaced = await t.request('localhost', '/healthz', { headers: { 'x-request-id': 'bad id <with> spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const generated = await t.request('localhost', '/healthz');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('puts the request id into error bodies', async () => {
    const res = await t.request('localhost', '/api/platform/nothing-here', { headers: { 'x-request-id': 'trace-me-1' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NotFound', message: expect.any(String), requestId: 'trace-me-1' } });
  });

  it('writes one line per request with id, host, tenant, method, path, status and duration — and no secrets', async () => {
    await t.request('localhost', '/healthz?token=secret-in-query', {
      headers: { 'x-request-id': 'log-line-1', cookie: 'sf_platform_session=cookie-secret', authorization: 'Bearer header-secret' },
    });
    const lines = t.logs.filter((l) => l.requestId === 'log-line-1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      host: 'localhost',
      tenant: null,
      method: 'GET',
      path: '/healthz',
      status: 200,
      durationMs: expect.any(Number),
    });
    const raw = t.rawLogs();
    for (const secret of ['secret-in-query', 'cookie-secret', 'header-secret']) expect(raw).not.toContain(secret);
  });

  it('sends security headers with a CSP that allows only own assets and nonced inline code', async () => {
    const res = await t.request('localhost', '/');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self' *.localhost:*");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('strict-transport-security')).toBeNull(); // plain http
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(await res.text()).toContain(`<style nonce="${nonce}">`);
  });

  it('sends the same security headers on JSON answers, without a nonce (no inline code to allow); the API docs page keeps its nonce', async () => {
    for (const path of ['/api/openapi.json', '/api/platform/nothing-here']) {
      const res = await t.request('localhost', path);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("script-src 'self';");
      expect(csp, path).not.toContain('nonce-');
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
    const docs = await t.request('localhost', '/api/docs', { headers: { accept: 'text/html' } });
    const nonce = /'nonce-([^']+)'/.exec(docs.headers.get('content-security-policy')!)![1]!;
    expect(await docs.text()).toContain(`nonce="${nonce}"`);
  });
});

describe('platform pages', () => {
  it('shows the landing page with a "go to your workspace" form and never lists tenants', async () => {
    const { slug } = await t.createTenant();
    const res = await t.request('localhost', '/', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Go to your workspace');
    expect(html).toContain('action="/go"');
    expect(html).not.toContain(slug);
  });

  it('sends the form to <slug>.<base-domain> keeping the port, and explains a bad name', async () => {
    const go = await t.request('localhost:8000', '/go?workspace=Acme');
    expect(go.status).toBe(303);
    expect(go.headers.get('location')).toBe('http://acme.localhost:8000/');
    const pasted = await t.request('localhost:8000', `/go?workspace=${encodeURIComponent('http://acme.localhost:8000/x')}`);
    expect(pasted.headers.get('location')).toBe('http://acme.localhost:8000/');
    const bad = await t.request('localhost:8000', `/go?workspace=${encodeURIComponent('<script>')}`);
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('not a workspace name');
    expect(html).not.toContain('<script>');
    const reserved = await t.request('localhost:8000', '/go?workspace=admin');
    expect(reserved.status).toBe(400);
  });

  it('redirects the old /sales and /accounting URLs to the landing page', async () => {
    for (const path of ['/sales', '/sales/invoices/3', '/accounting', '/accounting/reports']) {
      const res = await t.request('localhost', path);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/');
    }
  });

  it('serves the built console under /admin/ with client-side routes falling back to index.html', async () => {
    const redirect = await t.request('localhost', '/admin');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/admin/');
    const index = await t.request('localhost', '/admin/');
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>Console</title>');
    const deep = await t.request('localhost', '/admin/tenants/acme');
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<title>Console</title>');
    const asset = await t.request('localhost', '/admin/assets/app-1a2b.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const missing = await t.request('localhost', '/admin/assets/nope.js');
    expect(missing.status).toBe(404);
  });

  it('never serves files outside the console directory', async () => {
    for (const path of ['/admin/../package.json', '/admin/%2e%2e/%2e%2e/etc/passwd', '/admin/..%2f..%2fetc%2fpasswd']) {
      const res = await t.request('localhost', path);
      const body = await res.text();
      expect(body).not.toContain('root:');
      expect(body).not.toContain('"name"');
    }
  });

  it('answers /admin/ with a 503 that says how to build the console when it is not built', async () => {
    const bare = await createTestApp();
    try {
      const res = await bare.request('localhost', '/admin/', { headers: { accept: 'text/html' } });
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('pnpm build');
      const json = await bare.request('localhost', '/admin/', { headers: { accept: 'application/json' } });
      expect(await json.json()).toMatchObject({ error: { code: 'ConsoleNotBuilt' } });
    } finally {
      await bare.cleanup();
    }
  });
});

describe('hosts that are no workspace', () => {
  it('answers 404 with JSON for the API and an HTML page for browsers', async () => {
    const api = await t.request('nobody.localhost', '/api/auth/me');
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: 'TenantNotFound', message: expect.stringContaining('nobody.localhost') } });
    const page = await t.request('nobody.localhost', '/', { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('no Salesfleet workspace');
  });

  it('treats reserved, nested, IP and garbage hosts as unknown', async () => {
    for (const host of [
      'admin.localhost',
      'a.b.localhost',
      '10.1.2.3',
      'exa mple.com',
      'example.com',
      '',
      'localhost..',
      '-x-.localhost',
    ]) {
      const res = await t.request('localhost', '/api/auth/me', { headers: { host } });
      expect(res.status, host).toBe(404);
      expect(await res.json(), host).toMatchObject({ error: { code: 'TenantNotFound' } });
    }
  });

  it('escapes the host in the HTML page', async () => {
    const res = await t.request('localhost', '/', { headers: { host: 'x"><img src=x onerror=alert(1)>.localhost', accept: 'text/html' } });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('<img');
  });
});

describe('client mistakes are never a 500', () => {
  it('malformed JSON → 400 MalformedJson', async () => {
    const res = await t.request('localhost', '/api/platform/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"login": "x", ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'MalformedJson' } });
  });

  it('a body that is not JSON → 415', async () => {
    const res = await t.request('localhost', '/api/platform/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'login=x&password=y',
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: { code: 'UnsupportedMediaType' } });
  });

  it('a body over the limit → 413, with or without Content-Length', async () => {
    const big = JSON.stringify({ login: 'x', password: 'y'.repeat(5000) });
    const withLength = await t.request('localhost', '/api/platform/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(big.length) },
      body: big,
    });
    expect(withLength.status).toBe(413);
    expect(await withLength.json()).toMatchObject({ error: { code: 'PayloadTooLarge' } });
    const streamed = await t.request('localhost', '/api/platform/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('invalid fields → 400 ValidationFailed with a path per field', async () => {
    const res = await t.request('localhost', '/api/platform/auth/login', { method: 'POST', json: { login: '', password: 7 } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { path: string; message: string }[] } };
    expect(body.error.code).toBe('ValidationFailed');
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['login', 'password']);
  });

  it('JSON that is not an object → 400', async () => {
    const res = await t.request('localhost', '/api/platform/auth/login', { method: 'POST', json: [1, 2] });
    expect(res.status).toBe(400);
  });

  it('unknown routes → 404 in the error shape', async () => {
    const res = await t.request('localhost', '/api/platform/nope', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NotFound' } });
  });
});

describe('OpenAPI', () => {
  it('documents every route from its zod schemas', async () => {
    const res = await t.request('localhost', '/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: unknown }> }; parameters?: unknown[]; 'x-permission'?: string }>
      >;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    const routes = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    for (const r of [
      'POST /api/platform/auth/login',
      'GET /api/platform/tenants',
      'POST /api/platform/tenants',
      'GET /api/platform/tenants/{slug}',
      'PATCH /api/platform/tenants/{slug}',
      'DELETE /api/platform/tenants/{slug}',
      'POST /api/platform/tenants/{slug}/suspend',
      'DELETE /api/platform/tenants/{slug}/domains/{domain}',
      'GET /api/platform/operations',
      'POST /api/auth/login',
      'GET /api/users',
      'POST /api/locations',
    ]) {
      expect(routes).toContain(r);
    }
    const create = doc.paths['/api/platform/tenants']!.post!;
    expect(JSON.stringify(create.requestBody)).toContain('#/components/schemas/CreateTenantInput');
    expect(JSON.stringify(doc.components.schemas.CreateTenantInput)).toContain('subdomain');
    expect(doc.components.schemas).toHaveProperty('TenantSummary');
    expect(doc.components.schemas).toHaveProperty('Error');
    expect(doc.paths['/api/users']!.get!['x-permission']).toBe('auth.view_user');
    // The same document on a tenant host.
    const { host } = await t.createTenant();
    const again = await t.request(host, '/api/openapi.json');
    expect(await again.json()).toEqual(doc);
  });

  it('renders a docs page without external assets', async () => {
    const res = await t.request('localhost', '/api/docs', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('/api/platform/tenants/{slug}/suspend');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="https?:/);
  });
});

describe('forwarded headers under app.request (no socket)', () => {
  it('ignores X-Forwarded-Host without a trusted peer, and a socketless request is never a trusted peer', async () => {
    const { slug, host } = await t.createTenant();
    const res = await t.request('localhost', '/', { headers: { 'x-forwarded-host': host, accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain(slug);
    const fromPeer = await t.request('localhost', '/', { peer: '10.0.0.1', headers: { 'x-forwarded-host': host, accept: 'text/html' } });
    expect(await fromPeer.text()).not.toContain(slug);
  });

  it('honours it from a configured trusted proxy', async () => {
    const proxied = await createTestApp({ config: { trustedProxies: ['10.0.0.0/8'] } });
    try {
      const { slug, host } = await proxied.createTenant();
      const res = await proxied.request('localhost', '/', {
        peer: '10.1.2.3',
        headers: { 'x-forwarded-host': `forged.localhost, ${host}`, accept: 'text/html' },
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(`Tenant ${slug}`);
      const outsider = await proxied.request('localhost', '/', {
        peer: '192.0.2.1',
        headers: { 'x-forwarded-host': host, accept: 'text/html' },
      });
      expect(await outsider.text()).toContain('Go to your workspace');
    } finally {
      await proxied.cleanup();
    }
  });
});
