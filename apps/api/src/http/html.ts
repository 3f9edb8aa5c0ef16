/** Tiny HTML helpers for the few server-rendered pages (landing, sign-in, errors, docs). */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

/** Shared look of every server page; styles inline under the CSP nonce (no external assets). */
const BASE_CSS = `
:root{color-scheme:light dark;--fg:#1d2330;--muted:#5b6475;--bg:#f6f7fb;--card:#fff;--accent:#2f5bd3;--border:#d9dde7;--bad:#b42318}
@media (prefers-color-scheme:dark){:root{--fg:#e7e9ee;--muted:#a3abbb;--bg:#12151c;--card:#1b1f29;--accent:#7c9cff;--border:#2c3242;--bad:#ff8a80}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
main{max-width:32rem;margin:8vh auto;padding:2rem;background:var(--card);border:1px solid var(--border);border-radius:12px}
main.wide{max-width:60rem}h1{font-size:1.5rem;margin:0 0 .5rem}p{margin:.5rem 0}.muted{color:var(--muted);font-size:.9rem}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}input{width:100%;padding:.6rem;border:1px solid var(--border);border-radius:8px;font:inherit;background:var(--bg);color:var(--fg)}
button{margin-top:1rem;padding:.6rem 1.2rem;border:0;border-radius:8px;background:var(--accent);color:#fff;font:inherit;font-weight:600;cursor:pointer}
.row{display:flex;align-items:center;gap:.25rem}.row input{flex:1}.error{color:var(--bad)}code{font-size:.9em}a{color:var(--accent)}
`;

export interface PageOptions {
  title: string;
  body: string;
  nonce?: string | undefined;
  script?: string;
  wide?: boolean;
  extraCss?: string;
}

export function page({ title, body, nonce, script, wide, extraCss }: PageOptions): string {
  const n = nonce ? ` nonce="${escapeHtml(nonce)}"` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><meta name="robots" content="noindex">
<style${n}>${BASE_CSS}${extraCss ?? ''}</style></head>
<body><main${wide ? ' class="wide"' : ''}>${body}</main>${script ? `<script${n}>${script}</script>` : ''}</body></html>`;
}

export function errorPage(e: { status: number; code: string; message: string; requestId: string; nonce?: string | undefined }): string {
  return page({
    title: `${e.status} · Salesfleet`,
    nonce: e.nonce,
    body: `<h1>${escapeHtml(headlineFor(e.status))}</h1><p>${escapeHtml(e.message)}</p>
<p class="muted">Error <code>${escapeHtml(e.code)}</code> · request id <code>${escapeHtml(e.requestId)}</code></p>`,
  });
}

function headlineFor(status: number): string {
  switch (status) {
    case 402:
      return 'Payment required';
    case 403:
      return 'Not available';
    case 404:
      return 'Not found';
    case 429:
      return 'Too many attempts';
    case 503:
      return 'Temporarily unavailable';
    default:
      return status >= 500 ? 'Something went wrong' : 'Request refused';
  }
}
