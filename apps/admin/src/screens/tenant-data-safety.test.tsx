import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Backup, OperationRun } from '@salesfleet/contracts';
import type { TenantDetail } from '@salesfleet/contracts';
import { apiError, fakeApi, renderApp, signedInAdmin, tenantHealth, tenantSummary } from '../test/render';

const RUN_ID = '6f1c2a9e-56c1-4f0e-9a55-0d3f1f0b8f11';

function detail(): TenantDetail {
  return {
    ...tenantSummary({ slug: 'acme', name: 'Acme Trading' }),
    database: { engine: 'sqlite', host: null, port: null, name: 'tenants/acme.sqlite', schema: null, user: null, passwordSet: false },
    domains: [],
  };
}

const backup: Backup = {
  name: 'acme-20261207T040000000Z.sfbackup.gz',
  createdAt: '2026-12-07T04:00:00.000Z',
  bytes: 48_000,
  rows: 1234,
  tables: 30,
  engine: 'sqlite',
  schemaVersion: '202612070300-x',
  kind: 'backup',
};

function run(overrides: Partial<OperationRun>): OperationRun {
  return {
    runId: RUN_ID,
    action: 'backup-tenant',
    tenantSlug: 'acme',
    actor: 'admin:admin',
    state: 'running',
    steps: [],
    progress: null,
    result: null,
    error: null,
    startedAt: '2026-12-07T04:00:00.000Z',
    finishedAt: null,
    ...overrides,
  };
}

/** The run answers `states` one poll after another, then stays on the last. */
function polls(...states: OperationRun[]) {
  let i = 0;
  return () => ({ body: { run: states[Math.min(i++, states.length - 1)] } });
}

function setup(extra: Parameters<typeof fakeApi>[0]) {
  const api = fakeApi({
    'GET /auth/me': { body: { admin: signedInAdmin } },
    'GET /tenants/acme': { body: { tenant: detail() } },
    'GET /tenants/acme/health': { body: { health: tenantHealth('acme') } },
    'GET /operations': { body: { operations: [] } },
    'GET /tenants/acme/backups': { body: { backups: [backup] } },
    ...extra,
  });
  renderApp('/tenants/acme');
  return { api, user: userEvent.setup() };
}

describe('backups on a tenant’s page', () => {
  it('takes a backup, follows it to the end and lists the backups again', async () => {
    let listed = 0;
    const { api, user } = setup({
      'GET /tenants/acme/backups': () => ({ body: { backups: listed++ === 0 ? [] : [backup] } }),
      'POST /tenants/acme/backups': { status: 202, body: { runId: RUN_ID } },
      [`GET /runs/${RUN_ID}`]: polls(
        run({ progress: { phase: 'copy', table: 'invoices', rowsDone: 600, rowsTotal: 1234 } }),
        run({ state: 'succeeded', result: { rows: 1234 } }),
      ),
    });
    const card = await screen.findByRole('article', { name: 'Backups' });
    await within(card).findByRole('heading', { name: 'No backups yet' });
    await user.click(within(card).getByRole('button', { name: 'Take a backup' }));
    await within(card).findByText('600 of 1,234 rows', { exact: false });
    await within(card).findByText('The backup succeeded.', {}, { timeout: 5000 });
    expect(within(card).getByText('1,234 rows saved.')).toBeTruthy();
    const table = await within(card).findByRole('table', { name: 'Backups' });
    expect(table.textContent).toContain('1,234');
    expect(api.calls('POST', '/tenants/acme/backups')).toHaveLength(1);
  });

  it('restores a backup as a new tenant on the chosen engine, checking the subdomain first', async () => {
    const { api, user } = setup({
      [`POST /tenants/acme/backups/${backup.name}/restore`]: { status: 202, body: { runId: RUN_ID } },
      [`GET /runs/${RUN_ID}`]: polls(
        run({ action: 'restore-tenant', tenantSlug: 'acme-copy', state: 'succeeded', result: { rows: 1234 } }),
      ),
    });
    const card = await screen.findByRole('article', { name: 'Backups' });
    await user.click(await within(card).findByRole('button', { name: 'Restore…' }));
    const form = within(card).getByRole('form', { name: 'Restore backup' });
    await user.type(within(form).getByLabelText('New subdomain'), 'Not OK!');
    await user.click(within(form).getByRole('button', { name: 'Restore as new tenant' }));
    expect(within(form).getByLabelText('New subdomain').getAttribute('aria-invalid')).toBe('true');
    expect(api.calls('POST', `/tenants/acme/backups/${backup.name}/restore`)).toHaveLength(0);

    await user.clear(within(form).getByLabelText('New subdomain'));
    await user.type(within(form).getByLabelText('New subdomain'), 'acme-copy');
    await user.selectOptions(within(form).getByLabelText('Database engine'), 'postgres');
    await user.click(within(form).getByRole('button', { name: 'Restore as new tenant' }));
    const link = await within(card).findByRole('link', { name: 'Open the restored tenant acme-copy' });
    expect(link.getAttribute('href')).toBe('/tenants/acme-copy');
    expect(api.calls('POST', `/tenants/acme/backups/${backup.name}/restore`)[0]?.body).toEqual({ as: 'acme-copy', engine: 'postgres' });
  });
});

