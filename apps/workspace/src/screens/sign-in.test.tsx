import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, CASHIER, fakeApi, me, renderApp, session, workspace } from '../test/render';

describe('signing in', () => {
  it('signs in with username or email and opens the till for a cashier', async () => {
    let signedIn = false;
    const api = fakeApi({
      'GET /session': () => (signedIn ? session(me(CASHIER)) : apiError(401, 'Unauthenticated', 'Sign in')),
      'POST /auth/login': (req) => {
        signedIn = true;
        return { body: { user: me(CASHIER).user, token: 't' }, ...(req ? {} : {}) };
      },
      'GET /locations': { body: { locations: [{ id: 1, code: 'MAIN', name: 'Main store', address: null, isActive: true }] } },
      'GET /products': { body: { products: [], total: 0, limit: 500, offset: 0 } },
    });
    const user = userEvent.setup();
    const { router } = renderApp('/');
    await user.type(await screen.findByLabelText('Username or email'), 'casey@shop.example');
    await user.type(screen.getByLabelText('Password'), 'a long enough password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Sell' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/sell');
    expect(api.calls('POST', '/auth/login')[0]!.body).toEqual({ login: 'casey@shop.example', password: 'a long enough password' });
    // A cashier's navigation has the till, invoices and customers — no dashboard, reports, users or settings.
    const nav = screen.getByRole('navigation', { name: 'Workspace' });
    const links = [...nav.querySelectorAll('a')].map((a) => a.textContent);
    expect(links).toEqual(expect.arrayContaining(['Sell', 'Invoices', 'Customers', 'Products & stock']));
    for (const hidden of ['Dashboard', 'Reports', 'Users', 'Settings', 'Expenses', 'Accounts']) expect(links).not.toContain(hidden);
  });

  it('shows the server’s message when the password is wrong', async () => {
    fakeApi({
      'GET /session': apiError(401, 'Unauthenticated', 'Sign in'),
      'POST /auth/login': apiError(401, 'InvalidCredentials', 'Wrong username, email or password'),
    });
    const user = userEvent.setup();
    renderApp('/');
    await user.type(await screen.findByLabelText('Username or email'), 'casey');
    await user.type(screen.getByLabelText('Password'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Wrong username, email or password')).toBeTruthy();
  });
});

describe('the forced password change', () => {
  it('holds back the workspace, refuses a short password and then lets the user in', async () => {
    let changed = false;
    const api = fakeApi({
      'GET /session': () => session(me(CASHIER, { mustChangePassword: !changed })),
      'POST /auth/change-password': () => {
        changed = true;
        return { body: { user: me(CASHIER).user } };
      },
      'GET /workspace': { body: { workspace: workspace() } },
      'GET /locations': { body: { locations: [{ id: 1, code: 'MAIN', name: 'Main store', address: null, isActive: true }] } },
      'GET /products': { body: { products: [], total: 0, limit: 500, offset: 0 } },
    });
    const user = userEvent.setup();
    renderApp('/sell');
    expect(await screen.findByRole('heading', { name: 'Choose a new password' })).toBeTruthy();
    expect(screen.queryByRole('navigation', { name: 'Workspace' })).toBeNull();
    expect(screen.getByText(/At least 12 characters/)).toBeTruthy();
    await user.type(screen.getByLabelText('Current password'), 'one-time-pass');
    await user.type(screen.getByLabelText('New password'), 'elevenchars');
    await user.type(screen.getByLabelText('Repeat new password'), 'elevenchars');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('At least 12 characters.')).toBeTruthy();
    expect(api.calls('POST', '/auth/change-password')).toHaveLength(0);

    await user.clear(screen.getByLabelText('New password'));
    await user.type(screen.getByLabelText('New password'), 'twelve chars ok');
    await user.clear(screen.getByLabelText('Repeat new password'));
    await user.type(screen.getByLabelText('Repeat new password'), 'twelve chars ok');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    await waitFor(() => expect(api.calls('POST', '/auth/change-password')).toHaveLength(1));
    expect(api.calls('POST', '/auth/change-password')[0]!.body).toEqual({
      currentPassword: 'one-time-pass',
      newPassword: 'twelve chars ok',
    });
    expect(await screen.findByRole('heading', { name: 'Sell' })).toBeTruthy();
  });
});

describe('screens the user may not use', () => {
  it('says so instead of showing an admin screen to a cashier, and asks the API nothing for it', async () => {
    const api = fakeApi({
      'GET /session': session(me(CASHIER)),
    });
    renderApp('/users');
    expect(await screen.findByRole('heading', { name: 'Not available to you' })).toBeTruthy();
    expect(api.calls('GET', '/users')).toHaveLength(0);
  });
});
