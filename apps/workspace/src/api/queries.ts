import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { queryString } from '@salesfleet/ui';
import { api } from './client';
import type { Customer, Location, Page, Product } from './types';

export const locationsQuery = queryOptions({
  queryKey: ['locations'],
  queryFn: ({ signal }) => api.get<{ locations: Location[] }>('/locations', signal).then((r) => r.locations),
  staleTime: 60_000,
});

export function useLocations() {
  return useQuery(locationsQuery);
}

/** The active catalog for the till, held in memory so a scanned code is found without a round trip. */
export const sellableProductsQuery = queryOptions({
  queryKey: ['products', 'sellable'],
  queryFn: ({ signal }) => api.get<{ products: Product[] } & Page>('/products?active=true&limit=500', signal),
  staleTime: 30_000,
});

export function useSellableProducts() {
  return useQuery(sellableProductsQuery);
}

export function useCustomerSearch(q: string, enabled = true) {
  return useQuery<Customer[]>({
    queryKey: ['customers', 'search', q],
    queryFn: ({ signal }) =>
      api
        .get<{ customers: Customer[] } & Page>(`/customers${queryString({ q, active: 'true', limit: 8 })}`, signal)
        .then((r) => r.customers),
    enabled: enabled && q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
}

export function locationName(locations: readonly Location[] | undefined, id: number | null | undefined): string {
  if (id === null || id === undefined) return '—';
  return locations?.find((l) => l.id === id)?.name ?? `#${id}`;
}
