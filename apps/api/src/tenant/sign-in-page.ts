import type { Context } from 'hono';
import type { AppEnv } from '../app-env';
import { escapeHtml, page } from '../http/html';
import { PASSWORD_POLICY } from '@salesfleet/models';

// Plain DOM script: signs in through the JSON API (same origin, cookie session), handles the forced
// password change, and shows who is signed in. No framework, no external asset (strict CSP).
const SCRIPT = `
const $ = (id) => document.getElementById(id);
const show = (id) => { for (const s of ['signin', 'change', 'done']) $(s).hidden = s !== id; };
async function call(method, path, body) {
  const res = await fetch(path, { method, credentials: 'same-origin', headers: body ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  const data = res.status === 204 ? {} : await res.json().catch(() => ({}));
  if (!res.ok) throw new Error((data.error && data.error.message) || ('The server answered ' + res.status));
  return data;
}
function signedIn(user) {
  if (user.mustChangePassword) { show('change'); $('current').value = ''; return; }
  $('who').textContent = (user.firstName || user.lastName) ? (user.firstName + ' ' + user.lastName).trim() + ' (' + user.username + ')' : user.username;
  show('done');
}
$('signin-form').addEventListener('submit', async (e) => {
  e.preventDefault(); $('signin-error').textContent = '';
  try { const r = await call('POST', '/api/auth/login', { login: $('login').value, password: $('password').value }); $('password').value = ''; signedIn(r.user); }
  catch (err) { $('signin-error').textContent = err.message; }
});
$('change-form').addEventListener('submit', async (e) => {
  e.preventDefault(); $('change-error').textContent = '';
  try { const r = await call('POST', '/api/auth/change-password', { currentPassword: $('current').value, newPassword: $('new').value }); $('current').value = $('new').value = ''; signedIn(r.user); }
  catch (err) { $('change-error').textContent = err.message; }
});
$('signout').addEventListener('click', async () => { try { await call('POST', '/api/auth/logout'); } finally { show('signin'); } });
call('GET', '/api/auth/me').then((r) => signedIn(r.user), () => show('signin'));
`;

/** `GET /` on a tenant host: the workspace's sign-in page, its name shown. */
export function signInPage(c: Context<AppEnv>): Response {
  const name = c.var.tenant?.name ?? 'Salesfleet';
  return c.html(
    page({
      title: `Sign in · ${name}`,
      nonce: c.var.secureHeadersNonce,
      script: SCRIPT,
      body: `<h1>${escapeHtml(name)}</h1>
<section id="signin"><p class="muted">Sign in to your workspace.</p>
<form id="signin-form" method="post" action="/api/auth/login">
<label for="login">Username or email</label><input id="login" name="login" autocomplete="username" required maxlength="254">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
<p id="signin-error" class="error" role="alert"></p><button type="submit">Sign in</button></form></section>
<section id="change" hidden><p>Choose a new password to replace your one-time password.</p>
<form id="change-form"><label for="current">Current (one-time) password</label><input id="current" type="password" autocomplete="current-password" required>
<label for="new">New password (at least ${PASSWORD_POLICY.minLength} characters)</label><input id="new" type="password" autocomplete="new-password" required minlength="${PASSWORD_POLICY.minLength}" maxlength="${PASSWORD_POLICY.maxLength}">
<p id="change-error" class="error" role="alert"></p><button type="submit">Change password</button></form></section>
<section id="done" hidden><p>Signed in as <strong id="who"></strong>.</p>
<p class="muted">The workspace API is at <code>/api</code>; see <a href="/api/docs">its documentation</a>.</p>
<button id="signout" type="button">Sign out</button></section>`,
    }),
  );
}
