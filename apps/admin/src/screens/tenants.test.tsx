import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { TenantSummary } from '@salesfleet/contracts';
import { apiError, fakeApi, type RecordedRequest, renderApp, signedInAdmin, tenantSummary } from '../test/render';

const tenants = [
  tenantSummary({
    id: 1,
    slug: 'acme',
    name: 'Acme Trading',
    engine: 'sqlite',
    userCount: 3,
    health: { reachable: true, latencyMs: 12, sizeBytes: 4096, error: null, checkedAt: '2025-03-02T00:00:00Z' },
  }),
  tenantSummary({
    id: 2,
    slug: 'bakery',
    name: 'Bakery Nord',
    engine: 'postgres',
    status: 'suspended',
    userCount: 40,
    pendingMigrations: 2,
    health: { reachable: false, latencyMs: null, sizeBytes: null, error: 'connect ECONNREFUSED', checkedAt: '2025-03-02T00:00:00Z' },
  }),
  tenantSummary({ id: 3, slug: 'corner', name: 'Corner Shop', engine: 'mysql', userCount: null, health: null }),
];

/** A server that answers each page request from `all`: it filters by q and status, and pages. */
function setup(all: TenantSummary[] = tenants) {
  const api = fakeApi({
    'GET /auth/me': { body: { admin: signedInAdmin } },
    'GET /tenants': (req: RecordedRequest) => {
      const q = req.query.get('q') ?? '';
      const status = req.query.get('status');
      const matching = all.filter((t) => t.name.toLowerCase().includes(q.toLowerCase()) && (!status || t.status === status));
      const limit = Number(req.query.get('limit'));
      const offset = Number(req.query.get('offset') ?? 0);
      return { body: { tenants: matching.slice(offset, offset + limit), total: matching.length, limit, offset } };
    },
  });
  const user = userEvent.setup();
  renderApp('/tenants');
  return { user, api };
}

const lastQuery = (api: ReturnType<typeof fakeApi>) => Object.fromEntries(api.calls('GET', '/tenants').at(-1)!.query);

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

  it('shows each tenant with its link, status, users, pending migrations and last recorded health — and checks no health itself', async () => {
    const { api } = setup();
    const row = (await screen.findByRole('link', { name: 'Bakery Nord' })).closest('tr')!;
    expect(within(row).getByRole('link', { name: 'bakery.localhost:8000' }).getAttribute('href')).toBe('http://bakery.localhost:8000/');
    expect(row.textContent).toContain('suspended');
    expect(row.textContent).toContain('PostgreSQL');
    expect(row.textContent).toContain('40 / 50');
    expect(row.textContent).toContain('2 pending');
    expect(within(row).getByText('Unreachable')).toBeTruthy();
    const acme = screen.getByRole('link', { name: 'Acme Trading' }).closest('tr')!;
    expect(within(acme).getByText('Healthy')).toBeTruthy();
    expect(acme.textContent).toContain('12 ms');
    const corner = screen.getByRole('link', { name: 'Corner Shop' }).closest('tr')!;
    expect(within(corner).getByText('Unknown')).toBeTruthy();
    expect(corner.textContent).toContain('— / 50');
    expect(screen.getByText('3 tenants')).toBeTruthy();
    expect(lastQuery(api)).toEqual({ limit: '50', offset: '0', sort: 'name', dir: 'asc' });
    expect(api.calls('GET', '/health')).toEqual([]);
  });

  it('asks the server to search, filter and sort, and says when nothing matches', async () => {
    const { user, api } = setup();
    await screen.findByRole('link', { name: 'Acme Trading' });
    await user.type(screen.getByLabelText('Search'), 'corn');
    await waitFor(() => expect(rowNames()).toEqual(['Corner Shop']));
    expect(lastQuery(api)).toMatchObject({ q: 'corn', offset: '0' });
    expect(screen.getByText('1 matching tenant')).toBeTruthy();
    await user.clear(screen.getByLabelText('Search'));
    await waitFor(() => expect(rowNames()).toHaveLength(3));

    await user.selectOptions(screen.getByLabelText('Status'), 'suspended');
    await waitFor(() => expect(rowNames()).toEqual(['Bakery Nord']));
    expect(lastQuery(api)).toMatchObject({ status: 'suspended' });
    await user.type(screen.getByLabelText('Search'), 'zzz');
    expect(await screen.findByRole('heading', { name: 'No tenants match these filters' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    expect(lastQuery(api)).toEqual({ limit: '50', offset: '0', sort: 'name', dir: 'asc' });

    const usersHeader = screen.getByRole('button', { name: /Users/ });
    await user.click(usersHeader);
    await waitFor(() => expect(lastQuery(api)).toMatchObject({ sort: 'users', dir: 'asc' }));
    expect(usersHeader.closest('th')?.getAttribute('aria-sort')).toBe('ascending');
    await user.click(usersHeader);
    await waitFor(() => expect(lastQuery(api)).toMatchObject({ sort: 'users', dir: 'desc' }));
    expect(usersHeader.closest('th')?.getAttribute('aria-sort')).toBe('descending');
  });

  it('pages through a large fleet 50 at a time; a new filter starts at the first page', async () => {
    const many = Array.from({ length: 120 }, (_, i) =>
      tenantSummary({ id: i + 1, slug: `t${String(i).padStart(3, '0')}`, name: `Tenant ${String(i).padStart(3, '0')}` }),
    );
    const { user, api } = setup(many);
    await screen.findByRole('link', { name: 'Tenant 000' });
    expect(rowNames()).toHaveLength(50);
    expect(screen.getByText('1–50 of 120')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Previous' }).hasAttribute('disabled')).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('link', { name: 'Tenant 050' });
    expect(lastQuery(api)).toMatchObject({ offset: '50', limit: '50' });
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText('101–120 of 120');
    expect(rowNames()).toHaveLength(20);
    expect(screen.getByRole('button', { name: 'Next' }).hasAttribute('disabled')).toBe(true);
    await user.selectOptions(screen.getByLabelText('Status'), 'active');
    await waitFor(() => expect(lastQuery(api)).toMatchObject({ status: 'active', offset: '0' }));
  });

  it('shows the API’s error with its request id', async () => {
    fakeApi({
      'GET /auth/me': { body: { admin: signedInAdmin } },
      'GET /tenants': apiError(503, 'RegistryUnavailable', 'The registry database is not reachable.'),
    });
    renderApp('/tenants');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The registry database is not reachable.');
    expect(alert.textContent).toContain('req_RegistryUnavailable');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});
