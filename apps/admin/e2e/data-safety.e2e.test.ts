// Tenant data safety in the admin console, against a real `pnpm start` server (tenant server:
// the test PostgreSQL) and headless Chromium: take a backup of a SQLite tenant, restore it as a new
// tenant, move the tenant SQLite → PostgreSQL and see its workspace keep serving the same data, give
// a locked-out user a one-time password, and add a platform admin; screenshots of each screen.

import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_USERNAME, chromiumSkipReason, httpJson, launchChromium, type RunningServer, startServer } from '@salesfleet/e2e';

const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const POSTGRES_URL = process.env.SALESFLEET_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 5432), timeout: 2000 }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const postgres = await reachable(POSTGRES_URL);
if (!postgres && process.env.SALESFLEET_TEST_REQUIRE_SERVERS)
  throw new Error(`PostgreSQL is required but not reachable at ${POSTGRES_URL}`);
const skipReason =
  chromiumSkipReason("the console's data-safety end-to-end tests") ?? (postgres ? null : 'PostgreSQL is not reachable: no move to test');
if (skipReason) console.warn(skipReason);

const suffix = Math.random().toString(36).slice(2, 8);
const slug = `ds-${suffix}`;
const copy = `ds-${suffix}-copy`;
const tenantName = `Safe Shop ${suffix}`;
const newPassword = `e2e data safety password ${suffix}`;
const tenantPassword = `tenant e2e password ${suffix}`;

