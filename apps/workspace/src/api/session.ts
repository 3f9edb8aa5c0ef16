import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isApiError } from '@salesfleet/ui';
import { api } from './client';
import { ME } from './query-client';
import type { Me, TenantUser, Workspace, WorkspaceSession } from './types';

export const WORKSPACE = ['workspace'] as const;

/**
 * The session: the signed-in user with permissions and groups, or null when there is none. One
 * request (`/api/session`) answers it and the workspace, which goes into the workspace's cache at once,
 * so the app opens after a single round trip.
 */
export const sessionQuery = queryOptions({
  queryKey: ME,
  queryFn: async ({ signal, client }): Promise<Me | null> => {
    try {
      const { me, workspace } = await api.get<WorkspaceSession>('/session', signal);
      if (workspace) client.setQueryData(WORKSPACE, workspace);
      return me;
    } catch (err) {
      if (isApiError(err) && err.status === 401) return null;
      throw err;
    }
  },
  staleTime: 60_000,
});

export function useMe() {
  return useQuery(sessionQuery);
}

/** The workspace's name, currency, locale, time zone and user limit (read again when settings change). */
export function useWorkspace(enabled = true) {
  return useQuery({
    queryKey: WORKSPACE,
    queryFn: ({ signal }) => api.get<{ workspace: Workspace }>('/workspace', signal).then((r) => r.workspace),
    staleTime: 5 * 60_000,
    enabled,
  });
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    // The session lives in the HttpOnly cookie the server sets; the returned token is not kept.
    mutationFn: (input: { login: string; password: string }) => api.post<{ user: TenantUser }>('/auth/login', input),
    onSuccess: async () => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== ME[0] });
      await client.invalidateQueries({ queryKey: ME });
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/auth/logout'),
    onSettled: () => {
      client.setQueryData(ME, null);
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== ME[0] });
      client.getMutationCache().clear();
    },
  });
}

export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) => api.post<{ user: TenantUser }>('/auth/change-password', input),
    onSuccess: ({ user }) => {
      client.setQueryData<Me | null>(ME, (me) => (me ? { ...me, user } : me));
      void client.invalidateQueries({ queryKey: ME });
    },
  });
}
