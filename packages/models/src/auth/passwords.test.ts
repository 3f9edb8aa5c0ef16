import { describe, expect, it } from 'vitest';
import {
  generatePassword,
  hashPassword,
  isDjangoPasswordHash,
  passwordNeedsRehash,
  unmatchablePasswordHash,
  verifyPassword,
} from './passwords';
import { scryptPool } from './scrypt-pool';
import { validatePasswordStrength } from '@salesfleet/contracts';

describe('hashPassword / verifyPassword', () => {
  it('stores a self-describing scrypt hash with OWASP parameters that verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
    expect(passwordNeedsRehash(hash)).toBe(false);
  });

  it('builds the unknown-account hash without hashing, at full cost, and no password matches it', async () => {
    const before = scryptPool.stats().completed;
    const hash = unmatchablePasswordHash();
    expect(scryptPool.stats().completed).toBe(before);
    // The same shape and parameters as a stored hash: verifying it costs what a real account's check costs.
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(passwordNeedsRehash(hash)).toBe(false);
    expect(unmatchablePasswordHash()).not.toBe(hash);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(false);
    expect(scryptPool.stats().completed).toBe(before + 1);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password 123'), hashPassword('same password 123')]);
    expect(a).not.toBe(b);
  });

  it('returns false (never throws) for malformed or hostile hashes', async () => {
    const good = await hashPassword('another good password');
    const [, n, r, p, salt, key] = good.split('$');
    const malformed = [
      '',
      'plain-text-password',
      'bcrypt$2b$10$abc',
      `scrypt$${n}$${r}$${p}$${salt}`,
      `scrypt$${n}$${r}$${p}$${salt}$${key}$extra`,
      `scrypt$100000$${r}$${p}$${salt}$${key}`, // N not a power of two
      `scrypt$${2 ** 30}$${r}$${p}$${salt}$${key}`, // absurd memory cost
      `scrypt$${n}$${r}$${p}$${salt}$not base64!`,
      `scrypt$${n}$${r}$${p}$${salt}$${key!.slice(0, 4)}`, // truncated key
      `scrypt$-1$${r}$${p}$${salt}$${key}`,
    ];
    for (const hash of malformed) {
      expect(await verifyPassword('another good password', hash), hash).toBe(false);
      expect(passwordNeedsRehash(hash)).toBe(true);
    }
    expect(await verifyPassword('another good password', undefined as unknown as string)).toBe(false);
  });

  it('still verifies hashes made with older, weaker parameters and flags them for rehash', async () => {
    // A hash written with N=2^14 (as an older deployment might have): verify, then ask for a rehash.
    const { scryptSync, randomBytes } = await import('node:crypto');
    const salt = randomBytes(16);
    const key = scryptSync('legacy password!', salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const legacy = `scrypt$16384$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
    expect(await verifyPassword('legacy password!', legacy)).toBe(true);
    expect(passwordNeedsRehash(legacy)).toBe(true);
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
