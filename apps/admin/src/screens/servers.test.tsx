import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { TenantServer } from '@salesfleet/contracts';
import { fakeApi, renderApp, signedInAdmin } from '../test/render';

function server(overrides: Partial<TenantServer> = {}): TenantServer {
  const now = new Date().toISOString();
  return {
    id: 1,
    name: 'pg-a',
    engine: 'postgres',
    host: 'db-a.internal',
    port: 5432,
    user: 'sales',
    maintenanceDatabase: 'maint',
    passwordSet: true,
    capacity: 10,
    state: 'open',
    tenantCount: 4,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

describe('Servers', () => {
  it('lists capacity, used and state; changes state and capacity; a server with tenants cannot be removed', async () => {
    const api = fakeApi({
      'GET /auth/me': { body: { admin: signedInAdmin } },
      'GET /servers': { body: { servers: [server(), server({ id: 2, name: 'my-b', engine: 'mysql', tenantCount: 0, state: 'full' })] } },
      'PATCH /servers/pg-a': (req) => ({ body: { server: server(req.body as Partial<TenantServer>) } }),
      'DELETE /servers/my-b': { body: { removed: true } },
    });
    const user = userEvent.setup();
    renderApp('/servers');
    const table = await screen.findByRole('table', { name: 'Servers' });
    const pgRow = within(table).getByRole('row', { name: /pg-a/ });
    expect(pgRow.textContent).toContain('4 / 10');
    expect(pgRow.textContent).toContain('sales@db-a.internal:5432/maint');
    expect(within(pgRow).getByRole('button', { name: 'Remove…' })).toHaveProperty('disabled', true);

    await user.selectOptions(within(pgRow).getByLabelText('State of pg-a'), 'draining');
    const capacity = within(pgRow).getByLabelText('Capacity of pg-a');
    await user.clear(capacity);
    await user.type(capacity, '20');
    await user.click(within(pgRow).getByRole('button', { name: 'Save' }));
    expect(api.calls('PATCH', '/servers/pg-a').map((r) => r.body)).toEqual([{ state: 'draining' }, { capacity: 20 }]);

    const myRow = within(table).getByRole('row', { name: /my-b/ });
    await user.click(within(myRow).getByRole('button', { name: 'Remove…' }));
    await user.click(within(myRow).getByRole('button', { name: 'Remove my-b' }));
    expect(await screen.findByText('Server my-b removed.')).toBeTruthy();
    expect(api.calls('DELETE', '/servers/my-b')).toHaveLength(1);
  });

  it('adds a server after checking the form, and clears the URL once sent', async () => {
    const api = fakeApi({
      'GET /auth/me': { body: { admin: signedInAdmin } },
      'GET /servers': { body: { servers: [] } },
      'POST /servers': { status: 201, body: { server: server({ name: 'pg-new', tenantCount: 0 }) } },
    });
    const user = userEvent.setup();
    renderApp('/servers');
    expect(await screen.findByRole('heading', { name: 'No servers yet' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Add server' }));
    expect(await screen.findByText(/Give a postgres:\/\/ or mysql:\/\/ URL/)).toBeTruthy();
    expect(api.calls('POST', '/servers')).toHaveLength(0);

    await user.type(screen.getByLabelText('Name'), 'pg-new');
    await user.type(screen.getByLabelText('Connection URL'), 'postgres://sales:s3cret@db-new:5432/postgres');
    await user.clear(screen.getByLabelText('Capacity (tenants)'));
    await user.type(screen.getByLabelText('Capacity (tenants)'), '25');
    await user.click(screen.getByRole('button', { name: 'Add server' }));
    expect(await screen.findByText('Server pg-new added.')).toBeTruthy();
    expect(api.calls('POST', '/servers').map((r) => r.body)).toEqual([
      { name: 'pg-new', url: 'postgres://sales:s3cret@db-new:5432/postgres', capacity: 25, state: 'open' },
    ]);
    expect((screen.getByLabelText('Connection URL') as HTMLInputElement).value).toBe('');
  });
});
