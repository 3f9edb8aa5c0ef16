import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryString, seg } from '@salesfleet/ui';
import { api } from './client';
import type {
  CreateTenantInput,
  CreateTenantResult,
  Domain,
  DryRunResult,
  MigrationResult,
  TenantDetail,
  TenantPage,
  TenantListQuery,
  UpdateTenantInput,
} from '@salesfleet/contracts';
import { queryKeys } from './query-keys';

/**
 * One page of tenants, filtered, searched and sorted by the server. The previous page stays on screen
 * while the next one loads, so paging and typing a search never blank the table.
 */
export function useTenantPage(query: TenantListQuery) {
  return useQuery({
    queryKey: queryKeys.tenantPage(query),
    queryFn: ({ signal }) => api.get<TenantPage>(`/tenants${queryString({ ...query })}`, signal),
    placeholderData: keepPreviousData,
  });
}

export function useTenant(slug: string) {
  return useQuery({
    queryKey: queryKeys.tenant(slug),
    queryFn: ({ signal }) => api.get<{ tenant: TenantDetail }>(`/tenants/${seg(slug)}`, signal).then((r) => r.tenant),
  });
}

/** Refresh everything that shows a tenant after it changed (list, detail, health, operations). */
function useTenantChanged() {
  const client = useQueryClient();
  return (slug: string, tenant?: TenantDetail) => {
    if (tenant) client.setQueryData(queryKeys.tenant(slug), tenant);
    void client.invalidateQueries({ queryKey: queryKeys.tenants });
    void client.invalidateQueries({ queryKey: queryKeys.fleetHealth });
    void client.invalidateQueries({ queryKey: ['operations'] });
  };
}

export function useCreateTenant() {
  const changed = useTenantChanged();
  return useMutation({
    mutationFn: (input: CreateTenantInput) => api.post<CreateTenantResult>('/tenants', { ...input, dryRun: false }),
    // The answer holds the one-time password: keep it out of the mutation cache once the screen is gone.
    gcTime: 0,
    onSuccess: (result) => changed(result.tenant.slug),
  });
}

export function useCreateTenantDryRun() {
  return useMutation({
    mutationFn: (input: CreateTenantInput) => api.post<DryRunResult>('/tenants', { ...input, dryRun: true }),
  });
}

export function useUpdateTenant(slug: string) {
  const changed = useTenantChanged();
  return useMutation({
    mutationFn: (input: UpdateTenantInput) => api.patch<{ tenant: TenantDetail }>(`/tenants/${seg(slug)}`, input).then((r) => r.tenant),
    onSuccess: (tenant) => changed(slug, tenant),
  });
}

export function useSuspendTenant(slug: string) {
  const changed = useTenantChanged();
  return useMutation({
    mutationFn: (reason: string) =>
      api.post<{ tenant: TenantDetail }>(`/tenants/${seg(slug)}/suspend`, reason ? { reason } : {}).then((r) => r.tenant),
    onSuccess: (tenant) => changed(slug, tenant),
  });
}

export function useResumeTenant(slug: string) {
  const changed = useTenantChanged();
  return useMutation({
    mutationFn: () => api.post<{ tenant: TenantDetail }>(`/tenants/${seg(slug)}/resume`).then((r) => r.tenant),
    onSuccess: (tenant) => changed(slug, tenant),
  });
}

export function useDeleteTenant(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { confirm: string; keepDatabase: boolean }) =>
      api.delete<{ deleted: true; keptDatabase: boolean }>(`/tenants/${seg(slug)}`, input),
    onSuccess: () => {
      client.removeQueries({ queryKey: queryKeys.tenant(slug) });
      client.removeQueries({ queryKey: queryKeys.tenantHealth(slug) });
      void client.invalidateQueries({ queryKey: queryKeys.tenants });
      void client.invalidateQueries({ queryKey: queryKeys.fleetHealth });
      void client.invalidateQueries({ queryKey: ['operations'] });
    },
  });
}

export function migrateTenant(slug: string): Promise<MigrationResult> {
  return api.post<{ result: MigrationResult }>(`/tenants/${seg(slug)}/migrate`).then((r) => r.result);
}

export function useMigrateTenant(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => migrateTenant(slug),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: queryKeys.tenant(slug) });
      void client.invalidateQueries({ queryKey: queryKeys.tenants });
      void client.invalidateQueries({ queryKey: queryKeys.fleetHealth });
      void client.invalidateQueries({ queryKey: ['operations'] });
    },
  });
}

export function useAddDomain(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { domain: string; primary: boolean }) =>
      api.post<{ domain: Domain }>(`/tenants/${seg(slug)}/domains`, input).then((r) => r.domain),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.tenant(slug) }),
  });
}

export function useRemoveDomain(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (domain: string) => api.delete<void>(`/tenants/${seg(slug)}/domains/${seg(domain)}`),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.tenant(slug) }),
  });
}
