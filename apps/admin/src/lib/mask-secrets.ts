// The API masks secrets in operation details already; the console masks again before rendering,
// so a value that slipped through (a new field, an older log row) is never shown in clear.

export const MASK = '••••••';

const SENSITIVE_KEY =
  /(password|passwd|passphrase|^pass$|^pwd$|secret|token|api[-_]?key|private[-_]?key|encryption[-_]?key|credential|authorization|cookie|one[-_]?time)/i;

/** `scheme://user:secret@host` → `scheme://user:••••••@host`; `password=secret` → `password=••••••`. */
export function maskSecretsInText(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)(@)/gi, (_m, head: string, secret: string, at: string) =>
      secret === MASK ? `${head}${secret}${at}` : `${head}${MASK}${at}`,
    )
    .replace(
      /\b(password|passwd|pwd|secret|token|one-time password)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&,;"']+)/gi,
      (_m, key: string, sep: string) => `${key}${sep}${MASK}`,
    );
}

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

/** Deep copy with secret-looking values masked: by key name, and inside strings (URLs with passwords). */
export function maskSecrets(value: unknown, key = ''): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'boolean') return value; // passwordSet: true is not a secret
  if (key && isSensitiveKey(key) && (typeof value === 'string' || typeof value === 'number')) {
    return value === '' ? '' : MASK;
  }
  if (typeof value === 'string') return maskSecretsInText(value);
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, key));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = maskSecrets(v, k);
    return out;
  }
  return value;
}
