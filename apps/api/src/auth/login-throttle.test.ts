import { describe, expect, it } from 'vitest';
import { LoginThrottle, signInKeys } from './login-throttle';

describe('LoginThrottle', () => {
  const keys = signInKeys('tenant:acme', 'id:7', '10.0.0.1');

  it('blocks after 5 failures in the window and says for how long', () => {
    const t = new LoginThrottle();
    const now = 1_000_000;
    for (let i = 0; i < 4; i++) t.recordFailure(keys, now + i * 1000);
    expect(t.retryAfterSeconds(keys, now + 4000)).toBe(0);
    t.recordFailure(keys, now + 4000);
    // The oldest failure (at `now`) leaves the 15-minute window at now + 900 s.
    expect(t.retryAfterSeconds(keys, now + 5000)).toBe(895);
    expect(t.retryAfterSeconds(keys, now + 899_999)).toBe(1);
    expect(t.retryAfterSeconds(keys, now + 900_000)).toBe(0);
  });

  it('counts per client address across accounts, and a success clears only the account', () => {
    const t = new LoginThrottle();
    const now = 5_000_000;
    for (let i = 0; i < 5; i++) t.recordFailure(signInKeys('tenant:acme', `login:user${i}`, '10.0.0.9'), now);
    // A sixth account from the same address is blocked by the address key.
    expect(t.retryAfterSeconds(signInKeys('tenant:acme', 'login:someone-else', '10.0.0.9'), now)).toBeGreaterThan(0);
    // Another address is not.
    expect(t.retryAfterSeconds(signInKeys('tenant:acme', 'login:someone-else', '10.0.0.10'), now)).toBe(0);
    // Another tenant is not.
    expect(t.retryAfterSeconds(signInKeys('tenant:beta', 'login:someone-else', '10.0.0.9'), now)).toBe(0);
    const [account] = keys;
    for (let i = 0; i < 5; i++) t.recordFailure([account], now);
    expect(t.retryAfterSeconds([account], now)).toBeGreaterThan(0);
    t.reset(account);
    expect(t.retryAfterSeconds([account], now)).toBe(0);
  });

  it('forgets the least recently failed keys beyond its bound', () => {
    const t = new LoginThrottle({ maxKeys: 3, maxFailures: 1 });
    for (const k of ['a', 'b', 'c', 'd']) t.recordFailure([k], 10);
    expect(t.retryAfterSeconds(['a'], 11)).toBe(0);
    expect(t.retryAfterSeconds(['d'], 11)).toBeGreaterThan(0);
  });
});
