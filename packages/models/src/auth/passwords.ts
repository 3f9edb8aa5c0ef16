import { randomBytes, timingSafeEqual } from 'node:crypto';
import { PasswordCheckBusy, passwordPool, type PasswordAlgorithm } from './password-pool';
import { validatePasswordStrength } from '@salesfleet/contracts';

/**
 * Password hashing shared by tenant users and platform admins. One rule: every hash written is
 * Argon2id — ARGON2_PARAMS for a password a person chose, ONE_TIME_ARGON2_PARAMS for a generated
 * one-time password — stored as the standard PHC string `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`
 * (salt and hash in unpadded standard base64, as argon2's reference implementation and
 * @node-rs/argon2 write it). Older formats are only read: the product's former
 * `scrypt$N$r$p$salt$hash` (N = 2^17, r = 8, p = 1; one-time N = 2^12) and imported Django
 * `pbkdf2_sha256$…`; passwordNeedsRehash is true for them, so the next sign-in stores Argon2id.
 *
 * ARGON2_PARAMS are OWASP's first choice (Password Storage Cheat Sheet: Argon2id, m = 19 MiB, t = 2,
 * p = 1; scrypt N = 2^17 is its fallback "if Argon2id is not available"): about 10 ms of one core and
 * 19 MiB per hash on this machine, where scrypt N = 2^17 took about 600 ms and 128 MiB. The password
 * is NFKC-normalised before hashing (Django hashes are checked on the bytes as given; see below).
 * Hashing runs on the password pool's workers (password-pool.ts), never on libuv's threads.
 */
export const ARGON2_PARAMS = { m: 19456, t: 2, p: 1, keyLength: 32, saltLength: 16 } as const;

/**
 * Argon2id cost for generated one-time passwords (4 MiB, one pass: about 1 ms). They carry 120
 * random bits, so guessing them is infeasible whatever the hash cost; the memory-hard cost of
 * ARGON2_PARAMS protects human-chosen passwords. The holder must change the password at first
 * sign-in (must-change), which stores a full-cost hash, and `passwordNeedsRehash` flags this one
 * meanwhile (its m and t are below ARGON2_PARAMS).
 */
export const ONE_TIME_ARGON2_PARAMS = { m: 4096, t: 1, p: 1, keyLength: 32, saltLength: 16 } as const;

type Argon2Params = typeof ARGON2_PARAMS | typeof ONE_TIME_ARGON2_PARAMS;

// Upper bounds accepted when verifying, so a forged hash string cannot make us burn memory or CPU:
// argon2id at most 64 MiB, 8 passes and 8 lanes (m·t about 13× today's); scrypt at most what the product
// ever wrote (N = 2^17, r = 8, p = 1: 128 MiB), since no new scrypt hash is made.
const MAX_ARGON2 = { m: 65536, t: 8, p: 8 } as const;
const MAX_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;

function argon2String(m: number, t: number, p: number, salt: Buffer, key: Buffer): string {
  const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');
  return `$argon2id$v=19$m=${m},t=${t},p=${p}$${b64(salt)}$${b64(key)}`;
}

async function hashWith(plain: string, params: Argon2Params): Promise<string> {
  const { m, t, p, keyLength, saltLength } = params;
  const salt = randomBytes(saltLength);
  const key = await passwordPool.derive(plain.normalize('NFKC'), salt, keyLength, { kind: 'argon2id', m, t, p });
  return argon2String(m, t, p, salt, key);
}

/** The hash to store for a password a person chose (full cost). */
export function hashPassword(plain: string): Promise<string> {
  return hashWith(plain, ARGON2_PARAMS);
}

/**
 * A full-cost hash that no password matches, for signing in an unknown account: verifying against it
 * costs one Argon2id at ARGON2_PARAMS, as a real account's check does, so the answer's timing does
 * not tell the two apart. Building it costs nothing: random bytes stand in for the derived key (no
 * password derives a given 256-bit key in practice), so no process spends a hash on it at start-up
 * or on its first unknown login.
 */
export function unmatchablePasswordHash(): string {
  const { m, t, p, keyLength, saltLength } = ARGON2_PARAMS;
  return argon2String(m, t, p, randomBytes(saltLength), randomBytes(keyLength));
}

/** A new generated one-time password and its cheap hash (ONE_TIME_ARGON2_PARAMS); the user must change it. */
export async function oneTimePassword(): Promise<{ password: string; hash: string }> {
  const password = generatePassword();
  return { password, hash: await hashWith(password, ONE_TIME_ARGON2_PARAMS) };
}

