import { randomBytes, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { PasswordCheckBusy, scryptPool } from './scrypt-pool';
import { validatePasswordStrength } from '@salesfleet/contracts';

/**
 * Password hashing shared by tenant users and platform admins: scrypt with OWASP's parameters
 * (N = 2^17, r = 8, p = 1 — about 128 MiB and a few hundred ms per hash), stored as the
 * self-describing string `scrypt$N$r$p$salt$hash` (salt and hash base64url), so parameters can be
 * raised later while old hashes still verify (see passwordNeedsRehash).
 */
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

// Upper bounds accepted when verifying, so a forged hash string cannot make us burn memory or CPU.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

/** scrypt on the password worker pool (never on libuv's threads, which the database drivers need). */
function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return scryptPool.hash(password.normalize('NFKC'), salt, keyLength, options);
}

function scryptOptions(N: number, r: number, p: number): ScryptOptions {
  // Node refuses to use more than maxmem (default 32 MiB); scrypt needs 128 * N * r * p bytes.
  return { N, r, p, maxmem: 128 * N * r * p + 32 * 1024 * 1024 };
}

/**
 * scrypt cost for generated one-time passwords. They carry 120 random bits, so guessing them is
 * infeasible whatever the hash cost; the memory-hard cost of SCRYPT_PARAMS protects human-chosen
 * passwords. The holder must change the password at first sign-in (must-change), which stores a
 * full-cost hash, and `passwordNeedsRehash` flags this one meanwhile.
 */
