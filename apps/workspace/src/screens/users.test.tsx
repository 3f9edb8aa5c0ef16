import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, fakeApi, me, renderApp, session, workspace } from '../test/render';

const ADMIN = ['auth.view_user', 'auth.manage_users', 'auth.view_group'];
const groups = [
  { id: 1, name: 'Admin', permissions: [] },
  { id: 2, name: 'Managers', permissions: [] },
  { id: 3, name: 'Cashiers', permissions: ['sales.add_invoice'] },
];
const adminUser = { ...me(ADMIN, { id: 1, username: 'admin', isSuperuser: true }).user, groups: ['Admin'] };

describe('users', () => {
  it('shows the user limit, creates a cashier and shows the one-time password once', async () => {
    let active = 1;
    const users = [adminUser];
    const api = fakeApi({
      'GET /session': () => session(me(ADMIN, { username: 'admin' }, ['Admin']), workspace({ maxUsers: 2, activeUsers: active })),
      // Read again after a user is added.
      'GET /workspace': () => ({ body: { workspace: workspace({ maxUsers: 2, activeUsers: active }) } }),
      'GET /users': () => ({ body: { users, total: users.length, limit: 25, offset: 0 } }),
      'GET /groups': { body: { groups } },
      'POST /users': (req) => {
        active++;
        const body = req.body as { username: string; email: string; groups: string[] };
        users.push({
          ...adminUser,
          id: 2,
          username: body.username,
          email: body.email,
          isSuperuser: false,
          mustChangePassword: true,
          groups: body.groups,
        });
        return { status: 201, body: { user: users[1], oneTimePassword: 'Kq7-one-time-Pw9' } };
      },
    });
    const user = userEvent.setup();
    renderApp('/users');
    expect((await screen.findByLabelText('User limit')).textContent).toContain('1 of 2 active users');
    await user.click(screen.getByRole('button', { name: 'Add user' }));
    await user.type(screen.getByLabelText('Username'), 'casey');
    await user.type(screen.getByLabelText('Email'), 'casey@shop.example');
    await user.click(screen.getByRole('button', { name: 'Create user' }));
    expect((await screen.findByLabelText('One-time password')).textContent).toBe('Kq7-one-time-Pw9');
    expect(api.calls('POST', '/users')[0]!.body).toEqual({
      username: 'casey',
      email: 'casey@shop.example',
      firstName: '',
      lastName: '',
      groups: ['Cashiers'],
    });
    // The limit is reached now: said, and no more "Add user".
    await waitFor(() => expect(screen.getByLabelText('User limit').textContent).toContain('2 of 2 active users — the limit is reached'));
    expect(screen.getByRole('button', { name: 'Add user' })).toHaveProperty('disabled', true);
    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByText('Kq7-one-time-Pw9')).toBeNull();
    expect(within(screen.getByRole('table')).getByText('casey')).toBeTruthy();
  });

  it('pages with the page fields the API answers (no "NaN–NaN")', async () => {
    const all = Array.from({ length: 27 }, (_, i) => ({ ...adminUser, id: i + 1, username: `user${String(i + 1).padStart(2, '0')}` }));
    let total = 3;
    const api = fakeApi({
      'GET /session': session(me(ADMIN, { username: 'admin' }, ['Admin'])),
      'GET /users': (req) => {
        const limit = Number(req.query.get('limit'));
        const offset = Number(req.query.get('offset') ?? 0);
        return { body: { users: all.slice(0, total).slice(offset, offset + limit), total, limit, offset } };
      },
      'GET /groups': { body: { groups } },
    });
    const first = renderApp('/users');
    expect(await screen.findByText('user03')).toBeTruthy();
    // Three users fit one page: no pager at all.
    expect(screen.queryByRole('navigation', { name: 'Pages of users' })).toBeNull();
    expect(document.body.textContent).not.toContain('NaN');
    first.unmount();
    total = 27;
    renderApp('/users?offset=25');
    expect(await screen.findByText('user27')).toBeTruthy();
    expect(screen.getByRole('navigation', { name: 'Pages of users' }).textContent).toContain('26–27 of 27');
    expect(api.calls('GET', '/users').at(-1)!.query.get('offset')).toBe('25');
  });

  it('shows the API’s field message when the username is taken', async () => {
    fakeApi({
      'GET /session': session(me(ADMIN, { username: 'admin' }, ['Admin'])),
      'GET /users': { body: { users: [adminUser], total: 1, limit: 25, offset: 0 } },
      'GET /groups': { body: { groups } },
      'POST /users': apiError(409, 'Conflict', 'The username "admin" is taken', [{ path: 'username', message: 'taken' }]),
    });
    const user = userEvent.setup();
    renderApp('/users');
    await user.click(await screen.findByRole('button', { name: 'Add user' }));
    await user.type(screen.getByLabelText('Username'), 'admin');
    await user.type(screen.getByLabelText('Email'), 'other@shop.example');
    await user.click(screen.getByRole('button', { name: 'Create user' }));
    expect(await screen.findByText('taken')).toBeTruthy();
  });
});
