import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@salesfleet/models/testing';
import { createTestApp, type TestApp } from '../testing';
import { LoginThrottle, RegistryAttemptStore, signInKeys } from './login-throttle';

const registries = (await testDialects()).filter((d) => d !== 'mysql');

describe.each(registries)('sign-in attempts in a %s registry', (registryEngine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ registryEngine });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const rows = async () =>
    Number(
      (
        await t.tenancy.registry.sequelize.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM sign_in_attempts', {
          type: QueryTypes.SELECT,
        })
      )[0]!.n,
    );

  it('lets at most 5 of 60 parallel attempts through, whichever throttle object counts them', async () => {
    const keys = signInKeys(`tenant:${registryEngine}`, 'id:1', '192.0.2.1');
    // Three throttles on one registry: three API processes.
    const throttles = [0, 1, 2].map(() => new LoginThrottle({ store: new RegistryAttemptStore(t.tenancy.registry.sequelize) }));
    const waits = await Promise.all(Array.from({ length: 60 }, (_, i) => throttles[i % 3]!.begin(keys, 1_000_000)));
    // Each key is counted atomically; an attempt goes ahead when both of its keys are within the limit,
    // so under a race slightly fewer than 5 may go ahead (never more).
    const allowed = waits.filter((w) => w === 0).length;
    expect(allowed).toBeLessThanOrEqual(5);
    expect(allowed).toBeGreaterThanOrEqual(1);
    expect(Math.min(...waits.filter((w) => w > 0))).toBe(900);
    // The window closes: attempts are allowed again.
    expect(await throttles[0]!.begin(keys, 1_000_000 + 15 * 60_000)).toBe(0);
  });

  it('sweeps keys whose window has closed, so made-up logins cannot grow the table without bound', async () => {
    const throttle = new LoginThrottle({ store: new RegistryAttemptStore(t.tenancy.registry.sequelize) });
    for (let i = 0; i < 300; i++) await throttle.begin([`sweep|${i}`], 2_000_000);
    const before = await rows();
    expect(before).toBeGreaterThanOrEqual(300);
    for (let i = 0; i < 200; i++) await throttle.begin([`later|${i % 5}`], 2_000_000 + 16 * 60_000);
    expect(await rows()).toBeLessThan(before - 250);
  });
});
