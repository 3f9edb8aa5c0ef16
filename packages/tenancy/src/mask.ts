/**
 * Masking of secrets wherever values are formatted for people or logs: keys that name a secret, URL
 * passwords, and (when the caller knows them) literal secret values inside free text.
 */

export const MASK = '***';

const SECRET_KEY = /password|passwd|secret|token|credential|api[-_]?key/i;

// scheme://user:password@host — the password is everything between ':' and the last '@' of the authority.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):([^@/?#\s]*)@/gi;

/** Replaces the password of every `scheme://user:password@host` URL inside `text`. */
export function maskUrlsInText(text: string): string {
  return text.replace(URL_PASSWORD, (_m, head: string) => `${head}:${MASK}@`);
}

/** Whether a key names a secret (password, secret, token, …). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * A deep copy of `value` safe to log: every property whose key names a secret becomes `***` (unless it
 * is null/undefined/boolean, which say only whether one is set), and URL passwords inside strings are
 * masked. Cycles and depth are bounded.
 */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskUrlsInText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[…]';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: maskUrlsInText(value.message) };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (isSecretKey(k) && v !== null && v !== undefined && typeof v !== 'boolean') out[k] = MASK;
    else out[k] = maskSecrets(v, depth + 1);
  }
  return out;
}

/** `text` with URL passwords masked and every known secret value replaced by `***`. */
export function redact(text: string, secrets: readonly (string | null | undefined)[] = []): string {
  let out = maskUrlsInText(text);
  for (const s of secrets) {
    if (s && s.length >= 3) out = out.split(s).join(MASK);
  }
  return out;
}
