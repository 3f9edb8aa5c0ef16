import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, fakeApi, renderApp, signedInAdmin, tenantSummary } from '../test/render';

function setup(extra: Parameters<typeof fakeApi>[0] = {}) {
  const api = fakeApi({
    'GET /auth/me': { body: { admin: signedInAdmin } },
    'GET /tenants': { body: { tenants: [], total: 0, limit: 50, offset: 0 } },
    ...extra,
  });
  const user = userEvent.setup();
  renderApp('/tenants/new');
  return { api, user };
}

/** The message shown beside a field: its aria-describedby text, when the field is marked invalid. */
function fieldError(field: HTMLElement): string | null {
  if (field.getAttribute('aria-invalid') !== 'true') return null;
  const id = field.getAttribute('aria-describedby');
  return id ? (document.getElementById(id)?.textContent ?? null) : null;
}

async function fillValidForm(user: ReturnType<typeof userEvent.setup>) {
  await user.type(await screen.findByLabelText('Name'), 'Acme Trading');
  await user.type(screen.getByLabelText('Email'), 'owner@acme.example');
}

describe('create tenant form', () => {
  it('validates the subdomain as the admin types: characters, hyphens, length and reserved words', async () => {
    const { user } = setup();
    const subdomain = await screen.findByLabelText('Subdomain');

    await user.type(subdomain, 'Acme');
    expect(fieldError(subdomain)).toMatch(/lowercase/i);

    await user.clear(subdomain);
    await user.type(subdomain, 'acme_shop');
    expect(fieldError(subdomain)).toMatch(/only lowercase letters a–z, digits 0–9 and hyphens/i);

    await user.clear(subdomain);
    await user.type(subdomain, 'acme-');
    expect(fieldError(subdomain)).toMatch(/cannot start or end with a hyphen/i);

    await user.clear(subdomain);
    await user.click(subdomain);
    await user.paste('a'.repeat(64));
    expect(fieldError(subdomain)).toMatch(/longer than 63 characters/);

    for (const reserved of ['admin', 'www', 'api', 'platform']) {
      await user.clear(subdomain);
      await user.type(subdomain, reserved);
      expect(fieldError(subdomain)).toMatch(/reserved/);
    }

    await user.clear(subdomain);
    await user.type(subdomain, 'acme-2');
    expect(fieldError(subdomain)).toBeNull();
    expect(subdomain.getAttribute('aria-invalid')).toBeNull();
  });

  it('suggests a subdomain from the name until the admin edits it', async () => {
    const { user } = setup();
    await user.type(await screen.findByLabelText('Name'), 'Café Müller');
    const subdomain = screen.getByLabelText<HTMLInputElement>('Subdomain');
    expect(subdomain.value).toBe('cafe-muller');
    await user.clear(subdomain);
    await user.type(subdomain, 'muller');
    await user.type(screen.getByLabelText('Name'), ' GmbH');
    expect(subdomain.value).toBe('muller');
  });

  it('checks the email and, only when setting one, the password length', async () => {
    const { user } = setup();
    const email = await screen.findByLabelText('Email');
    await user.type(email, 'owner@acme');
    expect(fieldError(email)).toMatch(/valid email/i);
    await user.type(email, '.example');
    expect(fieldError(email)).toBeNull();

    expect(screen.queryByLabelText('Administrator password')).toBeNull();
    await user.click(screen.getByLabelText('Set the password now'));
    const password = screen.getByLabelText('Administrator password');
    await user.type(password, 'short');
    expect(fieldError(password)).toMatch(/at least 12 characters/);
    await user.type(password, ' but long now');
    expect(fieldError(password)).toBeNull();
  });

  it('checks the numeric limits', async () => {
    const { user } = setup();
    const maxUsers = await screen.findByLabelText('Maximum users');
    expect((maxUsers as HTMLInputElement).value).toBe('50');
    await user.clear(maxUsers);
    await user.type(maxUsers, '0');
    expect(fieldError(maxUsers)).toMatch(/from 1 to/);
    await user.clear(maxUsers);
    await user.type(maxUsers, '2.5');
    expect(fieldError(maxUsers)).toMatch(/whole number/);
    const trial = screen.getByLabelText(/Trial days/);
    await user.type(trial, '4000');
    expect(fieldError(trial)).toMatch(/from 0 to 3650/);
  });

  it('requires host, user and database name in host/port mode and sends nothing until they are given', async () => {
    const { user, api } = setup();
    await fillValidForm(user);
    await user.selectOptions(screen.getByLabelText('Engine'), 'postgres');
    await user.click(screen.getByLabelText('Host, port, user, password and name'));
    await user.click(screen.getByRole('button', { name: 'Create tenant' }));

    const host = screen.getByLabelText('Host');
    expect(fieldError(host)).toMatch(/Enter the database host/);
    expect(fieldError(screen.getByLabelText('User'))).toMatch(/Enter the database user/);
    expect(fieldError(screen.getByLabelText('Database name'))).toMatch(/Enter the database name/);
    expect(document.activeElement).toBe(host);
    expect(api.calls('POST', '/tenants')).toHaveLength(0);

    await user.type(host, 'db.example.com');
    await user.type(screen.getByLabelText(/^Port/), '70000');
    expect(fieldError(screen.getByLabelText(/^Port/))).toMatch(/1 to 65535/);
  });

  it('requires a URL of the chosen engine in URL mode', async () => {
    const { user } = setup();
    await fillValidForm(user);
    await user.selectOptions(screen.getByLabelText('Engine'), 'mysql');
    await user.click(screen.getByLabelText('Connection URL'));
    await user.click(screen.getByRole('button', { name: 'Create tenant' }));
    const url = screen.getByLabelText('Database URL');
    expect(fieldError(url)).toMatch(/Enter the database URL/);
    await user.type(url, 'postgres://db/sales');
    expect(fieldError(url)).toMatch(/mysql:\/\//);
  });

  it('offers no host/port mode for SQLite', async () => {
    setup();
    await screen.findByLabelText('Engine');
    expect(screen.queryByLabelText('Host, port, user, password and name')).toBeNull();
    expect(screen.getByLabelText('Managed by Salesfleet')).toBeTruthy();
    expect(screen.getByLabelText('Connection URL')).toBeTruthy();
  });

  it('sends nothing for an empty form and marks every required field', async () => {
    const { user, api } = setup();
    await user.click(await screen.findByRole('button', { name: 'Create tenant' }));
    expect(fieldError(screen.getByLabelText('Name'))).toMatch(/Enter the organisation/);
    expect(fieldError(screen.getByLabelText('Subdomain'))).toMatch(/Enter a subdomain/);
    expect(fieldError(screen.getByLabelText('Email'))).toMatch(/Enter an email/);
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));
    expect(api.calls('POST', '/tenants')).toHaveLength(0);
  });

  it('shows the API’s field errors beside the fields', async () => {
    const { user } = setup({
      'POST /tenants': apiError(400, 'ValidationFailed', 'Some fields are invalid.', [
        { path: ['subdomain'], message: 'was used by a deleted tenant' },
        { path: 'adminEmail', message: 'domain does not accept mail' },
      ]),
    });
    await fillValidForm(user);
    await user.click(screen.getByRole('button', { name: 'Create tenant' }));
    await waitFor(() => expect(fieldError(screen.getByLabelText('Subdomain'))).toBe('was used by a deleted tenant'));
    expect(fieldError(screen.getByLabelText('Email'))).toBe('domain does not accept mail');
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Some fields are invalid.');
    expect(alert.textContent).toContain('req_ValidationFailed');

    // Editing the field clears the server's complaint about it.
    await user.type(screen.getByLabelText('Subdomain'), 'x');
    expect(fieldError(screen.getByLabelText('Subdomain'))).toBeNull();
  });

  it('shows SlugTaken beside the subdomain', async () => {
    const { user } = setup({ 'POST /tenants': apiError(409, 'SlugTaken', 'The subdomain “acme-trading” is taken.') });
    await fillValidForm(user);
    await user.click(screen.getByRole('button', { name: 'Create tenant' }));
    await waitFor(() => expect(fieldError(screen.getByLabelText('Subdomain'))).toMatch(/is taken/));
  });

  it('runs a dry run with dryRun: true and lists the checks', async () => {
    const { user, api } = setup({
      'POST /tenants': {
        body: {
          dryRun: true,
          ok: false,
          checks: [
            { name: 'subdomain', ok: true, message: 'free' },
            { name: 'database', ok: false, message: 'connection refused' },
          ],
        },
      },
    });
    await fillValidForm(user);
    await user.click(screen.getByRole('button', { name: 'Dry run' }));
    const report = await screen.findByRole('status', { name: 'Dry run result' });
    expect(report.textContent).toMatch(/found problems/);
    expect(within(report).getByText('database').closest('li')?.textContent).toMatch(/Failed:.*connection refused/);
    expect(api.calls('POST', '/tenants')[0]?.body).toMatchObject({ subdomain: 'acme-trading', dryRun: true });
  });

  it('creates the tenant and shows its URL and the one-time password once', async () => {
    const { user, api } = setup({
      'POST /tenants': {
        status: 201,
        body: {
          tenant: tenantSummary({ slug: 'acme-trading', name: 'Acme Trading' }),
          admin: { username: 'admin', email: 'owner@acme.example', oneTimePassword: 'Xq7-one-time-9Lk' },
          url: 'http://acme-trading.localhost:8000/',
        },
      },
    });
    await fillValidForm(user);
    await user.click(screen.getByLabelText('Multiple locations (shops or warehouses)'));
    await user.click(screen.getByRole('button', { name: 'Create tenant' }));

    await screen.findByRole('heading', { name: 'Tenant created' });
    expect(api.calls('POST', '/tenants')[0]?.body).toEqual({
      name: 'Acme Trading',
      subdomain: 'acme-trading',
      adminEmail: 'owner@acme.example',
      maxUsers: 50,
      multiLocation: true,
      demoData: false,
      dryRun: false,
    });
    expect(screen.getByRole('link', { name: 'http://acme-trading.localhost:8000/' })).toBeTruthy();
    expect(screen.getByLabelText('One-time password').textContent).toBe('Xq7-one-time-9Lk');
    expect(screen.getByText(/will not be shown again/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Copy password' }));
    expect(await navigator.clipboard.readText()).toBe('Xq7-one-time-9Lk');
    expect(screen.getByRole('button', { name: 'Copied ✓' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Create another tenant' }));
    expect(screen.queryByText('Xq7-one-time-9Lk')).toBeNull();
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('');
  });
});
