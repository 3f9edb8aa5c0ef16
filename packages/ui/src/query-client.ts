import { MutationCache, QueryCache, QueryClient, type QueryKey } from '@tanstack/react-query';
import { isApiError } from './api-client';

export interface AppQueryClientOptions {
  /** The query holding the signed-in session (`['me']`), which the app's sign-in gate reads. */
  sessionKey: QueryKey;
  /** How long a fetched answer counts as fresh. */
  staleTime: number;
}

/**
 * A web app's query client. Client errors (4xx) are not retried: they will not get better. A 401
 * anywhere ends the session in the browser (the gate shows sign-in); a PasswordChangeRequired
 * re-reads the session so the gate shows the forced change. The session query's own errors are the
 * gate's to show.
 */
export function createAppQueryClient({ sessionKey, staleTime }: AppQueryClientOptions): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onAuthError(error, query.queryKey[0] === sessionKey[0]) }),
    mutationCache: new MutationCache({ onError: (error) => onAuthError(error, false) }),
    defaultOptions: {
      queries: {
        retry: (failureCount, error) => {
          if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
          return failureCount < 1;
        },
        staleTime,
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });

  function onAuthError(error: unknown, fromSessionQuery: boolean) {
    if (fromSessionQuery || !isApiError(error)) return;
    if (error.status === 401 || error.code === 'Unauthenticated') client.setQueryData(sessionKey, null);
    else if (error.code === 'PasswordChangeRequired') void client.invalidateQueries({ queryKey: sessionKey });
  }

  return client;
}
