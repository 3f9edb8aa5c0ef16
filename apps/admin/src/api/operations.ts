import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Operation, OperationListQuery } from '@salesfleet/contracts';
import { queryKeys } from './query-keys';

export function operationsPath(filters: OperationListQuery): string {
  const params = new URLSearchParams();
  if (filters.tenant) params.set('tenant', filters.tenant);
  if (filters.action) params.set('action', filters.action);
  if (filters.outcome) params.set('outcome', filters.outcome);
  if (filters.limit) params.set('limit', String(filters.limit));
  const query = params.toString();
  return query ? `/operations?${query}` : '/operations';
}

export function useOperations(filters: OperationListQuery) {
  return useQuery<Operation[]>({
    queryKey: queryKeys.operations(filters),
    queryFn: ({ signal }) => api.get<{ operations: Operation[] }>(operationsPath(filters), signal).then((r) => r.operations),
    // Keep the previous rows on screen while a new filter loads.
    placeholderData: keepPreviousData,
  });
}