describe.skipIf(skipReason !== null)('tenant data safety in the admin console', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let platformToken = '';

  const platform = () => `localhost:${server.port}`;
  const tenantHost = (s: string) => `${s}.localhost:${server.port}`;
  /** What the tenant's workspace API answers its admin: the products, without times. */
  async function products(s: string, password = tenantPassword): Promise<unknown> {
    const login = await httpJson(server.port, tenantHost(s), 'POST', '/api/auth/login', { json: { login: 'admin', password } });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const list = await httpJson(server.port, tenantHost(s), 'GET', '/api/products?limit=100', { token: String(login.body.token) });
    expect(list.status).toBe(200);
    return JSON.parse(JSON.stringify(list.body), (key, value) => (key.endsWith('At') ? undefined : value));
  }

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    server = await startServer({ env: { SALESFLEET_TENANT_SERVER_URL: POSTGRES_URL } });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: server.origin });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
  });

  let broken: string | null = null;
  beforeEach((ctx) => {
    if (broken) ctx.skip(`an earlier step failed: ${broken}`);
  });
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') broken ??= ctx.task.name;
  });

  afterAll(async () => {
    // Tenants on the shared PostgreSQL server are dropped with them.
    for (const s of [slug, copy]) {
      if (platformToken)
        await httpJson(server.port, platform(), 'DELETE', `/api/platform/tenants/${s}`, {
          token: platformToken,
          json: { confirm: s, keepDatabase: false },
        }).catch(() => undefined);
    }
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  it('signs in, and a SQLite tenant with demo data is there to protect', async () => {
    await page.goto('/admin/');
    await page.getByLabel('Username or email').fill(ADMIN_USERNAME);
    await page.getByLabel('Password', { exact: true }).fill(server.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Current password', { exact: true }).fill(server.adminPassword);
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Repeat new password', { exact: true }).fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('heading', { name: 'Tenants', exact: true }).waitFor();

    const login = await httpJson(server.port, platform(), 'POST', '/api/platform/auth/login', {
      json: { login: ADMIN_USERNAME, password: newPassword },
    });
    platformToken = String(login.body.token);
    const created = await httpJson(server.port, platform(), 'POST', '/api/platform/tenants', {
      token: platformToken,
      json: {
        name: tenantName,
        subdomain: slug,
        adminEmail: `owner@${slug}.example`,
        adminPassword: tenantPassword,
        database: { engine: 'sqlite' },
        demoData: true,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  });

  it('takes a backup and lists it', async () => {
    await page.goto(`/admin/tenants/${slug}`);
    const card = page.getByRole('article', { name: 'Backups' });
    await card.getByRole('heading', { name: 'No backups yet' }).waitFor();
    await card.getByRole('button', { name: 'Take a backup' }).click();
    await card.getByText('The backup succeeded.').waitFor({ timeout: 120_000 });
    await card.getByRole('table', { name: 'Backups' }).waitFor();
    expect(await card.getByRole('row').count()).toBe(2);
    await card.screenshot({ path: `${SCREENSHOTS}tenant-backups.png` });
  });

  it('restores the backup as a new tenant, which serves the same data', async () => {
    const card = page.getByRole('article', { name: 'Backups' });
    await card.getByRole('button', { name: 'Restore…' }).click();
    await card.getByLabel('New subdomain').fill(copy);
    await card.getByRole('button', { name: 'Restore as new tenant' }).click();
    await card.getByText('The restore succeeded.').waitFor({ timeout: 120_000 });
    await card.screenshot({ path: `${SCREENSHOTS}tenant-restored.png` });
    expect(await products(copy)).toEqual(await products(slug));

    await card.getByRole('link', { name: `Open the restored tenant ${copy}` }).click();
    await page.getByRole('heading', { name: tenantName }).getByText('active').waitFor();
    await page.goto(`/admin/tenants/${slug}`);
  });

  it('moves the tenant SQLite → PostgreSQL; its workspace keeps serving the same data', async () => {
    const before = await products(slug);
    const card = page.getByRole('article', { name: 'Move' });
    expect(await card.getByLabel('Move to').inputValue()).toBe('postgres');
    await card.getByRole('button', { name: 'Move to PostgreSQL' }).click();
    await card.getByText('The move succeeded.').waitFor({ timeout: 120_000 });
    await card.getByRole('listitem').filter({ hasText: 'Verified' }).waitFor();
    await page.getByRole('heading', { name: tenantName }).waitFor();
    await page.getByText('PostgreSQL · created', { exact: false }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}tenant-moved.png`, fullPage: true });
    expect(await products(slug)).toEqual(before);

    const tab = await context.newPage();
    expect((await tab.goto(`http://${tenantHost(slug)}/`))?.status()).toBe(200);
    await tab.getByRole('heading', { name: 'Sign in' }).waitFor();
    await tab.close();

    await card.getByRole('button', { name: 'Delete the old database' }).click();
    await card.getByText('The old database was dropped.').waitFor();
  });

  it('gives a locked-out user a one-time password, shown once', async () => {
    const card = page.getByRole('article', { name: 'Users recovery' });
    await card.getByLabel('Username', { exact: true }).fill('admin');
    await card.getByRole('button', { name: 'Reset password' }).click();
    const otp = (await card.getByLabel('One-time password').textContent())?.trim() ?? '';
    expect(otp.length).toBeGreaterThanOrEqual(12);
    await card.screenshot({ path: `${SCREENSHOTS}tenant-users-recovery.png` });
    const signIn = await httpJson(server.port, tenantHost(slug), 'POST', '/api/auth/login', { json: { login: 'admin', password: otp } });
    expect(signIn.status).toBe(200);
    await page.reload();
    await page.getByRole('article', { name: 'Users recovery' }).waitFor();
    expect(await page.content()).not.toContain(otp);
  });

  it('adds a platform admin on the Platform admins page', async () => {
    await page.getByRole('link', { name: 'Platform admins' }).click();
    await page.getByRole('heading', { name: 'Platform admins' }).waitFor();
    const form = page.getByRole('form', { name: 'Add a platform admin' });
    await form.getByLabel('Username', { exact: true }).fill('second');
    await form.getByLabel('Email', { exact: true }).fill('second@ops.example');
    await form.getByRole('button', { name: 'Add admin' }).click();
    const otp = (await page.getByLabel('One-time password').textContent())?.trim() ?? '';
    await page.getByRole('row', { name: /second/ }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}platform-admins.png`, fullPage: true });
    const signIn = await httpJson(server.port, platform(), 'POST', '/api/platform/auth/login', {
      json: { login: 'second', password: otp },
    });
    expect(signIn.status).toBe(200);
    expect(server.output()).not.toContain(otp);
  });
});
