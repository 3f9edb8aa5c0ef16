// The workspace against a real `pnpm start` server and headless Chromium, one journey per role on a
// multi-location workspace with demo data (created through the Platform API):
// - the admin signs in with the one-time password, changes it, opens a second location, creates a
//   cashier (allowed to sell only there) and a manager (one-time passwords shown once) and sees the
//   user limit;
// - the cashier signs in with the one-time password, changes it, sells two products for cash with
//   change due, prints the receipt (the print stylesheet makes an 80 mm page), never sees an admin
//   screen, and the API refuses the admin routes when the cashier's browser calls them directly;
// - the manager receives stock at the second location, where the cashier then sells, and reads the
//   sales-by-location report; orders coffee from a supplier and receives part of it (a supplier bill
//   opens for what arrived); credits one unit of the cashier's sale (a refund in cash).
// Screenshots of each screen at 1280 px and 390 px go to e2e/screenshots/ (gitignored).

import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromiumSkipReason, createWorkspace, launchChromium, type RunningServer, startServer } from '@salesfleet/e2e';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const skipReason = chromiumSkipReason("the workspace's end-to-end tests");
if (skipReason) console.warn(skipReason);

/**
 * Screens whose every table fits a 390 px phone (columns a phone does without move under the row's
 * name). On the others a wide table still scrolls inside its box (the page itself never does); the
 * run names them.
 */
const TABLES_FIT_A_PHONE = new Set(['dashboard', 'settings', 'users', 'report-sales-by-day']);

const suffix = Math.random().toString(36).slice(2, 8);
const slug = `shop-${suffix}`;

