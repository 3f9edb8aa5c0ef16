import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env';
import { SalesfleetError } from '@salesfleet/models';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export class ConsoleNotBuilt extends SalesfleetError {
  constructor() {
    super(
      'ConsoleNotBuilt',
      'The admin console has not been built yet. Run `pnpm build` (or `pnpm --filter @salesfleet/admin build`) and reload; `pnpm start` does this for you.',
    );
  }
}

async function readRegularFile(path: string): Promise<Buffer | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? await readFile(path) : null;
  } catch {
    return null;
  }
}

/**
 * Serves the built console (Vite output) under `/admin/`: files as they are, hashed assets cached for
 * a year, any other path without a file extension answered with index.html (client-side routes). When
 * the console is not built, a 503 that says how to build it.
 */
export function adminConsoleRoutes(distDir: string): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const root = resolve(distDir);
  app.get('/admin', (c) => c.redirect('/admin/', 301));
  app.get('/admin/*', async (c) => {
    let relative: string;
    try {
      relative = decodeURIComponent(c.req.path.slice('/admin/'.length));
    } catch {
      return c.notFound();
    }
    const target = resolve(root, relative);
    const inside = target === root || target.startsWith(root + sep);
    if (inside && relative !== '' && !relative.includes('\0')) {
      const file = await readRegularFile(target);
      if (file) {
        const immutable = relative.startsWith('assets/');
        c.header('Content-Type', CONTENT_TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream');
        c.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        return c.body(new Uint8Array(file));
      }
    }
    if (extname(relative) !== '' && relative !== 'index.html') return c.notFound();
    const index = await readRegularFile(join(root, 'index.html'));
    if (!index) throw new ConsoleNotBuilt();
    c.header('Cache-Control', 'no-cache');
    return c.html(index.toString('utf8'));
  });
  return app;
}
