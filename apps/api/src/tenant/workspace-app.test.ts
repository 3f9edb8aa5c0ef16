import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing';

let t: TestApp;
let dir: string;
let host: string;
let slug: string;
const bundle = `console.log(${JSON.stringify('workspace '.repeat(400))});`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'salesfleet-workspace-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>Workspace</title><script type="module" src="/_app/assets/index-1a2b.js"></script>',
  );
  writeFileSync(join(dir, 'assets', 'index-1a2b.js'), bundle);
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  t = await createTestApp({ workspaceDistDir: dir });
  ({ host, slug } = await t.createTenant());
});

afterAll(async () => {
  await t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('the workspace app on a tenant host', () => {
  it('answers / and every client route with index.html, never cached', async () => {
    for (const path of ['/', '/sell', '/invoices/12', '/reports?from=2026-01-01']) {
      const res = await t.request(host, path, { headers: { accept: 'text/html' } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain(`<title>Tenant ${slug}</title>`);
    }
  });

  it('titles the page with the workspace’s name, escaped', async () => {
    const tricky = await t.createTenant();
    await t.tenancy.provisioner.updateTenant(tricky.slug, { name: 'Bob & <Sons>' }, { actor: 'test' });
    const html = await (await t.request(tricky.host, '/')).text();
    expect(html).toContain('<title>Bob &amp; &lt;Sons&gt;</title>');
  });

  it('serves hashed files under /_app/assets/ compressed and immutable, others revalidated', async () => {
    const br = await t.request(host, '/_app/assets/index-1a2b.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.status).toBe(200);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    const brBody = Buffer.from(await br.arrayBuffer());
    expect(brBody.length).toBeLessThan(bundle.length / 4);
    expect(brotliDecompressSync(brBody).toString()).toBe(bundle);

    const gz = await t.request(host, '/_app/assets/index-1a2b.js', { headers: { 'accept-encoding': 'gzip, br;q=0' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(bundle);

    const plain = await t.request(host, '/_app/assets/index-1a2b.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(bundle);

    const icon = await t.request(host, '/_app/favicon.svg');
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a revalidation with 304 when the file is unchanged', async () => {
    const first = await t.request(host, '/');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"/);
    const again = await t.request(host, '/', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('keeps /api for the API: unknown API paths are JSON 404s, not the app', async () => {
    const res = await t.request(host, '/api/nothing-here');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NotFound' } });
    expect((await t.request(host, '/_app/assets/missing.js')).status).toBe(404);
    expect((await t.request(host, '/robots.txt')).status).toBe(404);
  });

  it('never serves files outside its directory', async () => {
    for (const path of ['/_app/../package.json', '/_app/%2e%2e/%2e%2e/etc/passwd', '/_app/..%2f..%2fetc%2fpasswd']) {
      const body = await (await t.request(host, path)).text();
      expect(body).not.toContain('root:');
      expect(body).not.toContain('"name"');
    }
  });

  it('is not served on the platform host, and answers 503 with how to build it when it is not built', async () => {
    expect((await t.request('localhost', '/_app/assets/index-1a2b.js')).status).toBe(404);
    const empty = mkdtempSync(join(tmpdir(), 'salesfleet-unbuilt-'));
    const bare = await createTestApp({ workspaceDistDir: empty });
    try {
      const tenant = await bare.createTenant();
      const res = await bare.request(tenant.host, '/', { headers: { accept: 'application/json' } });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        error: { code: 'WorkspaceNotBuilt', message: expect.stringContaining('@salesfleet/workspace') },
      });
    } finally {
      await bare.cleanup();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