describe.skipIf(skipReason !== null)('workspace end to end', () => {
  let server: RunningServer;
  let browser: Browser;
  let origin = '';
  let adminPassword = '';
  const contexts: BrowserContext[] = [];
  const passwords = { cashier: '', manager: '' };

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    server = await startServer();
    const workspace = await createWorkspace(server, {
      name: `Corner Shop ${suffix}`,
      subdomain: slug,
      multiLocation: true,
      maxUsers: 4,
      demoData: true,
    });
    origin = workspace.origin;
    adminPassword = workspace.adminPassword;
  });

  let broken: string | null = null;
  beforeEach((ctx) => {
    if (broken) ctx.skip(`an earlier step failed: ${broken}`);
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    broken ??= ctx.task.name;
    // What the browser showed when the step failed.
    for (const [i, context] of contexts.entries()) {
      await context
        .pages()[0]
        ?.screenshot({ path: `${SCREENSHOTS}failure-${i + 1}.png`, fullPage: true })
        .catch(() => undefined);
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: origin });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    return page;
  }

  /**
   * The screen at 1280 px and at 390 px (a phone), which it fits without scrolling sideways, the page
   * nor any of its tables (nor the box a table scrolls in); `onPhone` prepares the phone's picture (the
   * field a cashier types in).
   */
  async function shoot(page: Page, name: string, onPhone?: () => Promise<void>) {
    await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    const sideways = await page.evaluate(() => {
      const wide: string[] = [];
      const page = document.scrollingElement!;
      if (page.scrollWidth > window.innerWidth) wide.push(`the page: ${page.scrollWidth} px in ${window.innerWidth}`);
      for (const table of document.querySelectorAll('table')) {
        const label = table.getAttribute('aria-label') ?? table.querySelector('caption')?.textContent ?? table.className;
        for (const [what, box] of [
          ['', table],
          [' (its box)', table.parentElement],
        ] as const) {
          if (box && box.scrollWidth > box.clientWidth) wide.push(`table ${label}${what}: ${box.scrollWidth} px in ${box.clientWidth}`);
        }
      }
      return wide;
    });
    if (TABLES_FIT_A_PHONE.has(name)) expect(sideways, `${name} at 390 px: what scrolls sideways`).toEqual([]);
    else if (sideways.length > 0) {
      expect(
        sideways.filter((s) => s.startsWith('the page')),
        `${name} fits a 390 px phone`,
      ).toEqual([]);
      console.warn(`${name} at 390 px, a table scrolls sideways in its box: ${sideways.join('; ')}`);
    }
    await onPhone?.();
    await page.screenshot({ path: `${SCREENSHOTS}${name}-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  async function signInFirstTime(page: Page, login: string, oneTime: string, chosen: string) {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Username or email').fill(login);
    await page.getByLabel('Password', { exact: true }).fill(oneTime);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Workspace' }).count()).toBe(0);
    if (login === 'casey') await shoot(page, 'change-password');
    await page.getByLabel('Current password').fill(oneTime);
    await page.getByLabel('New password', { exact: true }).fill(chosen);
    await page.getByLabel('Repeat new password').fill(chosen);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('navigation', { name: 'Workspace' }).waitFor();
  }

  const navLinks = async (page: Page) =>
    (await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link').allTextContents()).map((s) => s.trim());

  it('admin: signs in with the one-time password, opens a second location, creates a cashier and a manager and sees the user limit', async () => {
    const page = await newPage();
    await page.goto('/');
    await shoot(page, 'sign-in');
    await signInFirstTime(page, 'admin', adminPassword, `quiet harbour lantern ${suffix}`);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByText('Today’s sales').waitFor();
    await page.locator('.chart canvas').first().waitFor();
    await shoot(page, 'dashboard');
    // What the API served is the production build (vite build's dist, as `pnpm start` serves it): hashed
    // files under /_app/assets/ and React's production build — its development build keeps a
    // _debugOwner on every fiber (and vitest's NODE_ENV=test once made the server build that one).
    const bundle = await page.evaluate(() => {
      const nav = document.querySelector('nav[aria-label="Workspace"]') as unknown as Record<string, unknown>;
      const fiberKey = Object.keys(nav).find((k) => k.startsWith('__reactFiber$'));
      return {
        scripts: [...document.querySelectorAll('script[src]')].map((s) => new URL((s as HTMLScriptElement).src).pathname),
        developmentReact: fiberKey ? '_debugOwner' in (nav[fiberKey] as object) : null,
      };
    });
    expect(bundle.scripts.length).toBeGreaterThan(0);
    for (const src of bundle.scripts) expect(src).toMatch(/^\/_app\/assets\/[\w-]+-[\w-]{8}\.js$/);
    expect(bundle.developmentReact).toBe(false);

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByRole('button', { name: 'Add location' }).click();
    const newLocation = page.getByRole('form', { name: 'New location' });
    await newLocation.getByLabel('Code').fill('HARBOUR');
    await newLocation.getByLabel('Name', { exact: true }).fill('Harbour kiosk');
    await newLocation.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('cell', { name: 'Harbour kiosk', exact: true }).waitFor();
    await shoot(page, 'settings');

    await page.getByRole('link', { name: 'Users' }).click();
    const limit = page.getByLabel('User limit');
    await limit.getByText('1 of 4 active users').waitFor();
    for (const [username, group] of [
      ['casey', 'Cashiers'],
      ['mona', 'Managers'],
    ] as const) {
      await page.getByRole('button', { name: 'Add user' }).click();
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Email').fill(`${username}@${slug}.example`);
      const groups = page.getByRole('group', { name: 'Groups' });
      if (group !== 'Cashiers') {
        await groups.getByLabel('Cashiers').uncheck();
        await groups.getByLabel(group).check();
      }
      await page.getByRole('button', { name: 'Create user' }).click();
      const secret = page.getByLabel('One-time password');
      await secret.waitFor();
      const password = ((await secret.textContent()) ?? '').trim();
      expect(password.length).toBeGreaterThanOrEqual(12);
      passwords[username === 'casey' ? 'cashier' : 'manager'] = password;
      expect(await page.getByText('It will not be shown again').count()).toBe(1);
      if (username === 'mona') await shoot(page, 'users-one-time-password');
      await page.getByRole('button', { name: 'Done' }).click();
      expect(await page.content()).not.toContain(password);
    }
    await limit.getByText('3 of 4 active users').waitFor();
    await page.getByRole('cell', { name: 'casey', exact: true }).waitFor();
    await shoot(page, 'users');

    // The cashier sells at the new location only.
    await page.getByRole('button', { name: 'Locations of casey' }).click();
    const where = page.getByRole('form', { name: 'Locations of casey' });
    await where.getByLabel('Harbour kiosk').check();
    await where.getByRole('button', { name: 'Save locations' }).click();
    await where.waitFor({ state: 'detached' });
  });

  let managerPage: Page;

  it('manager: signs in with the one-time password and receives stock at the second location', async () => {
    const page = await newPage();
    managerPage = page;
    await signInFirstTime(page, 'mona', passwords.manager, `silver kettle mountain ${suffix}`);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

    await page.getByRole('link', { name: 'Products & stock' }).click();
    for (const [name, units] of [
      ['Coffee beans 250 g', '12'],
      ['Green tea, 50 bags', '6'],
    ] as const) {
      await page.getByRole('button', { name: `Stock of ${name}` }).click();
      const form = page.getByRole('form', { name: `Stock of ${name}` });
      await form.getByLabel('Location', { exact: true }).selectOption({ label: 'Harbour kiosk (0 on hand)' });
      await form.getByLabel('Units received').fill(units);
      await form.getByRole('button', { name: 'Receive' }).click();
      await form.getByText(`Done: ${units} now on hand at Harbour kiosk.`).waitFor();
      if (name === 'Green tea, 50 bags') await shoot(page, 'products-receive');
      await form.getByRole('button', { name: 'Close' }).click();
    }
    const row = page.getByRole('row').filter({ hasText: 'Coffee beans 250 g' });
    await expect.poll(async () => (await row.getByRole('cell').allTextContents()).map((c) => c.trim())).toContain('12');
    await shoot(page, 'products');
  });

  it('cashier: signs in with the one-time password, changes it and lands on the till without admin screens', async () => {
    const page = await newPage();
    await signInFirstTime(page, 'casey', passwords.cashier, `orange bicycle meadow ${suffix}`);
    await page.getByRole('heading', { name: 'Sell' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sell');
    const links = await navLinks(page);
    expect(links).toEqual(expect.arrayContaining(['Sell', 'Invoices', 'Customers']));
    for (const hidden of ['Dashboard', 'Users', 'Settings', 'Reports', 'Accounts', 'Expenses']) expect(links).not.toContain(hidden);
    for (const path of ['/users', '/settings', '/reports', '/dashboard']) {
      await page.goto(path);
      await page.getByRole('heading', { name: 'Not available to you' }).waitFor();
    }
    await shoot(page, 'not-available');
    // The API is the authority: the cashier's own session, called directly from the browser.
    const statuses = await page.evaluate(async () => {
      const get = async (path: string) => (await fetch(path, { credentials: 'same-origin' })).status;
      const post = async (path: string, body: unknown) =>
        (
          await fetch(path, {
            method: 'POST',
            credentials: 'same-origin',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
        ).status;
      return {
        users: await get('/api/users'),
        trialBalance: await get('/api/reports/trial-balance'),
        dashboard: await get('/api/dashboard'),
        createUser: await post('/api/users', { username: 'sneaky', email: 'sneaky@example.com' }),
        adjustStock: await post('/api/stock/adjustments', { productId: 1, locationId: 1, quantity: 5 }),
        products: await get('/api/products?limit=1'),
      };
    });
    expect(statuses).toEqual({ users: 403, trialBalance: 403, dashboard: 403, createUser: 403, adjustStock: 403, products: 200 });
  });

  it('cashier: sells two products for cash with change due and prints the receipt', async () => {
    const page = contexts.at(-1)!.pages()[0]!;
    await page.goto('/sell');
    const search = page.getByLabel('Find product (name, SKU or scan)');
    await search.waitFor();
    // Allowed one location, the cashier is offered no other.
    expect(await page.getByLabel('Location').count()).toBe(0);
    await page.locator('.till-head').getByText('Harbour kiosk').waitFor();
    await shoot(page, 'sell-empty');
    // A barcode scanner is a keyboard: the code, then Enter.
    await search.pressSequentially('COFFEE-250');
    await search.press('Enter');
    await search.pressSequentially('TEA-GREEN');
    await search.press('Enter');
    // And the same coffee once more: the quantity goes up.
    await search.pressSequentially('COFFEE-250');
    await search.press('Enter');
    await expect.poll(() => page.getByLabel('Quantity of Coffee beans 250 g').inputValue()).toBe('2');
    expect(await page.getByLabel('Quantity of Green tea, 50 bags').inputValue()).toBe('1');
    // 2 × 12.90 + 6.50 = 32.30, 20 % tax 6.46 → 38.76 (USD, the demo workspace's default).
    expect(await page.getByLabel('Total to pay').textContent()).toBe('$38.76');
    await page.getByLabel('Cash given').fill('50');
    await page.getByText('Change due:').waitFor();
    // On a phone the "Complete sale" button sticks to the bottom of the screen: scrolled into view, the
    // cash field shows above it (the page's scroll padding), not under it.
    await page.setViewportSize({ width: 390, height: 844 });
    const uncovered = await page.getByLabel('Cash given').evaluate((field) => {
      window.scrollTo(0, 0);
      field.scrollIntoView({ block: 'nearest' });
      const box = field.getBoundingClientRect();
      return document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2) === field;
    });
    expect(uncovered, 'the cash field is not under the sticky Complete sale button').toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await page.getByRole('status').filter({ hasText: 'Change due' }).textContent()).toContain('$11.24');
    await shoot(page, 'sell-cart');
    await search.focus();
    await page.keyboard.press('Control+Enter');
    await page.getByRole('heading', { name: 'Sale complete' }).waitFor();
    const receipt = page.getByRole('article', { name: /^Receipt INV/ });
    await receipt.waitFor();
    const text = (await receipt.textContent()) ?? '';
    expect(text).toContain('Coffee beans 250 g');
    expect(text).toContain('Green tea, 50 bags');
    expect(text).toContain('$38.76');
    expect(text).toContain('Paid (Cash)');
    expect(text).toContain('$11.24');
    await shoot(page, 'sell-receipt');

    // Print: the button opens the browser's print dialog with the 80 mm paper chosen; what the print
    // stylesheet makes of the page is checked by printing it to PDF.
    await page.evaluate(() => {
      (window as unknown as { printed: string[] }).printed = [];
      window.print = () => (window as unknown as { printed: string[] }).printed.push(document.documentElement.dataset.paper ?? '');
    });
    await page.getByRole('button', { name: 'Print receipt' }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: string[] }).printed)).toEqual(['80mm']);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false });
    const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
    expect(box, 'a MediaBox in the printed PDF').not.toBeNull();
    expect(Number(box![1])).toBeCloseTo((80 / 25.4) * 72, 0); // 80 mm in points
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: `${SCREENSHOTS}receipt-print.png`, fullPage: true });
    expect(await page.getByRole('button', { name: 'New sale' }).isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
  });

  it('manager: reads the sales-by-location report with the cashier’s sale at the second location', async () => {
    const page = managerPage;
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('tab', { name: 'Sales by location' }).click();
    const table = page.getByRole('table', { name: 'Sales by location' });
    await table.waitFor();
    const north = table.getByRole('row').filter({ hasText: 'Harbour kiosk' });
    const cells = (await north.getByRole('cell').allTextContents()).map((c) => c.trim());
    expect(cells).toEqual(['Harbour kiosk', '1', '$32.30', '$6.46', '$38.76']);
    await shoot(page, 'report-sales-by-location');
    await page.getByRole('tab', { name: 'Sales by day' }).click();
    await page.locator('.chart canvas').first().waitFor();
    await shoot(page, 'report-sales-by-day');

    for (const [link, name] of [
      ['Invoices', 'invoices'],
      ['Customers', 'customers'],
      ['Expenses', 'expenses'],
      ['Accounts', 'accounts'],
    ] as const) {
      await page.getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { name: link, exact: true }).waitFor();
      await page.waitForLoadState('networkidle');
      await shoot(page, name);
    }
    await page.getByRole('link', { name: 'Invoices', exact: true }).click();
    await page.getByRole('table').getByRole('link').first().click();
    const download = page.getByRole('button', { name: 'Download PDF' });
    await download.waitFor();
    await shoot(page, 'invoice-detail');
    const href = (await download.getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/api\/invoices\/\d+\/pdf$/);
    const pdf = await page.evaluate(async (url) => {
      const res = await fetch(url, { credentials: 'same-origin' });
      const bytes = new Uint8Array(await res.arrayBuffer());
      return { status: res.status, type: res.headers.get('content-type'), magic: String.fromCharCode(...bytes.slice(0, 5)) };
    }, href);
    expect(pdf).toEqual({ status: 200, type: 'application/pdf', magic: '%PDF-' });
  });

  it('manager: orders from a supplier and receives part of the order, which opens a supplier bill', async () => {
    const page = managerPage;
    await page.getByRole('link', { name: 'Purchasing', exact: true }).click();
    await page.getByRole('heading', { name: 'Purchasing' }).waitFor();
    await page.getByRole('button', { name: 'New purchase order' }).click();
    const form = page.getByRole('form', { name: 'New purchase order' });
    await form.getByLabel('Supplier').selectOption({ label: 'Roastery Wholesale' });
    await form.getByLabel('Deliver to').selectOption({ label: 'Harbour kiosk' });
    await form.getByLabel('Product').selectOption({ label: 'COFFEE-250 Coffee beans 250 g' });
    // The product's cost price is proposed.
    expect(await form.getByLabel('Unit cost').inputValue()).toBe('7.00');
    await form.getByLabel('Quantity').fill('10');
    await form.getByText('$70.00').waitFor();
    await form.getByRole('button', { name: 'Place order' }).click();
    await form.waitFor({ state: 'detached' });
    const row = page.getByRole('table', { name: 'purchase orders' }).getByRole('row').filter({ hasText: 'Roastery Wholesale' }).first();
    await row.getByText('Ordered').waitFor();
    await shoot(page, 'purchase-orders');
    await row.getByRole('link').click();
    await page.getByRole('button', { name: 'Receive goods' }).click();
    const receive = page.getByRole('form', { name: 'Receive goods' });
    await receive.getByLabel('Coffee beans 250 g (due 10)', { exact: false }).fill('4');
    await receive.getByLabel("Supplier's invoice number").fill(`RW-${suffix}`);
    await receive.getByRole('button', { name: 'Receive' }).click();
    await page.getByText(/Received\. Supplier bill BILL-\d+ for \$28\.00 is open\./).waitFor();
    const lines = page.getByRole('table', { name: 'Order lines' });
    expect((await lines.getByRole('row').nth(1).getByRole('cell').allTextContents()).map((c) => c.trim())).toEqual([
      // The unit cost is also under the product (shown on a phone only).
      'COFFEE-250 Coffee beans 250 g @ $7.00',
      '10',
      '4',
      '$7.00',
      '$70.00',
    ]);
    await page.getByRole('heading', { name: /Partly received/ }).waitFor();
    await shoot(page, 'purchase-receipt');
    await page.getByRole('link', { name: 'Open the bill' }).click();
    await page.getByRole('heading', { name: /^BILL-\d+/ }).waitFor();
    await page.getByText('$28.00').first().waitFor();
    await shoot(page, 'supplier-bill');
  });

  it('manager: credits one unit of the cashier’s sale and refunds it in cash', async () => {
    const page = managerPage;
    await page.goto('/invoices');
    await page.getByRole('heading', { name: 'Invoices', exact: true }).waitFor();
    await page.getByRole('search').getByLabel('Location').selectOption({ label: 'Harbour kiosk' });
    const sale = page.getByRole('table').getByRole('row').filter({ hasText: '$38.76' });
    await expect.poll(() => sale.count()).toBe(1);
    await sale.getByRole('link').click();
    await page.getByRole('button', { name: 'Credit / refund…' }).click();
    const form = page.getByRole('form', { name: 'Credit note' });
    await form.getByLabel('Coffee beans 250 g (of 2)').fill('1');
    // Paid in full: all of it goes back as money. 12.90 + 20 % = 15.48.
    await form.getByText('Credit of about $15.48, of which $15.48 is paid back.').waitFor();
    await form.getByLabel('Reason').fill('Bag torn');
    await shoot(page, 'credit-note-form');
    await form.getByRole('button', { name: 'Create credit note' }).click();
    await page.getByText(/Credit note \S+ for \$15\.48: \$15\.48 to pay back by cash\./).waitFor();
    const notes = page.getByRole('table', { name: 'Credit notes' });
    await notes.getByText('Bag torn').waitFor();
    await shoot(page, 'credit-note');
  });

  it('cashier: takes a split payment at the till, card and cash, and the API records both parts', async () => {
    const page = contexts[2]!.pages()[0]!;
    await page.goto('/sell');
    const search = page.getByLabel('Find product (name, SKU or scan)');
    await search.pressSequentially('COFFEE-250');
    await search.press('Enter');
    // 12.90 + 20 % tax = 15.48.
    await expect.poll(() => page.getByLabel('Total to pay').textContent()).toBe('$15.48');
    // The radio input itself: its label wraps it and holds the text, but the input is what is checked.
    const split = page.locator('.tenders input[type="radio"][value="split"]');
    await split.check();
    expect(await split.isChecked()).toBe(true);
    await page.getByLabel('Card part').fill('10.00');
    await page.getByLabel('Cash given').fill('10');
    // Card 10.00, cash 5.48 of the 10.00 given: 4.52 back.
    const change = page.getByRole('status').filter({ hasText: 'Change due' });
    await change.waitFor();
    expect(await change.textContent()).toContain('$4.52');
    // On the phone, the picture a cashier sees going to type the cash given: focusing the field scrolls it
    // into view, above the sticky Complete sale button.
    await shoot(page, 'sell-split', async () => {
      const cash = page.getByLabel('Cash given');
      const uncovered = await cash.evaluate((field) => {
        window.scrollTo(0, 0);
        (field as HTMLInputElement).blur();
        (field as HTMLInputElement).focus();
        const box = field.getBoundingClientRect();
        const x = box.left + box.width / 2;
        // Its middle and its bottom edge: the whole field shows.
        return document.elementFromPoint(x, box.top + box.height / 2) === field && document.elementFromPoint(x, box.bottom - 1) === field;
      });
      expect(uncovered, 'the focused cash field is not under the sticky Complete sale button').toBe(true);
    });
    await page.getByRole('button', { name: /^Complete sale/ }).click();
    await page.getByRole('heading', { name: 'Sale complete' }).waitFor();
    const receipt = page.getByRole('article', { name: /^Receipt INV/ });
    const text = (await receipt.textContent()) ?? '';
    expect(text).toContain('Paid (Card)$10.00');
    expect(text).toContain('Paid (Cash)$5.48');
    expect(text).toContain('$4.52');
    await shoot(page, 'sell-split-receipt');
    const number = ((await receipt.getAttribute('aria-label')) ?? '').replace(/^Receipt /, '');
    const recorded = await page.evaluate(async (number) => {
      const get = async (path: string) => (await fetch(path, { credentials: 'same-origin' })).json();
      const list = (await get(`/api/invoices?q=${encodeURIComponent(number)}`)) as { invoices: { id: number; number: string }[] };
      const id = list.invoices.find((i) => i.number === number)?.id;
      const { invoice } = (await get(`/api/invoices/${id}`)) as {
        invoice: { status: string; total: number; amountDue: number; payments: { method: string; amount: number }[] };
      };
      return {
        status: invoice.status,
        total: invoice.total,
        amountDue: invoice.amountDue,
        payments: invoice.payments.map((p) => `${p.method} ${p.amount}`).sort(),
      };
    }, number);
    expect(recorded).toEqual({ status: 'paid', total: 1548, amountDue: 0, payments: ['card 1000', 'cash 548'] });
  });

  it('manager: quotes with a line discount and converts the quote into an invoice of the quoted total', async () => {
    const page = managerPage;
    await page.getByRole('link', { name: 'Quotes', exact: true }).click();
    await page.getByRole('heading', { name: 'Quotes', exact: true }).waitFor();
    await page.getByRole('button', { name: 'New quote' }).click();
    const form = page.getByRole('form', { name: 'New quote' });
    await form.getByLabel('Customer').fill('Ada');
    await form.getByRole('list', { name: 'Customer: matches' }).getByRole('button', { name: 'Ada Lovelace' }).click();
    await form.getByLabel('Location').selectOption({ label: 'Harbour kiosk' });
    await form.getByLabel('Product of line 1').selectOption({ label: 'Coffee beans 250 g (COFFEE-250) · $12.90' });
    await form.getByLabel('Quantity of line 1').fill('2');
    await form.getByLabel('Discount of line 1').fill('10%');
    // 2 × 12.90 = 25.80, 10 % off = 23.22, 20 % tax 4.64 → 27.86.
    const totals = form.getByRole('definition');
    await expect.poll(async () => (await totals.allTextContents()).map((t) => t.trim())).toEqual(['−$2.58', '$23.22', '$4.64', '$27.86']);
    await shoot(page, 'quote-new');
    await form.getByRole('button', { name: 'Save quote' }).click();
    await page.getByRole('heading', { name: /^Quote QT/ }).waitFor();
    const lines = page.getByRole('table', { name: 'Quote lines' });
    expect((await lines.getByRole('row').nth(1).getByRole('cell').allTextContents()).map((c) => c.trim())).toEqual([
      'Coffee beans 250 g',
      '2',
      '$12.90',
      '−$2.58',
      '$27.86',
    ]);
    await shoot(page, 'quote-detail');
    await page.getByRole('button', { name: 'Convert to invoice' }).click();
    await page.waitForURL(/\/invoices\/\d+$/);
    await page.getByRole('button', { name: 'Download PDF' }).waitFor();
    const invoiceId = Number(new URL(page.url()).pathname.split('/').at(-1));
    const invoice = await page.evaluate(async (id) => {
      const { invoice } = (await (await fetch(`/api/invoices/${id}`, { credentials: 'same-origin' })).json()) as {
        invoice: { status: string; total: number; discountTotal: number; quoteId: number | null; lines: { quantity: number }[] };
      };
      return { status: invoice.status, total: invoice.total, discountTotal: invoice.discountTotal, fromQuote: invoice.quoteId !== null };
    }, invoiceId);
    expect(invoice).toEqual({ status: 'issued', total: 2786, discountTotal: 258, fromQuote: true });
    await page.getByText('$27.86').first().waitFor();
    await shoot(page, 'quote-invoice');
    await page.getByRole('link', { name: 'Quotes', exact: true }).click();
    const row = page.getByRole('table', { name: 'Quotes' }).getByRole('row').filter({ hasText: '$27.86' });
    await row.getByText('Invoiced').waitFor();
    await shoot(page, 'quotes');
  });

  it('manager: every other screen and tab, at 1280 px and 390 px', async () => {
    const page = managerPage;
    const tabs = async (link: string, heading: string, shots: readonly (readonly [string, string])[]) => {
      await page.getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      for (const [tab, name] of shots) {
        await page.getByRole('tab', { name: tab, exact: true }).click();
        await expect.poll(() => page.getByRole('tab', { name: tab, exact: true }).getAttribute('aria-selected')).toBe('true');
        await page.waitForLoadState('networkidle');
        await expect.poll(() => page.getByText(/^Loading/).count()).toBe(0);
        await shoot(page, name);
      }
    };
    await tabs('Products & stock', 'Products & stock', [['Expiring soon', 'expiring-soon']]);
    await tabs('Purchasing', 'Purchasing', [
      ['Supplier bills', 'supplier-bills'],
      ['Suppliers', 'suppliers'],
    ]);
    await tabs('Accounts', 'Accounts', [
      ['Journal', 'journal'],
      ['Ledger', 'ledger'],
    ]);
    await tabs('Reports', 'Reports', [
      ['Profit and loss', 'report-profit-and-loss'],
      ['Trial balance', 'report-trial-balance'],
      ['Balance sheet', 'report-balance-sheet'],
      ['Receivables ageing', 'report-receivables-ageing'],
      ['Payables ageing', 'report-payables-ageing'],
      ['Tax', 'report-tax'],
    ]);
    await page.getByRole('link', { name: 'Invoices', exact: true }).click();
    await page.getByRole('button', { name: 'New invoice' }).click();
    await page.getByLabel('Product of line 1').waitFor();
    await shoot(page, 'invoice-new');
    await page.goto('/account');
    await page
      .getByRole('heading', { name: /account/i })
      .first()
      .waitFor();
    await shoot(page, 'account');
  });
});
