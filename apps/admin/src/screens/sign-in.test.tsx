import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, fakeApi, renderApp, signedInAdmin } from '../test/render';

function fieldError(field: HTMLElement): string | null {
  if (field.getAttribute('aria-invalid') !== 'true') return null;
  const id = field.getAttribute('aria-describedby');
  return id ? (document.getElementById(id)?.textContent ?? null) : null;
}

describe('sign in', () => {
  it('shows the sign-in form without a session and refuses empty fields without calling the API', async () => {
    const api = fakeApi({ 'GET /auth/me': apiError(401, 'Unauthenticated', 'Sign in first.') });
    const user = userEvent.setup();
    renderApp('/tenants');
    await user.click(await screen.findByRole('button', { name: 'Sign in' }));
    expect(fieldError(screen.getByLabelText('Username or email'))).toMatch(/Enter your username/);
    expect(fieldError(screen.getByLabelText('Password'))).toMatch(/Enter your password/);
    expect(api.calls('POST', '/auth/login')).toHaveLength(0);
  });

  it('shows the API’s message and request id when the credentials are wrong', async () => {
    const api = fakeApi({
      'GET /auth/me': apiError(401, 'Unauthenticated', 'Sign in first.'),
      'POST /auth/login': apiError(401, 'InvalidCredentials', 'Wrong username or password.'),
    });
    const user = userEvent.setup();
    renderApp('/tenants');
    await user.type(await screen.findByLabelText('Username or email'), 'admin');
    await user.type(screen.getByLabelText('Password'), 'not it');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not sign in');
    expect(alert.textContent).toContain('Wrong username or password.');
    expect(alert.textContent).toContain('req_InvalidCredentials');
    const login = api.calls('POST', '/auth/login')[0];
    expect(login?.body).toEqual({ login: 'admin', password: 'not it' });
    expect(login?.credentials).toBe('include');
    expect(login?.headers.get('content-type')).toBe('application/json');
  });

  it('shows TooManyAttempts as the API words it', async () => {
    fakeApi({
      'GET /auth/me': apiError(401, 'Unauthenticated', 'Sign in first.'),
      'POST /auth/login': apiError(429, 'TooManyAttempts', 'Too many attempts; try again in 60 seconds.'),
    });
    const user = userEvent.setup();
    renderApp('/');
    await user.type(await screen.findByLabelText('Username or email'), 'admin');
    await user.type(screen.getByLabelText('Password'), 'x');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toContain('try again in 60 seconds');
  });

  it('forces a password change before anything else, then opens the console', async () => {
    let admin = { ...signedInAdmin, mustChangePassword: true };
    const api = fakeApi({
      'GET /auth/me': apiError(401, 'Unauthenticated', 'Sign in first.'),
      'POST /auth/login': () => ({ body: { admin, token: 't' } }),
      'POST /auth/change-password': () => {
        admin = { ...admin, mustChangePassword: false };
        return { body: { admin } };
      },
      'GET /tenants': { body: { tenants: [], total: 0, limit: 50, offset: 0 } },
      'GET /health': { body: { tenants: [] } },
    });
    const user = userEvent.setup();
    renderApp('/tenants');
    await user.type(await screen.findByLabelText('Username or email'), 'admin');
    await user.type(screen.getByLabelText('Password'), 'one-time-pw');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await screen.findByRole('heading', { name: 'Choose a new password' });
    expect(screen.queryByRole('heading', { name: 'Tenants' })).toBeNull();
    expect(api.calls('GET', '/tenants')).toHaveLength(0);

    await user.type(screen.getByLabelText('Current password'), 'one-time-pw');
    await user.type(screen.getByLabelText('New password'), 'short');
    await user.type(screen.getByLabelText('Repeat new password'), 'different');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(fieldError(screen.getByLabelText('New password'))).toMatch(/at least 12/);
    expect(fieldError(screen.getByLabelText('Repeat new password'))).toMatch(/do not match/);
    expect(api.calls('POST', '/auth/change-password')).toHaveLength(0);

    await user.clear(screen.getByLabelText('New password'));
    await user.type(screen.getByLabelText('New password'), 'a much longer password');
    await user.clear(screen.getByLabelText('Repeat new password'));
    await user.type(screen.getByLabelText('Repeat new password'), 'a much longer password');
    await user.click(screen.getByRole('button', { name: 'Change password' }));

    await screen.findByRole('heading', { name: 'Tenants' });
    expect(api.calls('POST', '/auth/change-password')[0]?.body).toEqual({
      currentPassword: 'one-time-pw',
      newPassword: 'a much longer password',
    });
  });

  it('shows the API’s complaint about the new password beside the field', async () => {
    fakeApi({
      'GET /auth/me': { body: { admin: { ...signedInAdmin, mustChangePassword: true } } },
      'POST /auth/change-password': apiError(400, 'ValidationFailed', 'Password must not contain your username.', [
        { path: ['newPassword'], message: 'Password must not contain your username.' },
      ]),
    });
    const user = userEvent.setup();
    renderApp('/');
    await user.type(await screen.findByLabelText('Current password'), 'one-time-pw');
    await user.type(screen.getByLabelText('New password'), 'admin admin admin');
    await user.type(screen.getByLabelText('Repeat new password'), 'admin admin admin');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    await waitFor(() => expect(fieldError(screen.getByLabelText('New password'))).toMatch(/must not contain your username/));
  });

  it('signs out back to the sign-in form', async () => {
    let session = true;
    const api = fakeApi({
      'GET /auth/me': () => (session ? { body: { admin: signedInAdmin } } : apiError(401, 'Unauthenticated', 'Sign in first.')),
      'GET /tenants': { body: { tenants: [], total: 0, limit: 50, offset: 0 } },
      'GET /health': { body: { tenants: [] } },
      'POST /auth/logout': () => {
        session = false;
        return { status: 204 };
      },
    });
    const user = userEvent.setup();
    renderApp('/tenants');
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));
    await screen.findByRole('button', { name: 'Sign in' });
    expect(api.calls('POST', '/auth/logout')).toHaveLength(1);
  });
});
