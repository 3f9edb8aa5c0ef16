import type { Context } from 'hono';
import type { BaseEnv } from '../app-env';
import { escapeHtml, page } from '../http/html';
import type { ApiDocs } from './registry';

const CSS = `table{width:100%;border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--border);vertical-align:top}
.m{font:600 .8rem ui-monospace,monospace;text-transform:uppercase}.p{font-family:ui-monospace,monospace;font-size:.9rem;word-break:break-all}
details pre{white-space:pre-wrap;font-size:.8rem;max-height:24rem;overflow:auto;background:var(--bg);padding:.5rem;border-radius:6px}h2{margin-top:2rem}`;

/** `/api/docs`: every operation of the OpenAPI document, rendered on the server (no CDN, no script). */
export function docsPage<E extends BaseEnv>(c: Context<E>, docs: ApiDocs): Response {
  const document = docs.document() as { paths: Record<string, Record<string, Record<string, unknown>>> };
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = ((op.tags as string[] | undefined) ?? ['other'])[0]!;
      const permission = op['x-permission'] as string | undefined;
      const secured = Array.isArray(op.security) && op.security.length > 0;
      const schemaText = JSON.stringify({ parameters: op.parameters, requestBody: op.requestBody, responses: op.responses }, null, 2);
      const row = `<tr><td class="m">${escapeHtml(method)}</td><td class="p">${escapeHtml(path)}</td><td>${escapeHtml(op.summary ?? '')}
${permission ? `<div class="muted">needs <code>${escapeHtml(permission)}</code></div>` : secured ? '<div class="muted">signed in</div>' : '<div class="muted">public</div>'}
<details><summary class="muted">schemas</summary><pre>${escapeHtml(schemaText)}</pre></details></td></tr>`;
      const rows = byTag.get(tag) ?? [];
      rows.push(row);
      byTag.set(tag, rows);
    }
  }
  const sections = [...byTag.entries()]
    .map(
      ([tag, rows]) =>
        `<h2>${escapeHtml(tag)}</h2><table><thead><tr><th>Method</th><th>Path</th><th>What</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    )
    .join('');
  return c.html(
    page({
      title: 'Salesfleet API',
      nonce: c.var.secureHeadersNonce,
      wide: true,
      extraCss: CSS,
      body: `<h1>Salesfleet API</h1><p class="muted">OpenAPI 3.1 document: <a href="/api/openapi.json">/api/openapi.json</a>.
Errors: <code>{ "error": { "code", "message", "requestId", "details"? } }</code>. Authenticate with the session cookie set by login, or <code>Authorization: Bearer &lt;token&gt;</code>.
The platform API lives on the platform host; the tenant API on <code>&lt;tenant&gt;.&lt;base-domain&gt;</code>.</p>${sections}`,
    }),
  );
}
