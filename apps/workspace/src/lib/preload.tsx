import type { QueryClient } from '@tanstack/react-query';
import { locationsQuery, sellableProductsQuery } from '../api/queries';
import { sessionQuery } from '../api/session';

/**
 * What a screen reads before it can show, started together instead of one after another: its chunk
 * and its API reads. Only screens with a speed target are here (the till: interactive ≤ 1.5 s).
 */
const SCREENS: Record<string, (client: QueryClient) => void> = {
  '/sell': (client) => {
    void import('../screens/sell');
    void client.prefetchQuery(locationsQuery);
    void client.prefetchQuery(sellableProductsQuery);
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
