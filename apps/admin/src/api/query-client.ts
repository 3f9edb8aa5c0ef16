import type { QueryClient } from '@tanstack/react-query';
import { createAppQueryClient } from '@salesfleet/ui';
import { queryKeys } from './query-keys';

/** The console's query client (the shared rules in @salesfleet/ui). */
export function createQueryClient(): QueryClient {
  return createAppQueryClient({ sessionKey: queryKeys.me, staleTime: 10_000 });
}
