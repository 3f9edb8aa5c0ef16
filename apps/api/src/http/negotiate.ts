import type { Context } from 'hono';

/**
 * Whether an answer (above all an error) should be JSON: always under `/api/`, and for clients that
 * ask for JSON; a browser asking for `text/html` gets a page instead. Clients that say nothing
 * (`*\/*`, curl) get JSON, which reads fine in a terminal.
 */
export function wantsJson(c: Context): boolean {
  if (c.req.path === '/api' || c.req.path.startsWith('/api/')) return true;
  const accept = (c.req.header('accept') ?? '').toLowerCase();
  const html = accept.indexOf('text/html');
  if (html < 0) return true;
  const json = accept.indexOf('application/json');
  return json >= 0 && json < html;
}
