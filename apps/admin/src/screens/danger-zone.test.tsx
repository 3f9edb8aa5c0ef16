import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { apiError, fakeApi, renderWithProviders } from '../test/render';
import { DangerZone } from './danger-zone';

function setup(response: Parameters<typeof fakeApi>[0][string] = { body: { deleted: true, keptDatabase: false } }) {
  const api = fakeApi({ 'DELETE /tenants/acme': response });
  const onDeleted = vi.fn();
  const user = userEvent.setup();
  renderWithProviders(<DangerZone slug="acme" onDeleted={onDeleted} />);
  const confirm = screen.getByLabelText(/Type acme to confirm/);
  const button = screen.getByRole<HTMLButtonElement>('button', { name: 'Delete acme' });
  return { api, onDeleted, user, confirm, button };
}

describe('delete confirmation', () => {
  it('keeps the button disabled until the subdomain is typed exactly', async () => {
    const { user, confirm, button } = setup();
    expect(button.disabled).toBe(true);
    for (const attempt of ['acm', 'ACME', 'acme ', ' acme', 'acme2']) {
      await user.clear(confirm);
      await user.type(confirm, attempt);
      expect(button.disabled, `typed ${JSON.stringify(attempt)}`).toBe(true);
    }
    await user.clear(confirm);
    await user.type(confirm, 'acme');
    expect(button.disabled).toBe(false);
  });

  it('sends nothing when Enter is pressed before the confirmation matches', async () => {
    const { api, user, confirm } = setup();
    await user.type(confirm, 'acm{Enter}');
    expect(api.requests).toHaveLength(0);
  });

  it('deletes with the typed confirmation and the keep-database choice', async () => {
    const { api, user, confirm, button, onDeleted } = setup({ body: { deleted: true, keptDatabase: true } });
    expect(screen.getByText(/all its data are dropped/)).toBeTruthy();
    await user.click(screen.getByLabelText(/Keep the database/));
    expect(screen.getByText(/Its database is kept/)).toBeTruthy();
    await user.type(confirm, 'acme');
    await user.click(button);
    await waitFor(() => expect(onDeleted).toHaveBeenCalledWith({ keptDatabase: true }));
    expect(api.calls('DELETE', '/tenants/acme')[0]?.body).toEqual({ confirm: 'acme', keepDatabase: true });
  });

  it('drops the database unless asked to keep it', async () => {
    const { api, user, confirm, button, onDeleted } = setup();
    await user.type(confirm, 'acme');
    await user.click(button);
    await waitFor(() => expect(onDeleted).toHaveBeenCalledWith({ keptDatabase: false }));
    expect(api.calls('DELETE', '/tenants/acme')[0]?.body).toEqual({ confirm: 'acme', keepDatabase: false });
  });

  it('shows the API’s refusal with its request id', async () => {
    const { user, confirm, button, onDeleted } = setup(apiError(409, 'Conflict', 'A migration is running on acme.'));
    await user.type(confirm, 'acme');
    await user.click(button);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('A migration is running on acme.');
    expect(alert.textContent).toContain('req_Conflict');
    expect(onDeleted).not.toHaveBeenCalled();
  });
});
