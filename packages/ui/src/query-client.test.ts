import { describe, expect, it } from 'vitest';
import { ApiError } from './api-client';
import { createAppQueryClient } from './query-client';

const SESSION = ['me'] as const;
const signedIn = { user: 'ada' };

function appClient() {
  const client = createAppQueryClient({ sessionKey: SESSION, staleTime: 60_000 });
  client.setQueryData(SESSION, signedIn);
  return client;
}

describe('the web apps’ query client', () => {
  it('ends the session in the browser when any other query answers 401, and does not retry it', async () => {
    const client = appClient();
    let calls = 0;
    const failing = client.fetchQuery({
      queryKey: ['tenants'],
      queryFn: () => {
        calls++;
        throw new ApiError(401, 'Unauthenticated', 'sign in');
      },
    });
    await expect(failing).rejects.toThrow('sign in');
    expect(calls).toBe(1);
    expect(client.getQueryData(SESSION)).toBeNull();
  });

  it('leaves the session query’s own failure to the sign-in gate', async () => {
    const client = appClient();
    await expect(
      client.fetchQuery({ queryKey: SESSION, staleTime: 0, queryFn: () => Promise.reject(new ApiError(401, 'Unauthenticated', 'no')) }),
    ).rejects.toThrow('no');
    expect(client.getQueryState(SESSION)?.status).toBe('error');
  });

  it('re-reads the session when a mutation answers PasswordChangeRequired', async () => {
    const client = appClient();
    const mutation = client.getMutationCache().build(client, {
      mutationFn: () => Promise.reject(new ApiError(403, 'PasswordChangeRequired', 'change it')),
    });
    await expect(mutation.execute(undefined)).rejects.toThrow('change it');
    expect(client.getQueryState(SESSION)?.isInvalidated).toBe(true);
    expect(client.getQueryData(SESSION)).toEqual(signedIn);
  });

  it('retries a server error once, a client error never', async () => {
    const client = appClient();
    let calls = 0;
    await expect(
      client.fetchQuery({
        queryKey: ['server'],
        retryDelay: 0,
        queryFn: () => {
          calls++;
          throw new ApiError(503, 'Unavailable', 'busy');
        },
      }),
    ).rejects.toThrow('busy');
    expect(calls).toBe(2);
  });
});
