import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { seg } from '@salesfleet/ui';
import type {
  AddPlatformAdminInput,
  Backup,
  CreateTenantAdminInput,
  MoveTenantInput,
  OperationRun,
  PlatformAdminCredentials,
  PlatformAdminEntry,
  RestoreBackupInput,
  TenantUserCredentials,
} from '@salesfleet/contracts';
import { api } from './client';
import { queryKeys } from './query-keys';

export function useBackups(slug: string) {
  return useQuery({
    queryKey: queryKeys.backups(slug),
    queryFn: ({ signal }) => api.get<{ backups: Backup[] }>(`/tenants/${seg(slug)}/backups`, signal).then((r) => r.backups),
  });
}

type Started = { runId: string };

export function useTakeBackup(slug: string) {
  return useMutation({ mutationFn: () => api.post<Started>(`/tenants/${seg(slug)}/backups`).then((r) => r.runId) });
}

export function useRestoreBackup(slug: string) {
  return useMutation({
    mutationFn: ({ name, input }: { name: string; input: RestoreBackupInput }) =>
      api.post<Started>(`/tenants/${seg(slug)}/backups/${seg(name)}/restore`, input).then((r) => r.runId),
  });
}

export function useMoveTenant(slug: string) {
  return useMutation({
    mutationFn: (input: MoveTenantInput) => api.post<Started>(`/tenants/${seg(slug)}/move`, input).then((r) => r.runId),
  });
}

export function useDeleteOldDatabase(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<{ database: string; dropped: boolean }>(`/tenants/${seg(slug)}/old-database`),
    onSettled: () => void client.invalidateQueries({ queryKey: ['operations'] }),
  });
}

/** A background run, polled every second while it runs; `onDone` once it has finished. */
export function useRun(runId: string | null) {
  return useQuery({
    queryKey: queryKeys.run(runId ?? ''),
    queryFn: ({ signal }) => api.get<{ run: OperationRun }>(`/runs/${seg(runId ?? '')}`, signal).then((r) => r.run),
    enabled: runId !== null,
    refetchInterval: (query) => (query.state.data && query.state.data.state !== 'running' ? false : 1000),
  });
}

// One-time passwords are in these answers: gcTime 0 keeps them out of the cache once the screen is gone.

export function useResetTenantUserPassword(slug: string) {
  return useMutation({
    mutationFn: (username: string) => api.post<TenantUserCredentials>(`/tenants/${seg(slug)}/users/${seg(username)}/reset-password`),
    gcTime: 0,
  });
}

export function useCreateTenantAdmin(slug: string) {
  return useMutation({
    mutationFn: (input: CreateTenantAdminInput) => api.post<TenantUserCredentials>(`/tenants/${seg(slug)}/admins`, input),
    gcTime: 0,
  });
}

export function usePlatformAdmins() {
  return useQuery({
    queryKey: queryKeys.platformAdmins,
    queryFn: ({ signal }) => api.get<{ admins: PlatformAdminEntry[] }>('/platform-admins', signal).then((r) => r.admins),
  });
}

function usePlatformAdminsChanged() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: queryKeys.platformAdmins });
    void client.invalidateQueries({ queryKey: ['operations'] });
  };
}

export function useAddPlatformAdmin() {
  const changed = usePlatformAdminsChanged();
  return useMutation({
    mutationFn: (input: AddPlatformAdminInput) => api.post<PlatformAdminCredentials>('/platform-admins', input),
    gcTime: 0,
    onSettled: changed,
  });
}

export function useResetPlatformAdminPassword() {
  const changed = usePlatformAdminsChanged();
  return useMutation({
    mutationFn: (username: string) => api.post<PlatformAdminCredentials>(`/platform-admins/${seg(username)}/reset-password`),
    gcTime: 0,
    onSettled: changed,
  });
}

export function useDisablePlatformAdmin() {
  const changed = usePlatformAdminsChanged();
  return useMutation({
    mutationFn: (username: string) => api.post<{ admin: PlatformAdminEntry }>(`/platform-admins/${seg(username)}/disable`),
    onSettled: changed,
  });
}
