import { z } from 'zod';
import { PASSWORD_POLICY, ValidationFailed, validatePasswordStrength } from '@salesfleet/models';

/** Sign-in accepts any password up to this length (scrypt over megabytes would be a DoS). */
const LOGIN_PASSWORD_MAX = 1024;

export const loginBody = z.object({
  login: z.string().trim().min(1, 'required').max(254, 'at most 254 characters'),
  password: z.string().min(1, 'required').max(LOGIN_PASSWORD_MAX, `at most ${LOGIN_PASSWORD_MAX} characters`),
});

/** A new password's shape; its strength (which needs the user's name) is checked by `assertStrongPassword`. */
export const newPasswordInput = z
  .string()
  .min(PASSWORD_POLICY.minLength, `at least ${PASSWORD_POLICY.minLength} characters`)
  .max(PASSWORD_POLICY.maxLength, `at most ${PASSWORD_POLICY.maxLength} characters`);

export const changePasswordBody = z
  .object({
    currentPassword: z.string().min(1, 'required').max(LOGIN_PASSWORD_MAX),
    newPassword: newPasswordInput,
  })
  .refine((b) => b.currentPassword !== b.newPassword, { path: ['newPassword'], message: 'must differ from the current password' });

/** The shared password policy (packages/models) as a 400 with the field named. */
export function assertStrongPassword(password: string, who: { username?: string; email?: string }, path = 'newPassword'): void {
  const problems = validatePasswordStrength(password, who);
  if (problems.length > 0)
    throw new ValidationFailed(
      problems[0]!,
      problems.map((message) => ({ path, message })),
    );
}
