import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isApiError } from '@salesfleet/ui';
import { api } from './client';
import type { PlatformAdmin } from '@salesfleet/contracts';
import { queryKeys } from './query-keys';

/** The signed-in admin, or null when there is no session. Other errors (network, 500) surface as errors. */
export function useSession() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: async ({ signal }): Promise<PlatformAdmin | null> => {
      try {
        const { admin } = await api.get<{ admin: PlatformAdmin }>('/auth/me', signal);
        return admin;
      } catch (err) {
        if (isApiError(err) && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
  });
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    // The session lives in the HttpOnly cookie the server sets; the returned token is not kept.
    mutationFn: (input: { login: string; password: string }) => api.post<{ admin: PlatformAdmin; token: string }>('/auth/login', input),
    onSuccess: ({ admin }) => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      client.setQueryData(queryKeys.me, admin);
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/auth/logout'),
    onSettled: () => {
      // Null session first (the gate shows sign-in), then forget every other answer of this session.
      client.setQueryData(queryKeys.me, null);
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      client.getMutationCache().clear();
    },
  });
}

export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) =>
      api.post<{ admin: PlatformAdmin }>('/auth/change-password', input),
    onSuccess: ({ admin }) => {
      client.setQueryData(queryKeys.me, admin);
    },
  });
}
