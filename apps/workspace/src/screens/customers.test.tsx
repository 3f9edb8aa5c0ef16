import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CASHIER, fakeApi, me, renderApp, session } from '../test/render';

const customer = (id: number, name: string) => ({
  id,
  name,
  email: null,
  phone: null,
  taxNumber: null,
  address: null,
  isActive: true,
  createdAt: '2026-03-01T10:00:00Z',
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('customers list search', () => {
  it('puts the search in the address (and asks the API) only once typing pauses for 300 ms', async () => {
    const api = fakeApi({
      'GET /session': session(me(CASHIER)),
      'GET /customers': (req) => {
        const q = req.query.get('q') ?? '';
        const rows = [customer(1, 'Ann Baker'), customer(2, 'Corner Café')].filter((c) => c.name.toLowerCase().includes(q.toLowerCase()));
        return { body: { customers: rows, total: rows.length, limit: 25, offset: 0 } };
      },
    });
    const { router } = renderApp('/customers?offset=25');
    await screen.findByText('Ann Baker');
    const search = screen.getByRole('searchbox');

    vi.useFakeTimers();
    fireEvent.change(search, { target: { value: 'cor' } });
    act(() => vi.advanceTimersByTime(200));
    fireEvent.change(search, { target: { value: 'corn' } });
    // Each keystroke starts the wait again: 299 ms after the last one nothing has moved.
    act(() => vi.advanceTimersByTime(299));
    expect((search as HTMLInputElement).value).toBe('corn');
    expect(new URLSearchParams(router.state.location.search).get('q')).toBeNull();
    expect(new URLSearchParams(router.state.location.search).get('offset')).toBe('25');
    act(() => vi.advanceTimersByTime(1));
    // A new search starts at the first page.
    expect(router.state.location.search).toBe('?q=corn');
    vi.useRealTimers();

    await waitFor(() => expect(screen.queryByText('Ann Baker')).toBeNull());
    expect(screen.getByText('Corner Café')).toBeTruthy();
    expect(
      api
        .calls('GET', '/customers')
        .filter((r) => r.query.get('q') !== null)
        .map((r) => r.query.get('q')),
    ).toEqual(['corn']);
  });
});
