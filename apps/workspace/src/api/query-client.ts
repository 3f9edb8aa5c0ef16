import type { QueryClient } from '@tanstack/react-query';
import { createAppQueryClient } from '@salesfleet/ui';

export const ME = ['me'] as const;

/** The workspace's query client (the shared rules in @salesfleet/ui). */
export function createQueryClient(): QueryClient {
  return createAppQueryClient({ sessionKey: ME, staleTime: 15_000 });
}
