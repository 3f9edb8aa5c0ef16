import { useQuery } from '@tanstack/react-query';
import { seg } from '@salesfleet/ui';
import { api } from './client';
import type { FleetHealth, HealthHistory, TenantHealth } from '@salesfleet/contracts';
import { queryKeys } from './query-keys';

/** The fleet view reads the registry only (cheap): refreshed this often while open. */
export const FLEET_HEALTH_INTERVAL_MS = 30_000;
export const FLEET_HEALTH_PAGE = 50;

/** The fleet summary and one page of tenants with their last check, failures first. */
export function useFleetHealth(options: { offset?: number; refetchInterval?: number } = {}) {
  const offset = options.offset ?? 0;
  return useQuery({
    queryKey: queryKeys.fleetHealthPage(offset),
    queryFn: ({ signal }) => api.get<FleetHealth>(`/health?sort=health&dir=desc&limit=${FLEET_HEALTH_PAGE}&offset=${offset}`, signal),
    refetchInterval: options.refetchInterval,
    refetchIntervalInBackground: false,
  });
}

/** A live check of one tenant (opens its database once). */
export function useTenantHealth(slug: string) {
  return useQuery({
    queryKey: queryKeys.tenantHealth(slug),
    queryFn: ({ signal }) => api.get<{ health: TenantHealth }>(`/tenants/${seg(slug)}/health`, signal).then((r) => r.health),
  });
}

/** A tenant's recorded health samples over the last `days` (at most 30). */
export function useHealthHistory(slug: string, days = 30) {
  return useQuery({
    queryKey: queryKeys.healthHistory(slug, days),
    queryFn: ({ signal }) => api.get<HealthHistory>(`/tenants/${seg(slug)}/health/history?days=${days}`, signal),
  });
}
