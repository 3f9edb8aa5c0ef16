import { describe, expect, it } from 'vitest';
import { validatePasswordStrength } from '@salesfleet/contracts';
import { oneTimePassword, passwordNeedsRehash, verifyPassword } from './passwords';

describe('oneTimePassword', () => {
  it('hashes in the format verifyPassword reads, flagged for rehash at full cost', async () => {
    const { password, hash } = await oneTimePassword();
    expect(validatePasswordStrength(password)).toEqual([]);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=4096,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword(password, hash)).toBe(true);
    expect(await verifyPassword(`${password}x`, hash)).toBe(false);
    expect(passwordNeedsRehash(hash)).toBe(true);
    const other = await oneTimePassword();
    expect(other.password).not.toBe(password);
  });
});
