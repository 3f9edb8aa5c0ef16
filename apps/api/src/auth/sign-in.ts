import { InvalidCredentials, TooManyAttempts } from '../http/errors';
import type { LoginThrottle } from './login-throttle';

/**
 * The throttled part of every sign-in (tenant users and platform admins alike): refuse while any key
 * is blocked, count a failure on every key, clear the account's count on success. `verify` must take
 * the same time for unknown accounts (verify against a dummy hash) so neither the answer nor its
 * timing tells them apart.
 */
export async function throttledSignIn<T>(
  throttle: LoginThrottle,
  keys: readonly [accountKey: string, clientKey: string],
  verify: () => Promise<T | null>,
): Promise<T> {
  const wait = throttle.retryAfterSeconds(keys);
  if (wait > 0) throw new TooManyAttempts(wait);
  const result = await verify();
  if (result === null) {
    throttle.recordFailure(keys);
    throw new InvalidCredentials();
  }
  throttle.reset(keys[0]);
  return result;
}
