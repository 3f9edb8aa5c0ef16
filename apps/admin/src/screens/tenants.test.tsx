import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, fakeApi, renderApp, signedInAdmin, tenantHealth, tenantSummary } from '../test/render';

const tenants = [
  tenantSummary({ id: 1, slug: 'acme', name: 'Acme Trading', engine: 'sqlite', userCount: 3, createdAt: '2025-03-01T00:00:00Z' }),
  tenantSummary({
    id: 2,
    slug: 'bakery',
    name: 'Bakery Nord',
    engine: 'postgres',
    status: 'suspended',
    userCount: 40,
    pendingMigrations: 2,
    createdAt: '2025-01-01T00:00:00Z',
  }),
  tenantSummary({ id: 3, slug: 'corner', name: 'Corner Shop', engine: 'mysql', userCount: 7, createdAt: '2025-02-01T00:00:00Z' }),
];

function setup(list = tenants) {
  fakeApi({
    'GET /auth/me': { body: { admin: signedInAdmin } },
    'GET /tenants': { body: { tenants: list } },
    'GET /health': {
      body: {
        tenants: [
          tenantHealth('acme', { latencyMs: 12 }),
          tenantHealth('bakery', { reachable: false, latencyMs: null, error: 'connect ECONNREFUSED' }),
        ],
      },
    },
  });
  const user = userEvent.setup();
  renderApp('/tenants');
  return { user };
}

function rowNames(): string[] {
  const table = screen.getByRole('table');
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('rowheader')[0]?.textContent ?? '');
}

describe('tenants list', () => {
  it('explains how to create the first tenant when there is none', async () => {
    setup([]);
    await screen.findByRole('heading', { name: 'No tenants yet' });
    expect(screen.getByText(/pnpm cli create-tenant/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Create the first tenant' }).getAttribute('href')).toBe('/tenants/new');
  });

  it('shows each tenant with its link, status, users, pending migrations and health', async () => {
    setup();
    const row = (await screen.findByRole('link', { name: 'Bakery Nord' })).closest('tr')!;
    expect(within(row).getByRole('link', { name: 'bakery.localhost:8000' }).getAttribute('href')).toBe('http://bakery.localhost:8000/');
    expect(row.textContent).toContain('suspended');
    expect(row.textContent).toContain('PostgreSQL');
    expect(row.textContent).toContain('40 / 50');
    expect(row.textContent).toContain('2 pending');
    expect(await within(row).findByText('Unreachable')).toBeTruthy();
    const acme = screen.getByRole('link', { name: 'Acme Trading' }).closest('tr')!;
    expect(await within(acme).findByText('Healthy')).toBeTruthy();
    expect(acme.textContent).toContain('12 ms');
    const corner = screen.getByRole('link', { name: 'Corner Shop' }).closest('tr')!;
    expect(within(corner).getByText('Unknown')).toBeTruthy();
  });

  it('searches, filters by status and engine, and says when nothing matches', async () => {
    const { user } = setup();
    await screen.findByRole('link', { name: 'Acme Trading' });
    await user.type(screen.getByLabelText('Search'), 'corn');
    expect(rowNames()).toEqual(['Corner Shop']);
    await user.clear(screen.getByLabelText('Search'));

    await user.selectOptions(screen.getByLabelText('Status'), 'suspended');
    expect(rowNames()).toEqual(['Bakery Nord']);
    await user.selectOptions(screen.getByLabelText('Engine'), 'mysql');
    expect(screen.getByRole('heading', { name: 'No tenant matches these filters' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(rowNames()).toEqual(['Acme Trading', 'Bakery Nord', 'Corner Shop']);
  });

  it('sorts by a column and reverses on a second click', async () => {
    const { user } = setup();
    await screen.findByRole('link', { name: 'Acme Trading' });
    const usersHeader = screen.getByRole('button', { name: /Users/ });
    await user.click(usersHeader);
    expect(usersHeader.closest('th')?.getAttribute('aria-sort')).toBe('ascending');
    expect(rowNames()).toEqual(['Acme Trading', 'Corner Shop', 'Bakery Nord']);
    await user.click(usersHeader);
    expect(usersHeader.closest('th')?.getAttribute('aria-sort')).toBe('descending');
    expect(rowNames()).toEqual(['Bakery Nord', 'Corner Shop', 'Acme Trading']);
    await user.click(screen.getByRole('button', { name: /Created/ }));
    expect(rowNames()).toEqual(['Bakery Nord', 'Corner Shop', 'Acme Trading']);
  });

  it('shows the API’s error with its request id', async () => {
    fakeApi({
      'GET /auth/me': { body: { admin: signedInAdmin } },
      'GET /tenants': apiError(503, 'RegistryUnavailable', 'The registry database is not reachable.'),
      'GET /health': { body: { tenants: [] } },
    });
    renderApp('/tenants');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The registry database is not reachable.');
    expect(alert.textContent).toContain('req_RegistryUnavailable');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
