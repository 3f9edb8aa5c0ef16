import { createHash } from 'node:crypto';
import { extname, join } from 'node:path';
import type { Context } from 'hono';
import type { BaseEnv } from '../app-env';
import { escapeHtml } from '../http/html';
import { StaticFiles } from '../http/static-files';
import { WorkspaceNotBuilt } from '@salesfleet/contracts';

/** Where the workspace's built files live on every tenant host: a prefix no API or client route uses. */
export const WORKSPACE_ASSET_PREFIX = '/_app/';

/**
 * The tenant workspace (apps/workspace's Vite output) on a tenant host: `/_app/*` are its files
 * (hashed ones under `/_app/assets/` cached for a year), and every other GET outside `/api` without
 * a file extension is a client route answered with index.html (never cached, so a new build is
 * picked up at once).
 */
export function workspaceApp(distDir: string) {
  const files = new StaticFiles(distDir);

  /** A file under /_app/ — needs no tenant database, so the API answers it before leasing one. */
  async function asset<E extends BaseEnv>(c: Context<E>): Promise<Response> {
    const relative = c.req.path.slice(WORKSPACE_ASSET_PREFIX.length);
    const target = files.resolve(relative);
    const answer = target ? await files.serve(c, target, relative.startsWith('assets/') ? 'immutable' : 'no-cache') : null;
    return answer ?? c.notFound();
  }

  /**
   * index.html for a client route (`/`, `/sell`, `/invoices/12`), titled with the workspace's name
   * so the tab says whose it is before the app has loaded.
   */
  async function page<E extends BaseEnv>(c: Context<E>): Promise<Response> {
    const path = c.req.path;
    if (path === '/api' || path.startsWith('/api/') || extname(path) !== '') return c.notFound();
    const index = await files.read(join(files.root, 'index.html'));
    if (!index) throw new WorkspaceNotBuilt();
    const name = c.var.tenant?.name ?? 'Salesfleet';
    const etag = `"${index.etag.slice(1, -1)}-${createHash('sha1').update(name).digest('base64url').slice(0, 8)}"`;
    const headers = { 'Cache-Control': 'no-cache', ETag: etag, 'Content-Type': 'text/html; charset=utf-8' };
    if (c.req.header('if-none-match') === etag) return new Response(null, { status: 304, headers });
    const html = index.raw.toString('utf8').replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(name)}</title>`);
    return new Response(c.req.method === 'HEAD' ? null : html, { status: 200, headers });
  }

  return { asset, page };
}
