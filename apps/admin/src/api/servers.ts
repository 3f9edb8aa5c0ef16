import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { seg } from '@salesfleet/ui';
import type { TenantServer, TenantServerState } from '@salesfleet/contracts';
import { api } from './client';
import { queryKeys } from './query-keys';

/** The registry's tenant servers (placement), with capacity, tenants placed and state. */
export function useTenantServers() {
  return useQuery({
    queryKey: queryKeys.servers,
    queryFn: ({ signal }) => api.get<{ servers: TenantServer[] }>('/servers', signal).then((r) => r.servers),
  });
}

/** Refetches the servers (and operations); a mutation settles only then, so "removed" never shows beside the removed row. */
function useServersChanged() {
  const client = useQueryClient();
  return () =>
    Promise.all([client.invalidateQueries({ queryKey: queryKeys.servers }), client.invalidateQueries({ queryKey: ['operations'] })]);
}

/** Registers a server; the URL (with its password) is sent once and never shown again. */
export function useAddTenantServer() {
  const changed = useServersChanged();
  return useMutation({
    mutationFn: (input: { name: string; url: string; capacity: number; state?: TenantServerState }) =>
      api.post<{ server: TenantServer }>('/servers', input).then((r) => r.server),
    // The URL holds a password: keep no mutation state around after it settles.
    gcTime: 0,
    onSettled: changed,
  });
}

export function useUpdateTenantServer() {
  const changed = useServersChanged();
  return useMutation({
    mutationFn: ({ name, ...patch }: { name: string; state?: TenantServerState; capacity?: number }) =>
      api.patch<{ server: TenantServer }>(`/servers/${seg(name)}`, patch).then((r) => r.server),
    onSettled: changed,
  });
}

export function useRemoveTenantServer() {
  const changed = useServersChanged();
  return useMutation({
    mutationFn: (name: string) => api.delete<{ removed: true }>(`/servers/${seg(name)}`),
    onSettled: changed,
  });
}