export const ONE_TIME_SCRYPT_PARAMS = { N: 2 ** 12, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

async function hashWith(plain: string, params: typeof SCRYPT_PARAMS | typeof ONE_TIME_SCRYPT_PARAMS): Promise<string> {
  const { N, r, p, keyLength, saltLength } = params;
  const salt = randomBytes(saltLength);
  const key = await scryptAsync(plain, salt, keyLength, scryptOptions(N, r, p));
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** The hash to store for a password a person chose (full cost). */
export function hashPassword(plain: string): Promise<string> {
  return hashWith(plain, SCRYPT_PARAMS);
}

/**
 * A full-cost hash that no password matches, for signing in an unknown account: verifying against it
 * costs one scrypt at SCRYPT_PARAMS, as a real account's check does, so the answer's timing does not
 * tell the two apart. Building it costs nothing: random bytes stand in for the derived key (no
 * password derives a given 256-bit key in practice), so no process spends a hash (~128 MiB, a few
 * hundred ms of a core) on it at start-up or on its first unknown login.
 */
export function unmatchablePasswordHash(): string {
  const { N, r, p, keyLength, saltLength } = SCRYPT_PARAMS;
  return `scrypt$${N}$${r}$${p}$${randomBytes(saltLength).toString('base64url')}$${randomBytes(keyLength).toString('base64url')}`;
}

/** A new generated one-time password and its cheap hash (ONE_TIME_SCRYPT_PARAMS); the user must change it. */
export async function oneTimePassword(): Promise<{ password: string; hash: string }> {
  const password = generatePassword();
  return { password, hash: await hashWith(password, ONE_TIME_SCRYPT_PARAMS) };
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parseHash(hash: string): ParsedHash | null {
  if (typeof hash !== 'string') return null;
  const parts = hash.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, nText, rText, pText, saltText, keyText] = parts as [string, string, string, string, string, string];
  if (![nText, rText, pText].every((t) => /^[1-9][0-9]{0,9}$/.test(t))) return null;
  const N = Number(nText);
  const r = Number(rText);
  const p = Number(pText);
  if (N < 2 || N > MAX_N || (N & (N - 1)) !== 0 || r > MAX_R || p > MAX_P) return null;
  const b64url = /^[A-Za-z0-9_-]+$/;
  if (!b64url.test(saltText) || !b64url.test(keyText)) return null;
  const salt = Buffer.from(saltText, 'base64url');
  const key = Buffer.from(keyText, 'base64url');
  if (salt.length < 8 || key.length < 16 || key.length > 128) return null;
  return { N, r, p, salt, key };
}

/**
 * Django's `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`, kept for users imported from the old
 * system (import-users --from-django) until their first sign-in replaces it (passwordNeedsRehash is
 * true for it). Django hashes the password's UTF-8 bytes as given (no normalisation) with the salt's
 * UTF-8 bytes, and stores the 32-byte key in standard base64.
 */
export const DJANGO_PBKDF2_PREFIX = 'pbkdf2_sha256$';
// Django 5.2 uses 1,000,000 iterations; the bound keeps a forged row from costing minutes of CPU.
const MAX_PBKDF2_ITERATIONS = 10_000_000;

interface ParsedDjangoHash {
  iterations: number;
  salt: Buffer;
  key: Buffer;
}

function parseDjangoHash(hash: string): ParsedDjangoHash | null {
  if (typeof hash !== 'string' || !hash.startsWith(DJANGO_PBKDF2_PREFIX)) return null;
  const parts = hash.split('$');
  if (parts.length !== 4) return null;
  const [, iterationsText, saltText, keyText] = parts as [string, string, string, string];
  if (!/^[1-9][0-9]{0,7}$/.test(iterationsText)) return null;
  const iterations = Number(iterationsText);
  if (iterations > MAX_PBKDF2_ITERATIONS || saltText.length === 0) return null;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(keyText)) return null;
  const key = Buffer.from(keyText, 'base64');
  if (key.length < 16 || key.length > 64) return null;
  return { iterations, salt: Buffer.from(saltText, 'utf8'), key };
}

/** Whether `hash` is a Django PBKDF2-SHA256 hash this verifier accepts (the import keeps only those). */
export function isDjangoPasswordHash(hash: string): boolean {
  return parseDjangoHash(hash) !== null;
}

async function derive(plain: string, hash: string): Promise<{ key: Buffer; expected: Buffer } | null> {
  const django = parseDjangoHash(hash);
  if (django) {
    const key = await scryptPool.pbkdf2Sha256(plain, django.salt, django.iterations, django.key.length);
    return { key, expected: django.key };
  }
  const parsed = parseHash(hash);
  if (!parsed) return null;
  const key = await scryptAsync(plain, parsed.salt, parsed.key.length, scryptOptions(parsed.N, parsed.r, parsed.p));
  return { key, expected: parsed.key };
}

/**
 * True when `plain` matches `hash` — the product's scrypt hash, or an imported Django
 * `pbkdf2_sha256` one — and false for a wrong password and for a malformed or unusable hash.
 */
export async function verifyPassword(plain: string, hash: string): Promise<boolean> {
  if (typeof plain !== 'string') return false;
  let derived: { key: Buffer; expected: Buffer } | null;
  try {
    derived = await derive(plain, hash);
  } catch (err) {
    if (err instanceof PasswordCheckBusy) throw err; // shed, not wrong: the caller answers 503
    return false;
  }
  return derived !== null && derived.key.length === derived.expected.length && timingSafeEqual(derived.key, derived.expected);
}

/**
 * True when `hash` was made with weaker parameters than today's, or is not the product's own (an
 * imported Django hash): rehash after a successful sign-in.
 */
export function passwordNeedsRehash(hash: string): boolean {
  const parsed = parseHash(hash);
  if (!parsed) return true;
  const { N, r, p, keyLength } = SCRYPT_PARAMS;
  return parsed.N < N || parsed.r < r || parsed.p < p || parsed.key.length < keyLength;
}

/** A strong random password: 20 URL-safe characters (120 bits), for one-time admin passwords. */
export function generatePassword(): string {
  for (;;) {
    const candidate = randomBytes(15).toString('base64url');
    if (validatePasswordStrength(candidate).length === 0) return candidate;
  }
}
