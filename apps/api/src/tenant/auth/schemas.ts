import { z } from 'zod';

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

export function userJson(u: {
  id: number;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  isActive: boolean;
  isSuperuser: boolean;
  mustChangePassword: boolean;
  lastLoginAt: Date | null;
}): TenantUserJson {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    firstName: u.firstName ?? '',
    lastName: u.lastName ?? '',
    isActive: Boolean(u.isActive),
    isSuperuser: Boolean(u.isSuperuser),
    mustChangePassword: Boolean(u.mustChangePassword),
    lastLoginAt: u.lastLoginAt ? new Date(u.lastLoginAt).toISOString() : null,
  };
}
