import { extname, join } from 'node:path';
import { Hono } from 'hono';
import type { PlatformEnv } from '../app-env';
import { StaticFiles } from '../http/static-files';
import { ConsoleNotBuilt } from '@salesfleet/contracts';

/**
 * Serves the built console (Vite output) under `/admin/`: files compressed, hashed assets cached for
 * a year, any other path without a file extension answered with index.html (client-side routes). When
 * the console is not built, a 503 that says how to build it.
 */
export function adminConsoleRoutes(distDir: string): Hono<PlatformEnv> {
  const app = new Hono<PlatformEnv>();
  const files = new StaticFiles(distDir);
  app.get('/admin', (c) => c.redirect('/admin/', 301));
  app.get('/admin/*', async (c) => {
    const relative = c.req.path.slice('/admin/'.length);
    const target = files.resolve(relative);
    if (target) {
      const answer = await files.serve(c, target, relative.startsWith('assets/') ? 'immutable' : 'no-cache');
      if (answer) return answer;
    }
    if (extname(relative) !== '' && relative !== 'index.html') return c.notFound();
    const index = await files.serve(c, join(files.root, 'index.html'), 'no-cache');
    if (!index) throw new ConsoleNotBuilt();
    return index;
  });
  return app;
}
