// The admin console against a real `pnpm start` server and headless Chromium:
// sign in with the first admin's one-time password, change it, create a SQLite tenant, see it
// healthy, reach its sign-in page, suspend (403) and resume (200) it, delete it with the typed
// confirmation (404 afterwards), and keep screenshots of the main screens.

import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_USERNAME, chromiumSkipReason, httpGet, launchChromium, type RunningServer, startServer } from '@salesfleet/e2e';

const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const skipReason = chromiumSkipReason("the admin console's end-to-end tests");
if (skipReason) console.warn(skipReason);

const suffix = Math.random().toString(36).slice(2, 8);
const slug = `e2e-${suffix}`;
const tenantName = `E2E Shop ${suffix}`;
const newPassword = `e2e console password ${suffix}`;

describe.skipIf(skipReason !== null)('admin console end to end', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let tenantUrl = '';
  let tenantHost = '';
  let oneTimePassword = '';

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    server = await startServer();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: server.origin });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
  });

  // One flow: once a step fails, the later steps cannot mean anything (and would each wait for their timeout).
  let broken: string | null = null;
  beforeEach((ctx) => {
    if (broken) ctx.skip(`an earlier step failed: ${broken}`);
  });
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') broken ??= ctx.task.name;
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  /** What the tenant's own host answers, through the server's port. */
  const tenantAnswer = () => httpGet(server.port, tenantHost, '/');

  it('signs in with the one-time password and must choose a new one first', async () => {
    await page.goto('/admin/');
    await page.getByRole('heading', { name: 'Platform admin sign in' }).waitFor();
    await page.getByLabel('Username or email').fill(ADMIN_USERNAME);
    await page.getByLabel('Password', { exact: true }).fill(server.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    expect(await page.getByRole('link', { name: 'Tenants' }).count()).toBe(0);
    await page.getByLabel('Current password', { exact: true }).fill(server.adminPassword);
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Repeat new password', { exact: true }).fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();

    await page.getByRole('heading', { name: 'Tenants', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'No tenants yet' }).waitFor();
  });

  it('creates a SQLite tenant after a passing dry run and shows its one-time password once', async () => {
    await page.getByRole('button', { name: 'Create the first tenant' }).click();
    await page.getByRole('heading', { name: 'Create tenant' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill(tenantName);
    await page.getByLabel('Subdomain', { exact: true }).fill(slug);
    await page.getByLabel('Email', { exact: true }).fill(`owner@${slug}.example`);
    expect(await page.getByLabel('Engine', { exact: true }).inputValue()).toBe('sqlite');
    expect(await page.getByLabel('Managed by Salesfleet').isChecked()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}create-tenant.png`, fullPage: true });

    await page.getByRole('button', { name: 'Dry run' }).click();
    const report = page.getByRole('status', { name: 'Dry run result' });
    await report.waitFor();
    expect(await report.textContent()).toContain('Dry run passed');

    await page.getByRole('button', { name: 'Create tenant' }).click();
    await page.getByRole('heading', { name: 'Tenant created' }).waitFor({ timeout: 90_000 });
    oneTimePassword = (await page.getByLabel('One-time password').textContent())?.trim() ?? '';
    expect(oneTimePassword.length).toBeGreaterThanOrEqual(12);
    expect(await page.getByText('will not be shown again').count()).toBe(1);
    tenantUrl =
      (await page
        .getByRole('link', { name: /^https?:\/\// })
        .first()
        .getAttribute('href')) ?? '';
    expect(new URL(tenantUrl).hostname).toBe(`${slug}.localhost`);
    tenantHost = new URL(tenantUrl).host;
  });

  it('lists the new tenant as active and healthy', async () => {
    await page.getByRole('button', { name: 'Back to tenants' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: tenantName }) });
    await row.waitFor();
    await row.getByText('Healthy').waitFor({ timeout: 40_000 });
    expect(await row.textContent()).toContain('active');
    expect(await row.textContent()).toContain('SQLite');
    // The one-time password is gone for good once the success page is left.
    expect(await page.content()).not.toContain(oneTimePassword);
    await page.screenshot({ path: `${SCREENSHOTS}tenants-list.png`, fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SCREENSHOTS}tenants-list-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('"Migrate all" starts a fleet job in the server and follows it to the end; the tenant charts its health', async () => {
    await page.goto('/admin/health');
    await page.getByRole('heading', { name: 'Fleet health' }).waitFor();
    await page.getByRole('button', { name: /^Migrate all \(\d+\)$/ }).click();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    // The job's stream ends with the finished job: every tenant up to date (skipped) or migrated, none failed.
    const progress = page.locator('.fleet-job-migrate .progress-label');
    // One tenant on this platform: "1 of 1 tenant", and "1 tenant" in the summary.
    await progress.filter({ hasText: /Finished: 1 of 1 tenant\b/ }).waitFor({ timeout: 60_000 });
    // The bar is full and says so at once (no easing caught half-way by the screenshot).
    const bar = page.locator('.fleet-job-migrate progress');
    expect(
      await bar.evaluate((el: HTMLProgressElement) => ({
        full: el.value === el.max,
        transition: getComputedStyle(el).getPropertyValue('--pico-transition').trim(),
      })),
    ).toEqual({ full: true, transition: '0s' });
    const tenantCount = page.getByRole('list', { name: 'Summary' }).getByRole('listitem').first();
    expect(await tenantCount.textContent()).toBe('1 tenant');
    expect(await progress.textContent()).not.toContain('failed');

    // "Back up all" starts a backup job the same way: one consistent archive per tenant, followed to its end.
    await page.getByRole('button', { name: /^Back up all \(\d+\)$/ }).click();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const backup = page.locator('.fleet-job-backup .progress-label');
    await backup.filter({ hasText: /Finished: 1 of 1 tenant\b/ }).waitFor({ timeout: 60_000 });
    expect(await backup.textContent()).not.toContain('failed');
    await page.screenshot({ path: `${SCREENSHOTS}fleet-health.png`, fullPage: true });

    await page.goto(`/admin/tenants/${slug}`);
    await page.getByRole('heading', { name: 'Health history' }).waitFor();
    await page.getByRole('img', { name: new RegExp(`^Health of ${slug}: \\d+ checks`) }).waitFor();
    await page.goto('/admin/tenants');
    await page.getByRole('link', { name: tenantName }).waitFor();
  });

  it('Servers: adds a tenant server, changes its state and capacity, and removes it; its password never shows', async () => {
    // Registering a server does not connect to it: an address that resolves nowhere is fine here.
    const serverPassword = `srv-${suffix}-Secret`;
    await page.getByRole('link', { name: 'Servers', exact: true }).click();
    await page.getByRole('heading', { name: 'Servers', exact: true }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill(`e2e-${suffix}`);
    await page.getByLabel('Connection URL').fill(`postgres://sales:${serverPassword}@db-${suffix}.invalid:5432/maint`);
    await page.getByLabel('Capacity (tenants)').fill('5');
    await page.getByRole('button', { name: 'Add server' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: `e2e-${suffix}` }) });
    await row.waitFor();
    expect(await row.textContent()).toContain('PostgreSQL');
    expect(await row.textContent()).toContain(`sales@db-${suffix}.invalid:5432/maint`);
    expect(await row.textContent()).toContain('0 / 5');
    expect(await row.locator('.badge').textContent()).toBe('open');

    await row.getByLabel(`State of e2e-${suffix}`).selectOption('draining');
    await row.locator('.badge', { hasText: 'draining' }).waitFor();
    await row.getByLabel(`Capacity of e2e-${suffix}`).fill('3');
    await row.getByRole('button', { name: 'Save' }).click();
    await row.getByText('0 / 3').waitFor();
    expect(await page.content()).not.toContain(serverPassword);
    await page.screenshot({ path: `${SCREENSHOTS}servers.png`, fullPage: true });

    await row.getByRole('button', { name: 'Remove…' }).click();
    await row.getByRole('button', { name: `Remove e2e-${suffix}` }).click();
    await page.getByText(`Server e2e-${suffix} removed.`).waitFor();
    expect(await page.getByRole('rowheader', { name: `e2e-${suffix}` }).count()).toBe(0);
    // The next steps start from the tenants list.
    await page.goto('/admin/tenants');
    await page.getByRole('link', { name: tenantName }).waitFor();
  });

  it('serves the tenant’s workspace, at its sign-in, on its own host', async () => {
    const answer = await tenantAnswer();
    expect(answer.status, answer.body.slice(0, 300)).toBe(200);
    expect(answer.contentType).toContain('text/html');
    expect(answer.body).toContain(`<title>${tenantName}</title>`);

    // And in the browser, where *.localhost resolves to loopback.
    const tab = await context.newPage();
    const response = await tab.goto(tenantUrl);
    expect(response?.status()).toBe(200);
    await tab.getByRole('heading', { name: 'Sign in' }).waitFor();
    await tab.close();
  });

  it('suspends the tenant (its host answers 403) and resumes it (200 again)', async () => {
    await page.getByRole('link', { name: tenantName }).click();
    await page.getByRole('heading', { name: tenantName }).waitFor();
    await page.getByRole('heading', { name: 'Health', exact: true }).waitFor();
    await page.getByRole('article', { name: 'Health', exact: true }).getByText('Healthy').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}tenant-detail.png`, fullPage: true });

    await page.getByRole('button', { name: 'Suspend…' }).click();
    await page.getByLabel(/Reason/).fill('end-to-end test of suspension');
    await page.getByRole('button', { name: 'Suspend tenant' }).click();
    await page.getByRole('heading', { name: tenantName }).getByText('suspended').waitFor();
    expect((await tenantAnswer()).status).toBe(403);

    await page.getByRole('button', { name: 'Resume tenant' }).click();
    await page.getByRole('heading', { name: tenantName }).getByText('active').waitFor();
    expect((await tenantAnswer()).status).toBe(200);
  });

  it('records the operations for the tenant without showing secrets', async () => {
    await page.getByRole('link', { name: `All operations for ${slug}` }).click();
    // Exact: the tenant page's own "Recent operations" heading (and its rows' toggles) must not count.
    await page.waitForURL(/\/operations\?tenant=/);
    await page.getByRole('heading', { name: 'Operations', exact: true }).waitFor();
    const toggles = page.getByRole('button', { name: /Show details of/ });
    await toggles.first().waitFor();
    expect(await toggles.count()).toBeGreaterThanOrEqual(3); // created, suspended, resumed
    for (let i = 0; i < (await toggles.count()); i++) await toggles.nth(i).click();
    const html = await page.content();
    expect(html).not.toContain(oneTimePassword);
    expect(html).not.toContain(newPassword);
    expect(html).not.toContain(server.adminPassword);
  });

  it('deletes the tenant only after its subdomain is typed, and its host answers 404', async () => {
    await page.goto(`/admin/tenants/${slug}`);
    await page.getByRole('heading', { name: 'Danger zone' }).waitFor();
    const remove = page.getByRole('button', { name: `Delete ${slug}` });
    const confirm = page.getByLabel(`Type ${slug} to confirm`);
    expect(await remove.isDisabled()).toBe(true);
    await confirm.fill(slug.slice(0, -1));
    expect(await remove.isDisabled()).toBe(true);
    await confirm.fill(slug);
    expect(await remove.isEnabled()).toBe(true);
    expect(await page.getByLabel(/Keep the database/).isChecked()).toBe(false);
    await remove.click();

    await page.getByText(`Tenant ${slug} was deleted; its database was dropped.`).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('link', { name: tenantName }).count()).toBe(0);
    expect((await tenantAnswer()).status).toBe(404);
  });

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Platform admin sign in' }).waitFor();
    await page.goto('/admin/tenants');
    await page.getByRole('heading', { name: 'Platform admin sign in' }).waitFor();
  });
});
