/**
 * Secrets the current process was given (passwords from flags, environment or prompts). Everything
 * the CLI prints on its own behalf — error lines above all — goes through `scrub`, so a message from
 * a driver that echoes a password can never reach the terminal or a CI log.
 */
const known = new Set<string>();

export function rememberSecret(value: string | null | undefined): void {
  if (value && value.length >= 3) known.add(value);
}

// scheme://user:password@host — the same rule as @salesfleet/tenancy's maskUrlsInText, kept here so
// that printing an error never needs to load the tenancy package.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):([^@/?#\s]*)@/gi;

/** `text` with URL passwords and every remembered secret replaced by `***`. */
export function scrub(text: string): string {
  let out = text.replace(URL_PASSWORD, (_m, head: string) => `${head}:***@`);
  for (const secret of known) out = out.split(secret).join('***');
  return out;
}
