import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Dashboard } from '../api/types';
import { fakeApi, me, renderApp, session } from '../test/render';

const dashboard = (over: Partial<Dashboard>): Dashboard => ({
  today: '2026-03-10',
  from: '2026-02-09',
  locationId: null,
  sales: { today: 1290, month: 5000, todayCount: 1, monthCount: 4 },
  receivables: { open: 0, count: 1 },
  lowStock: [{ productId: 1, sku: 'A-VERY-LONG-SKU-0001', name: 'A product with a long name', locationId: 1, quantity: 2 }],
  days: [],
  ...over,
});

describe('dashboard', () => {
  it('counts in the right number ("1 invoice", "4 invoices") and keeps the low-stock table inside its card', async () => {
    fakeApi({
      'GET /session': session(me(['accounting.view_reports'], {}, ['Managers'])),
      'GET /locations': { body: { locations: [] } },
      'GET /dashboard': { body: { dashboard: dashboard({}) } },
    });
    renderApp('/dashboard');
    expect(await screen.findByText(/^1 invoice ·/)).toBeTruthy();
    expect(screen.getByText('4 invoices')).toBeTruthy();
    expect(screen.getByText('1 unpaid invoice')).toBeTruthy();
    expect(screen.getByText('product at 5 or fewer')).toBeTruthy();
    // The table scrolls sideways in its own box (.table-scroll) instead of widening the card on a phone.
    expect(screen.getByRole('table', { name: 'Low stock' }).parentElement!.className).toBe('table-scroll');
  });
});
