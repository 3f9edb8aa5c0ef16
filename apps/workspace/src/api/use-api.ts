import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { HttpMethod } from '@salesfleet/ui';
import { api } from './client';

/** A GET of the tenant API, keyed by its path (so every screen asking the same thing shares one answer). */
/**
 * The previous answer stays on screen while the next page or filter loads (`keepPrevious`, default
 * true) — not where the next answer has another shape (a different report).
 */
export function useApi<T>(path: string, options: { enabled?: boolean; staleTime?: number; keepPrevious?: boolean } = {}) {
  return useQuery({
    queryKey: [path.split(/[/?]/)[1] ?? path, path],
    queryFn: ({ signal }) => api.get<T>(path, signal),
    ...(options.keepPrevious === false ? {} : { placeholderData: keepPreviousData }),
    ...(options.enabled === undefined ? {} : { enabled: options.enabled }),
    ...(options.staleTime === undefined ? {} : { staleTime: options.staleTime }),
  });
}

/** A write; on success the answers of the named areas (`invoices`, `stock`…) are read again. */
export function useApiWrite<TInput, TOutput = unknown>(
  method: HttpMethod,
  path: (input: TInput) => string,
  refresh: readonly string[],
  body: (input: TInput) => unknown = (i) => i,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: TInput) => api.request<TOutput>(method, path(input), method === 'DELETE' ? undefined : body(input)),
    onSuccess: async () => {
      await Promise.all(refresh.map((area) => client.invalidateQueries({ queryKey: [area] })));
    },
  });
}
