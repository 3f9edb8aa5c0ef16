import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { TenantDetail } from '@salesfleet/contracts';
import { apiError, fakeApi, renderApp, signedInAdmin, tenantHealth, tenantSummary } from '../test/render';

function detail(overrides: Partial<TenantDetail> = {}): TenantDetail {
  return {
    ...tenantSummary({ slug: 'acme', name: 'Acme Trading', userCount: 3, maxUsers: 50 }),
    database: { engine: 'sqlite', host: null, port: null, name: 'tenants/acme.sqlite', schema: null, user: null, passwordSet: false },
    domains: [],
    ...overrides,
  };
}

function setup(extra: Parameters<typeof fakeApi>[0] = {}, tenant = detail()) {
  let current = tenant;
  const api = fakeApi({
    'PATCH /tenants/acme': (req) => {
      current = { ...current, ...(req.body as Partial<TenantDetail>) };
      return { body: { tenant: current } };
    },
    'GET /auth/me': { body: { admin: signedInAdmin } },
    'GET /tenants/acme': () => ({ body: { tenant: current } }),
    'GET /tenants/acme/health': { body: { health: tenantHealth('acme', { sizeBytes: 2_400_000 }) } },
    'GET /tenants/acme/backups': { body: { backups: [] } },
    'GET /tenants/acme/health/history': { body: { slug: 'acme', status: 'active', samples: [] } },
    'GET /operations': { body: { operations: [] } },
    'POST /tenants/acme/suspend': () => {
      current = { ...current, status: 'suspended' };
      return { body: { tenant: current } };
    },
    'POST /tenants/acme/resume': () => {
      current = { ...current, status: 'active' };
      return { body: { tenant: current } };
    },
    ...extra,
  });
  const user = userEvent.setup();
  renderApp('/tenants/acme');
  return { api, user };
}

describe('tenant detail', () => {
  it('shows health, database and the tenant’s recent operations query', async () => {
    const { api } = setup();
    const health = await screen.findByRole('article', { name: 'Health' });
    await within(health).findByText('Healthy');
    expect(health.textContent).toContain('2.3 MB');
    expect(screen.getByRole('article', { name: 'Database' }).textContent).toContain('tenants/acme.sqlite');
    await waitFor(() => expect(api.calls('GET', '/operations')[0]?.query.get('tenant')).toBe('acme'));
  });

  it('shows a schema tenant’s shared database and schema', async () => {
    setup(
      {},
      detail({
        engine: 'postgres',
        database: {
          engine: 'postgres',
          host: 'db1',
          port: 5432,
          name: 'salesfleet_schemas',
          schema: 't_acme',
          user: 'sales',
          passwordSet: true,
        },
      }),
    );
    const card = await screen.findByRole('article', { name: 'Database' });
    await within(card).findByText('t_acme');
    expect(within(card).getByText('Shared database').nextElementSibling?.textContent).toBe('salesfleet_schemas');
    expect(within(card).getByText('Schema').nextElementSibling?.textContent).toBe('t_acme');
  });

  it('suspends with the optional reason, then resumes', async () => {
    const { api, user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Suspend…' }));
    await user.type(screen.getByLabelText(/Reason/), 'unpaid invoice');
    await user.click(screen.getByRole('button', { name: 'Suspend tenant' }));
    await screen.findByRole('button', { name: 'Resume tenant' });
    expect(api.calls('POST', '/tenants/acme/suspend')[0]?.body).toEqual({ reason: 'unpaid invoice' });
    expect(screen.getByText(/Its users get “403 suspended”/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Resume tenant' }));
    await screen.findByRole('button', { name: 'Suspend…' });
    expect(api.calls('POST', '/tenants/acme/resume')).toHaveLength(1);
  });

  it('saves only the settings that changed, dates as ISO date-times', async () => {
    const { api, user } = setup();
    const save = await screen.findByRole<HTMLButtonElement>('button', { name: 'Save settings' });
    expect(save.disabled).toBe(true);

    const maxUsers = screen.getByLabelText('Maximum users');
    await user.clear(maxUsers);
    await user.type(maxUsers, '0');
    expect(maxUsers.getAttribute('aria-invalid')).toBe('true');
    expect(save.disabled).toBe(true);
    await user.clear(maxUsers);
    await user.type(maxUsers, '80');
    await user.type(screen.getByLabelText(/Paid until/), '2026-01-31');
    expect(save.disabled).toBe(false);
    await user.click(save);

    await screen.findByText('Saved.');
    expect(api.calls('PATCH', '/tenants/acme')[0]?.body).toEqual({ maxUsers: 80, paidUntil: '2026-01-31T00:00:00.000Z' });
  });

  it('validates a custom domain before adding it and shows the API’s refusal', async () => {
    const { api, user } = setup({
      'POST /tenants/acme/domains': apiError(409, 'Conflict', 'shop.example.com belongs to another tenant.'),
    });
    const field = await screen.findByLabelText('Add a domain');
    await user.type(field, 'https://shop');
    await user.click(screen.getByRole('button', { name: 'Add domain' }));
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(api.calls('POST', '/tenants/acme/domains')).toHaveLength(0);

    await user.clear(field);
    await user.type(field, 'Shop.Example.com');
    await user.click(screen.getByRole('button', { name: 'Add domain' }));
    expect((await screen.findByRole('alert')).textContent).toContain('belongs to another tenant');
    expect(api.calls('POST', '/tenants/acme/domains')[0]?.body).toEqual({ domain: 'shop.example.com', primary: false });
  });

  it('says so when the tenant does not exist', async () => {
    fakeApi({
      'GET /auth/me': { body: { admin: signedInAdmin } },
      'GET /tenants/ghost': apiError(404, 'TenantNotFound', 'No tenant "ghost"'),
      'GET /tenants/ghost/health': apiError(404, 'TenantNotFound', 'No tenant "ghost"'),
      'GET /tenants/ghost/backups': { body: { backups: [] } },
      'GET /operations': { body: { operations: [] } },
    });
    renderApp('/tenants/ghost');
    expect(await screen.findByRole('heading', { name: 'No tenant “ghost”' })).toBeTruthy();
  });
});
