import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from '@salesfleet/ui';
import { queryKeys } from './query-keys';

/**
 * One client for the console. Client errors (4xx) are not retried: they will not get better.
 * A 401 or a PasswordChangeRequired anywhere re-checks the session, so the gate shows the right screen.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onAuthError(error, query.queryKey[0] === 'me') }),
    mutationCache: new MutationCache({ onError: (error) => onAuthError(error, false) }),
    defaultOptions: {
      queries: {
        retry: (failureCount, error) => {
          if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
          return failureCount < 1;
        },
        staleTime: 10_000,
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });

  function onAuthError(error: unknown, fromSessionQuery: boolean) {
    if (fromSessionQuery || !isApiError(error)) return;
    if (error.code === 'Unauthenticated' || error.status === 401) {
      client.setQueryData(queryKeys.me, null);
    } else if (error.code === 'PasswordChangeRequired') {
      void client.invalidateQueries({ queryKey: queryKeys.me });
    }
  }

  return client;
}
