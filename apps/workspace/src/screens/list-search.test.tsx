import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, me, renderApp, session } from '../test/render';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

// The searches of these lists wait for typing to pause (useDebouncedInput), like the customers,
// products and invoices lists: a word typed fast asks the API once, not once per keystroke.
const lists = [
  {
    screen: 'quotes',
    url: '/quotes',
    permission: 'sales.view_quote',
    path: '/quotes',
    param: 'q',
    label: 'Number',
    body: { quotes: [], total: 0, limit: 25, offset: 0 },
  },
  {
    screen: 'suppliers',
    url: '/purchasing?tab=suppliers',
    permission: 'purchasing.view_supplier',
    path: '/suppliers',
    param: 'q',
    label: 'Search',
    body: { suppliers: [], total: 0, limit: 25, offset: 0 },
  },
  {
    screen: 'users',
    url: '/users',
    permission: 'auth.view_user',
    path: '/users',
    param: 'search',
    label: 'Search',
    body: { users: [], total: 0, limit: 25, offset: 0 },
  },
] as const;

describe('list searches', () => {
  it.each(lists)('the $screen search sends one request for a word typed fast', async (list) => {
    const api = fakeApi({
      'GET /session': session(me([list.permission], {}, ['Managers'])),
      'GET /locations': { body: { locations: [] } },
      [`GET ${list.path}`]: { body: list.body },
    });
    const { router } = renderApp(list.url);
    const search = await screen.findByLabelText(list.label);
    const searched = () =>
      api
        .calls('GET', list.path)
        .map((r) => r.query.get(list.param))
        .filter((v) => v !== null);

    vi.useFakeTimers();
    for (const text of ['c', 'co', 'cor', 'corn']) {
      fireEvent.change(search, { target: { value: text } });
      act(() => vi.advanceTimersByTime(100));
    }
    expect(new URLSearchParams(router.state.location.search).get(list.param)).toBeNull();
    act(() => vi.advanceTimersByTime(300));
    expect(new URLSearchParams(router.state.location.search).get(list.param)).toBe('corn');
    vi.useRealTimers();

    await waitFor(() => expect(searched()).toEqual(['corn']));
    expect((search as HTMLInputElement).value).toBe('corn');
  });
});
