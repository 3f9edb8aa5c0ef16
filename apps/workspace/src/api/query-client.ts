import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from '@salesfleet/ui';

export const ME = ['me'] as const;

/**
 * One client for the workspace. Client errors (4xx) are not retried: they will not get better.
 * A 401 anywhere ends the session in the browser (the gate shows sign-in); a PasswordChangeRequired
 * re-reads the session so the gate shows the forced change.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onAuthError(error, query.queryKey[0] === ME[0]) }),
    mutationCache: new MutationCache({ onError: (error) => onAuthError(error, false) }),
    defaultOptions: {
      queries: {
        retry: (failureCount, error) => {
          if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
          return failureCount < 1;
        },
        staleTime: 15_000,
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });

  function onAuthError(error: unknown, fromSessionQuery: boolean) {
    if (fromSessionQuery || !isApiError(error)) return;
    if (error.status === 401) client.setQueryData(ME, null);
    else if (error.code === 'PasswordChangeRequired') void client.invalidateQueries({ queryKey: ME });
  }

  return client;
}
