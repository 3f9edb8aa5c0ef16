import type { LoginThrottle } from './login-throttle';
import { InvalidCredentials, TooManyAttempts } from '@salesfleet/contracts';

/**
 * The throttled part of every sign-in (tenant users and platform admins alike). The attempt is
 * counted on every key first; over the limit it is refused without touching the password hash. A
 * failure stays counted; a success clears the account's count; a check that was shed (the password
 * pool is full) is given back. `verify` must take the same time for unknown accounts (verify against a
 * dummy hash) so neither the answer nor its timing tells them apart.
 */
export async function throttledSignIn<T>(
  throttle: LoginThrottle,
  keys: readonly [accountKey: string, clientKey: string],
  verify: () => Promise<T | null>,
): Promise<T> {
  const wait = await throttle.begin(keys);
  if (wait > 0) throw new TooManyAttempts(wait);
  let result: T | null;
  try {
    result = await verify();
  } catch (err) {
    await throttle.notJudged(keys);
    throw err;
  }
  if (result === null) throw new InvalidCredentials();
  await throttle.succeeded(keys);
  return result;
}
