import { z } from 'zod';
import { userSnapshot } from './tenant-sessions';

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

/** The API's view of a tenant user: the session's snapshot with the date as ISO 8601. */
export function userJson(u: Parameters<typeof userSnapshot>[0]): TenantUserJson {
  const snapshot = userSnapshot(u);
  return { ...snapshot, lastLoginAt: snapshot.lastLoginAt ? new Date(snapshot.lastLoginAt).toISOString() : null };
}
