import { z } from 'zod';
import { PageFields, pageQuery } from './common';
import { EMAIL_MAX_LENGTH } from '../rules/email';
import { MAX_INT32 } from '../rules/limits';
import { LOGIN_PASSWORD_MAX_LENGTH, loginPasswordSchema, newPasswordSchema } from '../rules/password';
import { usernameSchema } from '../rules/username';
import { emailSchema } from '../rules/email';

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

// ── tenant users (`/api/auth/*`, `/api/users`, `/api/groups`, `/api/permissions`) ────────────────

export const TenantUserSchema = z
  .object({
    id: z.number().int(),
    username: z.string(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    isActive: z.boolean(),
    isSuperuser: z.boolean(),
    mustChangePassword: z.boolean(),
    lastLoginAt: z.string().nullable().describe('ISO 8601'),
  })
  .meta({ id: 'TenantUser' });
export type TenantUserJson = z.infer<typeof TenantUserSchema>;

export const TenantLoginResultSchema = z.object({ user: TenantUserSchema, token: z.string(), expiresAt: z.string() });
export const TenantUserResultSchema = z.object({ user: TenantUserSchema });

export const MeSchema = z.object({
  user: TenantUserSchema,
  permissions: z.array(z.string()).describe('Permission codenames (every one for superusers)'),
  groups: z.array(z.string()),
  locationIds: z.array(z.number().int()).nullable().describe('the locations the user may sell at; null: every location'),
});
export type MeJson = z.infer<typeof MeSchema>;

export const UserWithGroupsSchema = TenantUserSchema.extend({ groups: z.array(z.string()) }).meta({ id: 'TenantUserWithGroups' });
export type UserWithGroupsJson = z.infer<typeof UserWithGroupsSchema>;

const groupNames = z.array(z.string().trim().min(1).max(150)).max(50);

export const CreateUserInputSchema = z
  .object({
    username: usernameSchema,
    email: emailSchema,
    firstName: z.string().trim().max(150).optional(),
    lastName: z.string().trim().max(150).optional(),
    password: newPasswordSchema.optional().describe('Omit to generate a one-time password (the user must change it)'),
    groups: groupNames.optional(),
    isSuperuser: z.boolean().optional(),
  })
  .strict();
export type CreateUserInput = z.input<typeof CreateUserInputSchema>;

export const UpdateUserInputSchema = z
  .object({
    email: emailSchema.optional(),
    firstName: z.string().trim().max(150).optional(),
    lastName: z.string().trim().max(150).optional(),
    isActive: z.boolean().optional(),
    isSuperuser: z.boolean().optional(),
  })
  .strict();
export type UpdateUserInput = z.input<typeof UpdateUserInputSchema>;

export const UserListQuerySchema = z.object({
  search: z.string().trim().max(100).optional(),
  active: z.enum(['true', 'false']).optional(),
  ...pageQuery,
});

export const SetUserGroupsInputSchema = z.object({ groups: groupNames }).strict();
export const SetUserLocationsInputSchema = z.object({ locationIds: z.array(z.number().int().min(1).max(MAX_INT32)).max(1000) }).strict();

export const UserPageSchema = z.object({ users: z.array(UserWithGroupsSchema), ...PageFields });
export const UserResultSchema = z.object({ user: UserWithGroupsSchema });
export const CreateUserResultSchema = z.object({ user: UserWithGroupsSchema, oneTimePassword: z.string().optional() });
export const PasswordResetResultSchema = z.object({ user: UserWithGroupsSchema, oneTimePassword: z.string() });
export const UserLocationsSchema = z.object({ locationIds: z.array(z.number().int()).nullable() });

export const GroupSchema = z.object({ id: z.number().int(), name: z.string(), permissions: z.array(z.string()) }).meta({ id: 'Group' });
export type GroupJson = z.infer<typeof GroupSchema>;
export const GroupListSchema = z.object({ groups: z.array(GroupSchema) });
export const PermissionListSchema = z.object({ permissions: z.array(z.object({ codename: z.string(), name: z.string() })) });
