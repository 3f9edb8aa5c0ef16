import { describe, expect, it } from 'vitest';
import { LoginThrottle, MemoryAttemptStore, signInKeys } from './login-throttle';

describe('LoginThrottle (memory store)', () => {
  const keys = signInKeys('tenant:acme', 'id:7', '10.0.0.1');

  it('lets 5 attempts through in the window, refuses the 6th and says for how long', async () => {
    const t = new LoginThrottle();
    const now = 1_000_000;
    for (let i = 0; i < 5; i++) expect(await t.begin(keys, now + i * 1000)).toBe(0);
    // The window opened at `now` and closes at now + 900 s.
    expect(await t.begin(keys, now + 5000)).toBe(895);
    expect(await t.begin(keys, now + 899_999)).toBe(1);
    expect(await t.begin(keys, now + 900_000)).toBe(0);
  });

  it('counts before the check: of 60 attempts begun at once, 5 go ahead', async () => {
    const t = new LoginThrottle();
    const waits = await Promise.all(Array.from({ length: 60 }, () => t.begin(keys, 5_000)));
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
  });

  it('counts per client address across accounts; a success clears the account and gives the client its attempt back', async () => {
    const t = new LoginThrottle();
    const now = 5_000_000;
    for (let i = 0; i < 5; i++) expect(await t.begin(signInKeys('tenant:acme', `login:user${i}`, '10.0.0.9'), now)).toBe(0);
    // A sixth account from the same address is refused by the address key.
    expect(await t.begin(signInKeys('tenant:acme', 'login:someone-else', '10.0.0.9'), now)).toBeGreaterThan(0);
    // Another address and another tenant are not.
    expect(await t.begin(signInKeys('tenant:acme', 'login:someone-else', '10.0.0.10'), now)).toBe(0);
    expect(await t.begin(signInKeys('tenant:beta', 'login:someone-else', '10.0.0.9'), now)).toBe(0);

    const mine = signInKeys('tenant:acme', 'id:8', '10.0.0.11');
    for (let i = 0; i < 4; i++) await t.begin(mine, now);
    await t.succeeded(mine);
    // The account starts afresh: five more attempts; the client had 4 of its 5 counted, one given back.
    expect(await t.begin([mine[0]], now)).toBe(0);
    expect(await t.begin([mine[1]], now)).toBe(0);
    expect(await t.begin([mine[1]], now)).toBe(0);
    expect(await t.begin([mine[1]], now)).toBeGreaterThan(0);
  });

  it('forgets the least recently hit keys beyond its bound', async () => {
    const t = new LoginThrottle({ maxFailures: 1, store: new MemoryAttemptStore(3) });
    for (const k of ['a', 'b', 'c', 'd']) await t.begin([k], 10);
    expect(await t.begin(['a'], 11)).toBe(0);
    expect(await t.begin(['d'], 11)).toBeGreaterThan(0);
  });
});
