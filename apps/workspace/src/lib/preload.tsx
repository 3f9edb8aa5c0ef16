import type { QueryClient } from '@tanstack/react-query';
import { locationsQuery, sellableProductsQuery } from '../api/queries';
import { sessionQuery } from '../api/session';
import { screenChunk } from './screen-chunk';

/** The till's chunk (its route in app.tsx renders `<Screen chunk={till} />`). */
export const till = screenChunk(() => import('../screens/sell').then((m) => m.SellScreen));

/**
 * What a screen reads before it can show, started together instead of one after another: its chunk
 * and its API reads. Only screens with a speed target are here (the till: interactive ≤ 1.5 s).
 */
const SCREENS: Record<string, (client: QueryClient) => void> = {
  '/sell': (client) => {
    // The reads first: the browser opens at most 6 connections to the host, and the chunk's files queue behind them.
    void client.prefetchQuery(locationsQuery);
    void client.prefetchQuery(sellableProductsQuery);
    void till.load().catch(() => undefined); // a failed chunk is fetched again, and reported, when the route renders
  },
};

/** Start loading the screen at `path` (if it is one of the above): its chunk and its reads, in parallel. */
export function preloadScreen(client: QueryClient, path: string): void {
  SCREENS[path]?.(client);
}

/**
 * On opening the app, before the first render: the session (which brings the workspace) and, on a
 * screen above, that screen's chunk and reads — all at once, so a signed-in user's till waits for one
 * round trip after the app's script, not four. Without a session the screen's reads answer 401 (the
 * sign-in shows, as it would have); the API stays the judge of who may read what.
 */
export function preloadApp(client: QueryClient, path: string): void {
  void client.prefetchQuery(sessionQuery);
  preloadScreen(client, path);
}
