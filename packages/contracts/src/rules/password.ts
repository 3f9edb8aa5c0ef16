import { z } from 'zod';
import { ValidationFailed } from '../errors/classes';

/** Length bounds of a password a person chooses (tenant users and platform admins). */
export const PASSWORD_POLICY = { minLength: 12, maxLength: 256 } as const;

/** Sign-in accepts any password up to this length (hashing megabytes would be a DoS). */
export const LOGIN_PASSWORD_MAX_LENGTH = 1024;

/**
 * Problems with a proposed password, in words a user can act on; empty when it is acceptable.
 * `context` (username, email…) rejects passwords that merely repeat who the user is.
 */
export function validatePasswordStrength(password: string, context: { username?: string | null; email?: string | null } = {}): string[] {
  const problems: string[] = [];
  if (typeof password !== 'string' || password.length === 0) return ['Password is required.'];
  const length = [...password].length;
  if (length < PASSWORD_POLICY.minLength) {
    problems.push(`Password must be at least ${PASSWORD_POLICY.minLength} characters long.`);
  }
  if (length > PASSWORD_POLICY.maxLength) {
    problems.push(`Password must be at most ${PASSWORD_POLICY.maxLength} characters long.`);
  }
  if (password.trim().length === 0) {
    problems.push('Password cannot be only spaces.');
  } else if (new Set(password).size < 4) {
    problems.push('Password must use more than a few different characters.');
  }
  const lower = password.toLowerCase();
  const personal = [context.username, context.email, context.email?.split('@')[0]]
    .filter((v): v is string => typeof v === 'string' && v.length >= 3)
    .map((v) => v.toLowerCase());
  if (personal.some((v) => lower === v || (v.length >= 5 && lower.includes(v)))) {
    problems.push('Password must not contain your username or email address.');
  }
  return problems;
}

/** A new password's shape; its strength (which needs the user's name) is `validatePasswordStrength`. */
export const newPasswordSchema = z
  .string()
  .min(PASSWORD_POLICY.minLength, `at least ${PASSWORD_POLICY.minLength} characters`)
  .max(PASSWORD_POLICY.maxLength, `at most ${PASSWORD_POLICY.maxLength} characters`);

/** A password typed to sign in (or to confirm the current one): anything non-empty up to the cap. */
export const loginPasswordSchema = z
  .string()
  .min(1, 'required')
  .max(LOGIN_PASSWORD_MAX_LENGTH, `at most ${LOGIN_PASSWORD_MAX_LENGTH} characters`);

/** The password policy as a `ValidationFailed` naming the field (`path`), every problem listed. */
export function assertStrongPassword(
  password: string,
  who: { username?: string | null; email?: string | null },
  path = 'newPassword',
): void {
  const problems = validatePasswordStrength(password, who);
  if (problems.length > 0)
    throw new ValidationFailed(
      problems[0]!,
      problems.map((message) => ({ path, message })),
    );
}