describe('moving a tenant', () => {
  it('moves to PostgreSQL, shows each step, then deletes the old database on request', async () => {
    const { api, user } = setup({
      'POST /tenants/acme/move': { status: 202, body: { runId: RUN_ID } },
      [`GET /runs/${RUN_ID}`]: polls(
        run({ action: 'move-tenant', steps: [{ name: 'maintenance', outcome: 'succeeded', durationMs: 12 }] }),
        run({
          action: 'move-tenant',
          state: 'succeeded',
          steps: ['maintenance', 'drain', 'copy', 'load', 'verify', 'switch', 'notify'].map((name) => ({
            name,
            outcome: 'succeeded' as const,
            durationMs: 5,
          })),
          result: { from: 'sqlite tenants/acme.sqlite', to: 'postgres 127.0.0.1:5432/sales_acme', droppedOld: false },
        }),
      ),
      'DELETE /tenants/acme/old-database': { body: { database: 'sqlite tenants/acme.sqlite', dropped: true } },
    });
    const card = await screen.findByRole('article', { name: 'Move' });
    expect((within(card).getByLabelText('Move to') as HTMLSelectElement).value).toBe('postgres');
    await user.click(within(card).getByRole('button', { name: 'Move to PostgreSQL' }));
    await within(card).findByText('Maintenance on');
    await within(card).findByText('The move succeeded.', {}, { timeout: 5000 });
    expect(within(card).getByText('Verified')).toBeTruthy();
    expect(card.textContent).toContain('postgres 127.0.0.1:5432/sales_acme');
    expect(api.calls('POST', '/tenants/acme/move')[0]?.body).toEqual({ engine: 'postgres' });
    await waitFor(() => expect(api.calls('GET', '/tenants/acme').length).toBeGreaterThan(1));

    await user.click(within(card).getByRole('button', { name: 'Delete the old database' }));
    await within(card).findByText('The old database was dropped.');
  });

  it('shows why a move failed', async () => {
    const { user } = setup({
      'POST /tenants/acme/move': { status: 202, body: { runId: RUN_ID } },
      [`GET /runs/${RUN_ID}`]: polls(
        run({ action: 'move-tenant', state: 'failed', error: { code: 'Conflict', message: 'run delete-old-database acme first' } }),
      ),
    });
    const card = await screen.findByRole('article', { name: 'Move' });
    await user.click(within(card).getByRole('button', { name: 'Move to PostgreSQL' }));
    await within(card).findByText('The move failed.');
    expect(within(card).getByText('run delete-old-database acme first')).toBeTruthy();
  });
});

describe('users recovery', () => {
  it('resets a user’s password and shows the one-time password once, with copy', async () => {
    const { api, user } = setup({
      'POST /tenants/acme/users/maria/reset-password': { body: { username: 'maria', oneTimePassword: 'otp-shown-once-123' } },
    });
    const card = await screen.findByRole('article', { name: 'Users recovery' });
    await user.type(within(card).getByLabelText('Username'), 'maria');
    await user.click(within(card).getByRole('button', { name: 'Reset password' }));
    expect((await within(card).findByLabelText('One-time password')).textContent).toBe('otp-shown-once-123');
    expect(within(card).getByRole('button', { name: 'Copy password' })).toBeTruthy();
    expect(api.calls('POST', '/tenants/acme/users/maria/reset-password')).toHaveLength(1);
  });

  it('creates an admin after checking the fields, and shows the API’s refusal', async () => {
    const { api, user } = setup({
      'POST /tenants/acme/admins': apiError(409, 'LimitReached', 'The tenant has reached its limit of 50 users'),
    });
    const card = await screen.findByRole('article', { name: 'Users recovery' });
    await user.click(within(card).getByRole('button', { name: 'Create admin' }));
    expect(within(card).getByLabelText("New admin's email").getAttribute('aria-invalid')).toBe('true');
    expect(api.calls('POST', '/tenants/acme/admins')).toHaveLength(0);

    await user.type(within(card).getByLabelText("New admin's username"), 'rescuer');
    await user.type(within(card).getByLabelText("New admin's email"), 'rescuer@acme.example');
    await user.click(within(card).getByRole('button', { name: 'Create admin' }));
    expect((await within(card).findByRole('alert')).textContent).toContain('limit of 50 users');
    expect(api.calls('POST', '/tenants/acme/admins')[0]?.body).toEqual({ username: 'rescuer', email: 'rescuer@acme.example' });
  });
});