interface ParsedHash {
  algorithm: PasswordAlgorithm;
  salt: Buffer;
  key: Buffer;
}

const DECIMAL = /^[1-9][0-9]{0,9}$/;

/** `$argon2id$v=19$m=…,t=…,p=…$salt$hash`, within MAX_ARGON2; anything else (argon2i/d, v=16, key ids) is refused. */
function parseArgon2(hash: string): ParsedHash | null {
  const match = /^\$argon2id\$v=19\$m=([0-9]+),t=([0-9]+),p=([0-9]+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(hash);
  if (!match) return null;
  const [, mText, tText, pText, saltText, keyText] = match as unknown as [string, string, string, string, string, string];
  if (![mText, tText, pText].every((x) => DECIMAL.test(x))) return null;
  const m = Number(mText);
  const t = Number(tText);
  const p = Number(pText);
  if (m > MAX_ARGON2.m || t > MAX_ARGON2.t || p > MAX_ARGON2.p || m < 8 * p) return null;
  const salt = Buffer.from(saltText, 'base64');
  const key = Buffer.from(keyText, 'base64');
  if (salt.length < 8 || salt.length > 64 || key.length < 16 || key.length > 128) return null;
  return { algorithm: { kind: 'argon2id', m, t, p }, salt, key };
}

/** The former `scrypt$N$r$p$salt$hash` (base64url), within MAX_SCRYPT. */
function parseScrypt(hash: string): ParsedHash | null {
  const parts = hash.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, nText, rText, pText, saltText, keyText] = parts as [string, string, string, string, string, string];
  if (![nText, rText, pText].every((x) => DECIMAL.test(x))) return null;
  const N = Number(nText);
  const r = Number(rText);
  const p = Number(pText);
  if (N < 2 || N > MAX_SCRYPT.N || (N & (N - 1)) !== 0 || r > MAX_SCRYPT.r || p > MAX_SCRYPT.p) return null;
  const b64url = /^[A-Za-z0-9_-]+$/;
  if (!b64url.test(saltText) || !b64url.test(keyText)) return null;
  const salt = Buffer.from(saltText, 'base64url');
  const key = Buffer.from(keyText, 'base64url');
  if (salt.length < 8 || key.length < 16 || key.length > 128) return null;
  return { algorithm: { kind: 'scrypt', N, r, p }, salt, key };
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

/** A stored hash the verifier accepts, with the password as that algorithm takes it. */
function parseAny(plain: string, hash: string): (ParsedHash & { password: string }) | null {
  if (typeof hash !== 'string') return null;
  const django = parseDjangoHash(hash);
  if (django) {
    const { iterations, salt, key } = django;
    return { algorithm: { kind: 'pbkdf2-sha256', iterations }, salt, key, password: plain };
  }
  const own = parseArgon2(hash) ?? parseScrypt(hash);
  return own && { ...own, password: plain.normalize('NFKC') };
}

/**
 * True when `plain` matches `hash` — the product's Argon2id hash, its former scrypt one, or an
 * imported Django `pbkdf2_sha256` one — and false for a wrong password and for a malformed, unusable
 * or out-of-bounds hash.
 */
export async function verifyPassword(plain: string, hash: string): Promise<boolean> {
  if (typeof plain !== 'string') return false;
  const parsed = parseAny(plain, hash);
  if (!parsed) return false;
  let key: Buffer;
  try {
    key = await passwordPool.derive(parsed.password, parsed.salt, parsed.key.length, parsed.algorithm);
  } catch (err) {
    if (err instanceof PasswordCheckBusy) throw err; // shed, not wrong: the caller answers 503
    return false;
  }
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/**
 * True unless `hash` is Argon2id with at least today's ARGON2_PARAMS: a one-time hash, the former
 * scrypt hashes, imported Django hashes and anything unparsable are replaced after a successful
 * sign-in.
 */
export function passwordNeedsRehash(hash: string): boolean {
  const parsed = typeof hash === 'string' ? parseArgon2(hash) : null;
  if (parsed?.algorithm.kind !== 'argon2id') return true;
  const { m, t, p } = parsed.algorithm;
  return m < ARGON2_PARAMS.m || t < ARGON2_PARAMS.t || p < ARGON2_PARAMS.p || parsed.key.length < ARGON2_PARAMS.keyLength;
}

/** A strong random password: 20 URL-safe characters (120 bits), for one-time admin passwords. */
export function generatePassword(): string {
  for (;;) {
    const candidate = randomBytes(15).toString('base64url');
    if (validatePasswordStrength(candidate).length === 0) return candidate;
  }
}
