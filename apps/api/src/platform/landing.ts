import { Hono, type Context } from 'hono';
import type { PlatformEnv } from '../app-env';
import { escapeHtml, page } from '../http/html';

export interface LandingOptions {
  /** Normalised slug check shared with the provisioner (`isValidSlug`). */
  isValidSlug: (slug: string) => boolean;
}

/** The platform host's own suffix for workspace URLs: `localhost:8000` → `acme.localhost:8000`. */
function workspaceSuffix(host: string): string {
  const lower = host.toLowerCase();
  return lower.startsWith('www.') ? lower.slice(4) : lower;
}

function landingPage(c: Context<PlatformEnv>, value = '', error?: string): string {
  const suffix = workspaceSuffix(c.var.client.host);
  return page({
    title: 'Salesfleet',
    nonce: c.var.secureHeadersNonce,
    body: `<h1>Salesfleet</h1>
<p>Sales, stock and accounting for your organisation, on its own address.</p>
<form method="get" action="/go" novalidate>
<label for="workspace">Go to your workspace</label>
<div class="row"><input id="workspace" name="workspace" autocomplete="organization" autocapitalize="none" spellcheck="false" required maxlength="63" placeholder="your-company" value="${escapeHtml(value)}" aria-describedby="suffix${error ? ' workspace-error' : ''}"><span id="suffix" class="muted">.${escapeHtml(suffix)}</span></div>
${error ? `<p id="workspace-error" class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<button type="submit">Continue</button>
</form>
<p class="muted">Platform administrators: <a href="/admin/">admin console</a> · API: <a href="/api/docs">documentation</a></p>`,
  });
}

/**
 * The platform host's public pages: the landing page with its "go to your workspace" form (it never
 * lists or checks tenants — the workspace's own host answers for it), and the old system's
 * `/sales` and `/accounting` URLs, which lead back here.
 */
export function landingRoutes({ isValidSlug }: LandingOptions): Hono<PlatformEnv> {
  const app = new Hono<PlatformEnv>();
  app.get('/', (c) => c.html(landingPage(c)));
  app.get('/go', (c) => {
    const raw = (c.req.query('workspace') ?? '').trim().toLowerCase();
    const suffix = workspaceSuffix(c.var.client.host);
    const hostPart = suffix.split(':')[0]!;
    // People paste the whole address: accept "acme", "acme.localhost", "http://acme.localhost:8000/".
    let slug = raw.replace(/^https?:\/\//, '').replace(/[/:].*$/, '');
    if (slug.endsWith(`.${hostPart}`)) slug = slug.slice(0, -(hostPart.length + 1));
    if (!isValidSlug(slug)) {
      const message =
        raw === '' ? 'Enter your workspace name.' : 'That is not a workspace name: use the letters, digits and dashes of your address.';
      return c.html(landingPage(c, raw.slice(0, 63), message), 400);
    }
    return c.redirect(`${c.var.client.proto}://${slug}.${suffix}/`, 303);
  });
  for (const legacy of ['/sales', '/sales/*', '/accounting', '/accounting/*']) {
    app.all(legacy, (c) => c.redirect('/', 302));
  }
  return app;
}
