import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { PlatformAdminEntry } from '@salesfleet/contracts';
import { apiError, fakeApi, renderApp, signedInAdmin } from '../test/render';

function entry(overrides: Partial<PlatformAdminEntry>): PlatformAdminEntry {
  return {
    id: 2,
    username: 'second',
    email: 'second@ops.example',
    isActive: true,
    mustChangePassword: false,
    lastLoginAt: null,
    createdAt: '2026-12-01T10:00:00.000Z',
    ...overrides,
  };
}

const me = entry({ id: signedInAdmin.id, username: signedInAdmin.username, email: signedInAdmin.email });

function setup(admins: PlatformAdminEntry[], extra: Parameters<typeof fakeApi>[0] = {}) {
  let current = admins;
  const api = fakeApi({
    'GET /auth/me': { body: { admin: signedInAdmin } },
    'GET /platform-admins': () => ({ body: { admins: current } }),
    ...extra,
  });
  renderApp('/admins');
  return {
    api,
    user: userEvent.setup(),
    set: (next: PlatformAdminEntry[]) => {
      current = next;
    },
  };
}

describe('platform admins', () => {
  it('is in the navigation and lists the admins; you cannot disable or reset yourself', async () => {
    setup([me, entry({ isActive: false, username: 'gone', id: 3 })]);
    const table = await screen.findByRole('table', { name: 'Platform admins' });
    expect(screen.getByRole('link', { name: 'Platform admins' })).toBeTruthy();
    const mine = within(table).getByRole('row', { name: /admin \(you\)/ });
    expect(within(mine).queryByRole('button')).toBeNull();
    const gone = within(table).getByRole('row', { name: /gone/ });
    expect(gone.textContent).toContain('Disabled');
    expect(within(gone).queryByRole('button', { name: 'Disable…' })).toBeNull();
  });

  it('adds an admin and shows the one-time password once', async () => {
    const { api, user, set } = setup([me], {
      'POST /platform-admins': (req) => {
        const body = req.body as { username: string; email: string };
        const added = entry({ id: 5, ...body, mustChangePassword: true });
        set([me, added]);
        return { status: 201, body: { admin: added, oneTimePassword: 'fresh-one-time-pw' } };
      },
    });
    await screen.findByRole('table', { name: 'Platform admins' });
    const form = screen.getByRole('form', { name: 'Add a platform admin' });
    await user.click(within(form).getByRole('button', { name: 'Add admin' }));
    expect(within(form).getByLabelText('Username').getAttribute('aria-invalid')).toBe('true');
    expect(api.calls('POST', '/platform-admins')).toHaveLength(0);

    await user.type(within(form).getByLabelText('Username'), 'newbie');
    await user.type(within(form).getByLabelText('Email'), 'newbie@ops.example');
    await user.click(within(form).getByRole('button', { name: 'Add admin' }));
    expect((await screen.findByLabelText('One-time password')).textContent).toBe('fresh-one-time-pw');
    await screen.findByRole('row', { name: /newbie/ });
    expect(api.calls('POST', '/platform-admins')[0]?.body).toEqual({ username: 'newbie', email: 'newbie@ops.example' });
  });

  it('resets another admin’s password and disables them after a confirmation; shows a refusal', async () => {
    const second = entry({});
    const { api, user, set } = setup([me, second], {
      'POST /platform-admins/second/reset-password': { body: { admin: second, oneTimePassword: 'reset-one-time-pw' } },
      'POST /platform-admins/second/disable': () => {
        set([me, { ...second, isActive: false }]);
        return { body: { admin: { ...second, isActive: false } } };
      },
    });
    const row = await screen.findByRole('row', { name: /second/ });
    await user.click(within(row).getByRole('button', { name: 'Reset password' }));
    expect((await screen.findByLabelText('One-time password')).textContent).toBe('reset-one-time-pw');

    await user.click(within(row).getByRole('button', { name: 'Disable…' }));
    await user.click(within(row).getByRole('button', { name: 'Disable second' }));
    await screen.findByText('second is disabled; their sessions have ended.');
    expect(api.calls('POST', '/platform-admins/second/disable')).toHaveLength(1);
  });

  it('says why a disable was refused', async () => {
    const { user } = setup([me, entry({})], {
      'POST /platform-admins/second/disable': apiError(409, 'Conflict', 'second is the last active platform admin'),
    });
    const row = await screen.findByRole('row', { name: /second/ });
    await user.click(within(row).getByRole('button', { name: 'Disable…' }));
    await user.click(within(row).getByRole('button', { name: 'Disable second' }));
    expect((await screen.findByRole('alert')).textContent).toContain('last active platform admin');
  });
});
