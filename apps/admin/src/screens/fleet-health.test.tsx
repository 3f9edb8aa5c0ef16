import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, fakeApi, renderApp, signedInAdmin, tenantHealth } from '../test/render';

describe('fleet health', () => {
  it('lists failures first', async () => {
    fakeApi({
      'GET /auth/me': { body: { admin: signedInAdmin } },
      'GET /health': {
        body: {
          tenants: [
            tenantHealth('alpha'),
            tenantHealth('zulu', { reachable: false, latencyMs: null, error: 'database file missing' }),
            tenantHealth('mike', { pendingMigrations: 1 }),
          ],
        },
      },
    });
    renderApp('/health');
    const table = await screen.findByRole('table');
    const order = within(table)
      .getAllByRole('rowheader')
      .map((cell) => cell.textContent);
    expect(order).toEqual(['zulu', 'mike', 'alpha']);
    expect(screen.getByText('database file missing')).toBeTruthy();
  });

  it('migrates all tenants two at a time and reports each result', async () => {
    const slugs = ['t1', 't2', 't3', 't4', 't5'];
    let inFlight = 0;
    let maxInFlight = 0;
    const release: (() => void)[] = [];
    const routes: Parameters<typeof fakeApi>[0] = {
      'GET /auth/me': { body: { admin: signedInAdmin } },
      'GET /health': { body: { tenants: slugs.map((s) => tenantHealth(s)) } },
      'GET /tenants': { body: { tenants: [], total: 0, limit: 50, offset: 0 } },
    };
    for (const slug of slugs) {
      routes[`POST /tenants/${slug}/migrate`] = async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise<void>((resolve) => release.push(resolve));
        inFlight--;
        if (slug === 't3') return apiError(500, 'MigrationFailed', 'Migration 0004-tax-rates failed on t3.');
        return {
          body: {
            result: { slug, ok: true, applied: slug === 't1' ? ['0004-tax-rates'] : [], schemaVersion: '0004-tax-rates', durationMs: 20 },
          },
        };
      };
    }
    const api = fakeApi(routes);
    const user = userEvent.setup();
    renderApp('/health');
    await user.click(await screen.findByRole('button', { name: 'Migrate all (5)' }));
    await user.click(screen.getByRole('button', { name: 'Start migrating' }));

    // Release the requests one by one as they arrive; never more than two are open.
    for (let done = 0; done < slugs.length; done++) {
      await waitFor(() => expect(release.length).toBeGreaterThan(0));
      expect(inFlight).toBeLessThanOrEqual(2);
      release.shift()!();
    }
    await screen.findByText(/Finished: 5 of 5/);
    expect(maxInFlight).toBe(2);
    expect(slugs.map((s) => api.calls('POST', `/tenants/${s}/migrate`).length)).toEqual([1, 1, 1, 1, 1]);

    const results = screen.getByRole('list', { name: 'Per-tenant results' });
    const line = (slug: string) => within(results).getByText(slug).closest('li')?.textContent ?? '';
    expect(line('t1')).toMatch(/applied 1 \(now 0004-tax-rates\)/);
    expect(line('t2')).toMatch(/up to date/);
    expect(line('t3')).toMatch(/failed: Migration 0004-tax-rates failed on t3\. \(request req_MigrationFailed\)/);
    expect(screen.getByText(/1 failed/)).toBeTruthy();
  });
});
