import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, fakeApi, me, product, renderApp, session, workspace } from '../test/render';

const MANAGER = ['sales.view_product', 'sales.adjust_stock', 'sales.transfer_stock'];
const locations = [
  { id: 1, code: 'MAIN', name: 'Main store', address: null, isActive: true },
  { id: 2, code: 'NORTH', name: 'North shop', address: null, isActive: true },
];
const flour = product({
  id: 4,
  sku: 'FLOUR',
  name: 'Flour',
  stock: [
    { locationId: 1, quantity: 12.5 },
    { locationId: 2, quantity: 0 },
  ],
});

function products(permissions: string[], extra: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    'GET /session': session(me(permissions, {}, ['Managers']), workspace({ multiLocation: true })),
    'GET /locations': { body: { locations } },
    'GET /products': { body: { products: [flour], total: 1, limit: 25, offset: 0 } },
    'GET /stock/movements': { body: { movements: [], total: 0, limit: 10, offset: 0 } },
    ...extra,
  });
}

describe('stock transfers', () => {
  it('moves decimal units to another location and says what is left at each; a shortage is the API’s message', async () => {
    let short = true;
    const api = products(MANAGER, {
      'POST /stock/transfers': () =>
        short
          ? apiError(409, 'InsufficientStock', 'Main store holds less than 20 of FLOUR')
          : { status: 201, body: { movements: [], from: 10, to: 2.5 } },
    });
    const user = userEvent.setup();
    renderApp('/products');
    await user.click(await screen.findByRole('button', { name: 'Stock of Flour' }));
    await user.click(screen.getByLabelText(/Move to another/));
    expect((screen.getByLabelText('To') as HTMLSelectElement).value).toBe('2');
    await user.type(screen.getByLabelText('Units to move'), '20');
    await user.click(screen.getByRole('button', { name: 'Move' }));
    expect(await screen.findByText('Main store holds less than 20 of FLOUR')).toBeTruthy();
    short = false;
    await user.clear(screen.getByLabelText('Units to move'));
    await user.type(screen.getByLabelText('Units to move'), '2.5');
    await user.click(screen.getByRole('button', { name: 'Move' }));
    expect(await screen.findByText(/Moved: 10 left at Main store, 2.5 now at North shop/)).toBeTruthy();
    expect(api.calls('POST', '/stock/transfers')[1]!.body).toEqual({
      productId: 4,
      fromLocationId: 1,
      toLocationId: 2,
      quantity: '2.5',
      note: null,
    });
  });

  it('offers no move without the transfer permission', async () => {
    products(['sales.view_product', 'sales.adjust_stock']);
    const user = userEvent.setup();
    renderApp('/products');
    await user.click(await screen.findByRole('button', { name: 'Stock of Flour' }));
    await waitFor(() => expect(screen.getByLabelText('Units received')).toBeTruthy());
    expect(screen.queryByLabelText(/Move to another/)).toBeNull();
  });
});

describe('expiring soon', () => {
  const report = {
    today: '2026-03-10',
    until: '2026-04-09',
    batches: [
      {
        batchId: 3,
        productId: 9,
        sku: 'OAT-1L',
        name: 'Oat milk 1 l',
        locationId: 2,
        batchNumber: 'L-0301',
        expiryDate: '2026-03-08',
        quantity: 4,
        daysLeft: -2,
        expired: true,
      },
      {
        batchId: 4,
        productId: 9,
        sku: 'OAT-1L',
        name: 'Oat milk 1 l',
        locationId: 1,
        batchNumber: 'L-0315',
        expiryDate: '2026-03-15',
        quantity: 12,
        daysLeft: 5,
        expired: false,
      },
    ],
  };

  it('lists batches by expiry with what it means today, by window and location', async () => {
    const api = products([...MANAGER, 'sales.view_stock_level'], { 'GET /stock/expiring': { body: { report } } });
    const user = userEvent.setup();
    renderApp('/products');
    await user.click(await screen.findByRole('tab', { name: 'Expiring soon' }));
    const table = await screen.findByRole('table', { name: 'Expiring soon' });
    expect(table.textContent).toContain('Expired 2 days ago');
    expect(table.textContent).toContain('5 days left');
    expect(table.textContent).toContain('North shop');
    await user.selectOptions(screen.getByLabelText('Expiring within'), '7');
    await user.selectOptions(screen.getByLabelText('Location'), '2');
    await waitFor(() =>
      expect(api.calls('GET', '/stock/expiring').some((c) => c.query.get('days') === '7' && c.query.get('locationId') === '2')).toBe(true),
    );
  });

  it('is not offered without sales.view_stock_level', async () => {
    products(MANAGER);
    renderApp('/products?tab=expiring');
    await screen.findByText('Flour');
    expect(screen.queryByRole('tab', { name: 'Expiring soon' })).toBeNull();
  });
});
