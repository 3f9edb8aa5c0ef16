import { useQuery } from '@tanstack/react-query';
import { seg } from '@salesfleet/ui';
import { api } from './client';
import type { TenantHealth } from '@salesfleet/contracts';
import { queryKeys } from './query-keys';

export const FLEET_HEALTH_INTERVAL_MS = 15_000;

/** Every tenant's health. `refetchInterval` keeps the fleet view live. */
export function useFleetHealth(options: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: queryKeys.fleetHealth,
    queryFn: ({ signal }) => api.get<{ tenants: TenantHealth[] }>('/health', signal).then((r) => r.tenants),
    refetchInterval: options.refetchInterval,
    refetchIntervalInBackground: false,
  });
}

export function useTenantHealth(slug: string) {
  return useQuery({
    queryKey: queryKeys.tenantHealth(slug),
    queryFn: ({ signal }) => api.get<{ health: TenantHealth }>(`/tenants/${seg(slug)}/health`, signal).then((r) => r.health),
  });
}
