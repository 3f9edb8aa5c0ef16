import { randomBytes, scryptSync } from 'node:crypto';
import { hashSync as libraryHash, verifySync as libraryVerify } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import {
  generatePassword,
  hashPassword,
  isDjangoPasswordHash,
  passwordNeedsRehash,
  unmatchablePasswordHash,
  verifyPassword,
} from './passwords';
import { passwordPool } from './password-pool';
import { validatePasswordStrength } from '@salesfleet/contracts';

const FULL_COST = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/;

/** A hash in the product's former format, as the old hashPassword wrote it. */
function legacyScrypt(password: string, N: number): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFKC'), salt, 32, { N, r: 8, p: 1, maxmem: 256 * 1024 * 1024 });
  return `scrypt$${N}$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

describe('hashPassword / verifyPassword', () => {
  it('stores an Argon2id PHC string with OWASP parameters that verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(FULL_COST);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
    expect(passwordNeedsRehash(hash)).toBe(false);
  });

  it('writes the standard PHC string: the argon2 library verifies ours, and we verify the library’s', async () => {
    const ours = await hashPassword('interoperable password 7');
    expect(libraryVerify(ours, 'interoperable password 7')).toBe(true);
    expect(libraryVerify(ours, 'interoperable password 8')).toBe(false);
    const theirs = libraryHash('interoperable password 7', { memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(await verifyPassword('interoperable password 7', theirs)).toBe(true);
    expect(await verifyPassword('interoperable password 8', theirs)).toBe(false);
    expect(passwordNeedsRehash(theirs)).toBe(false);
  });

  it('normalises the password (NFKC) so both spellings of é sign in', async () => {
    const hash = await hashPassword('caf\u00e9 au lait 2024');
    expect(await verifyPassword('cafe\u0301 au lait 2024', hash)).toBe(true);
  });

  it('builds the unknown-account hash without hashing, at full cost, and no password matches it', async () => {
    const before = passwordPool.stats().completed;
    const hash = unmatchablePasswordHash();
    expect(passwordPool.stats().completed).toBe(before);
    // The same shape and parameters as a stored hash: verifying it costs what a real account's check costs.
    expect(hash).toMatch(FULL_COST);
    expect(passwordNeedsRehash(hash)).toBe(false);
    expect(unmatchablePasswordHash()).not.toBe(hash);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
    expect(passwordPool.stats().completed).toBe(before + 2);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password 123'), hashPassword('same password 123')]);
    expect(a).not.toBe(b);
  });

  it('refuses malformed and hostile hashes without hashing (false, never throws), and asks for a rehash', async () => {
    const good = await hashPassword('another good password');
    const [, , , , salt, key] = good.split('$');
    const scrypt = legacyScrypt('another good password', 2 ** 12);
    const [, , , , sSalt, sKey] = scrypt.split('$');
    const argon = (params: string, s = salt, k = key) => `$argon2id$v=19$${params}$${s}$${k}`;
    const refused = [
      '',
      'plain-text-password',
      'bcrypt$2b$10$abc',
      argon('m=1048576,t=2,p=1'), // 1 GiB: beyond the memory bound
      argon('m=19456,t=100,p=1'), // beyond the pass bound
      argon('m=19456,t=2,p=64'), // beyond the lane bound
      argon('m=19456,t=0,p=1'),
      argon('m=019456,t=2,p=1'),
      argon('m=4,t=2,p=1'), // below argon2's minimum of 8 KiB per lane
      argon('m=19456,t=2,p=1', salt, key!.slice(0, 8)), // truncated key
      argon('m=19456,t=2,p=1', 'c2FsdA', key), // 4-byte salt
      argon('m=19456,t=2,p=1', salt, 'not base64!'),
      `${argon('m=19456,t=2,p=1')}$extra`,
      good.replace('$argon2id$', '$argon2i$'),
      good.replace('$argon2id$', '$argon2d$'),
      good.replace('$v=19$', '$v=16$'),
      good.replace('$v=19$', '$'),
      good.replace('m=19456,t=2,p=1', 'm=19456,t=2,p=1,keyid=abc'),
      `scrypt$4096$8$1$${sSalt}`,
      `scrypt$4096$8$1$${sSalt}$${sKey}$extra`,
      `scrypt$100000$8$1$${sSalt}$${sKey}`, // N not a power of two
      `scrypt$${2 ** 18}$8$1$${sSalt}$${sKey}`, // above any scrypt the product wrote (256 MiB)
      `scrypt$${2 ** 30}$8$1$${sSalt}$${sKey}`, // absurd memory cost
      `scrypt$4096$32$1$${sSalt}$${sKey}`,
      `scrypt$4096$8$16$${sSalt}$${sKey}`,
      `scrypt$4096$8$1$${sSalt}$not base64!`,
      `scrypt$4096$8$1$${sSalt}$${sKey!.slice(0, 4)}`, // truncated key
      `scrypt$-1$8$1$${sSalt}$${sKey}`,
    ];
    const before = passwordPool.stats().completed;
    for (const hash of refused) {
      expect(await verifyPassword('another good password', hash), hash).toBe(false);
      expect(passwordNeedsRehash(hash), hash).toBe(true);
    }
    expect(passwordPool.stats().completed).toBe(before);
    expect(await verifyPassword('another good password', undefined as unknown as string)).toBe(false);
    // The bounds refuse only what is out of them: the same strings in range still verify.
    expect(await verifyPassword('another good password', argon('m=19456,t=2,p=1'))).toBe(true);
    expect(await verifyPassword('another good password', scrypt)).toBe(true);
  });

  it('verifies the former scrypt hashes (full cost and one-time) and flags them for rehash', async () => {
    for (const N of [2 ** 17, 2 ** 12]) {
      const legacy = legacyScrypt('legacy password!', N);
      expect(await verifyPassword('legacy password!', legacy)).toBe(true);
      expect(await verifyPassword('legacy password?', legacy)).toBe(false);
      expect(passwordNeedsRehash(legacy)).toBe(true);
    }
  });

  it('verifies Argon2id hashes made with weaker parameters and flags them for rehash', async () => {
    for (const options of [
      { memoryCost: 8192, timeCost: 2, parallelism: 1 },
      { memoryCost: 19456, timeCost: 1, parallelism: 1 },
      { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 16 },
    ]) {
      const weaker = libraryHash('weaker parameters 1', options);
      expect(await verifyPassword('weaker parameters 1', weaker)).toBe(true);
      expect(passwordNeedsRehash(weaker), weaker).toBe(true);
    }
    // Stronger than today (within the bounds): verifies and stays.
    const stronger = libraryHash('stronger parameters 1', { memoryCost: 32768, timeCost: 3, parallelism: 2 });
    expect(await verifyPassword('stronger parameters 1', stronger)).toBe(true);
    expect(passwordNeedsRehash(stronger)).toBe(false);
  });
});

describe('imported Django hashes (pbkdf2_sha256)', () => {
  // Django's own test vector (django/tests/auth_tests/test_hashers.py: make_password('lètmein', 'seasalt')).
  const django = 'pbkdf2_sha256$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=';

  it('verifies the right password only, byte for byte as Django hashed it, and asks for a rehash', async () => {
    expect(isDjangoPasswordHash(django)).toBe(true);
    expect(await verifyPassword('lètmein', django)).toBe(true);
    expect(await verifyPassword('lètmeiN', django)).toBe(false);
    // Django does not normalise: the decomposed spelling of è is another password.
    expect(await verifyPassword('le\u0300tmein', django)).toBe(false);
    expect(passwordNeedsRehash(django)).toBe(true);
  });

  it('refuses other algorithms, unusable and malformed Django hashes', async () => {
    const [, iterations, salt, key] = django.split('$');
    const refused = [
      '!Zx8rUnusablePasswordFromDjango',
      `pbkdf2_sha1$${iterations}$${salt}$${key}`,
      `argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA`,
      'bcrypt_sha256$$2b$12$abcdefghijklmnopqrstuu',
      `pbkdf2_sha256$${iterations}$${salt}`,
      `pbkdf2_sha256$0$${salt}$${key}`,
      `pbkdf2_sha256$99999999$${salt}$${key}`, // beyond the iteration bound
      `pbkdf2_sha256$${iterations}$$${key}`,
      `pbkdf2_sha256$${iterations}$${salt}$${key!.slice(0, 8)}`,
      `pbkdf2_sha256$${iterations}$${salt}$not base64!`,
    ];
    for (const hash of refused) {
      expect(await verifyPassword('lètmein', hash), hash).toBe(false);
      expect(isDjangoPasswordHash(hash), hash).toBe(false);
    }
  });
});

describe('generatePassword', () => {
  it('makes distinct 20-character URL-safe passwords that pass the policy', () => {
    const passwords = new Set(Array.from({ length: 50 }, () => generatePassword()));
    expect(passwords.size).toBe(50);
    for (const p of passwords) {
      expect(p).toMatch(/^[A-Za-z0-9_-]{20}$/);
      expect(validatePasswordStrength(p)).toEqual([]);
    }
  });
});
