import { z } from 'zod';
import { EMAIL_MAX_LENGTH } from '../rules/email';
import { LOGIN_PASSWORD_MAX_LENGTH, loginPasswordSchema, newPasswordSchema } from '../rules/password';

/** Sign-in of a tenant user or a platform admin: a username or an email, and the password. */
export const LoginInputSchema = z.object({
  login: z.string().trim().min(1, 'required').max(EMAIL_MAX_LENGTH, `at most ${EMAIL_MAX_LENGTH} characters`),
  password: loginPasswordSchema,
});
export type LoginInput = z.infer<typeof LoginInputSchema>;

/** A password change; the new password's strength (which needs the user's name) is `assertStrongPassword`. */
export const ChangePasswordInputSchema = z
  .object({
    currentPassword: z.string().min(1, 'required').max(LOGIN_PASSWORD_MAX_LENGTH),
    newPassword: newPasswordSchema,
  })
  .refine((b) => b.currentPassword !== b.newPassword, { path: ['newPassword'], message: 'must differ from the current password' });
export type ChangePasswordInput = z.infer<typeof ChangePasswordInputSchema>;
