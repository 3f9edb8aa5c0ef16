import type { Context } from 'hono';
import {
  addPlatformAdmin,
  createTenantAdmin,
  disablePlatformAdmin,
  listPlatformAdmins,
  resetPlatformAdminPassword,
  resetTenantUserPassword,
  type PlatformAdminRecord,
} from '@salesfleet/tenancy';
import type { PlatformAdminEnv } from '../../app-env';
import type { PlatformApiRoutes } from '../../http/api-routes';
import type { AppTenancy } from '../../tenancy';
import {
  AddPlatformAdminInputSchema,
  CreateTenantAdminInputSchema,
  PlatformAdminCredentialsSchema,
  type PlatformAdminEntry,
  PlatformAdminEntryResultSchema,
  PlatformAdminListSchema,
  PlatformAdminParamSchema,
  SlugParamSchema,
  TenantUserCredentialsSchema,
  TenantUserParamSchema,
} from '@salesfleet/contracts';

const actorOf = (c: Context<PlatformAdminEnv>) => `admin:${c.var.admin.admin.username}`;

function adminEntry(admin: PlatformAdminRecord): PlatformAdminEntry {
  return {
    id: admin.id,
    username: admin.username,
    email: admin.email,
    isActive: admin.isActive,
    mustChangePassword: admin.mustChangePassword,
    lastLoginAt: admin.lastLoginAt ? admin.lastLoginAt.toISOString() : null,
    createdAt: admin.createdAt.toISOString(),
  };
}

const oneTime = 'The one-time password is in this answer only: it is never stored in plain or logged, and must be changed at first sign-in';

/**
 * Getting people back in from the console: a tenant user's one-time password, a new tenant admin, and
 * the platform's own admins (list, add, reset password, disable). Each is in the operations log with
 * the acting admin, never the password; an admin can neither disable nor reset themself, and the last
 * active admin cannot be disabled.
 */
export function platformRecoveryRoutes(routes: PlatformApiRoutes, deps: { tenancy: AppTenancy }): PlatformApiRoutes {
  const { tenancy } = deps;
  routes.add(
    {
      method: 'post',
      path: '/tenants/:slug/users/:username/reset-password',
      summary: 'Give a tenant user a one-time password (their sessions end; they must change it at sign-in)',
      description: oneTime,
      params: TenantUserParamSchema,
      responses: {
        200: { description: 'The new one-time password', schema: TenantUserCredentialsSchema },
        404: { description: 'TenantNotFound, NotFound: no such user' },
        409: { description: 'Conflict: the tenant is not working' },
      },
    },
    async (c, { params }) => c.json(await resetTenantUserPassword(tenancy, params.slug, params.username, { actor: actorOf(c) })),
  );

  routes.add(
    {
      method: 'post',
      path: '/tenants/:slug/admins',
      summary: 'Create a tenant admin (superuser in every default group) with a one-time password, within the user limit',
      description: oneTime,
      params: SlugParamSchema,
      body: CreateTenantAdminInputSchema,
      responses: {
        201: { description: 'Created', schema: TenantUserCredentialsSchema },
        404: { description: 'TenantNotFound' },
        409: { description: 'Conflict: the username or email is taken; LimitReached' },
      },
    },
    async (c, { params, body }) => c.json(await createTenantAdmin(tenancy, params.slug, body, { actor: actorOf(c) }), 201),
  );

  routes.add(
    {
      method: 'get',
      path: '/platform-admins',
      summary: 'Every platform admin, active or disabled',
      responses: { 200: { description: 'Admins', schema: PlatformAdminListSchema } },
    },
    async (c) => c.json({ admins: (await listPlatformAdmins(tenancy)).map(adminEntry) }),
  );

  routes.add(
    {
      method: 'post',
      path: '/platform-admins',
      summary: 'Add a platform admin with a one-time password',
      description: oneTime,
      body: AddPlatformAdminInputSchema,
      responses: {
        201: { description: 'Added', schema: PlatformAdminCredentialsSchema },
        409: { description: 'Conflict: the username or email is taken' },
      },
    },
    async (c, { body }) => {
      const { admin, oneTimePassword } = await addPlatformAdmin(tenancy, body, { actor: actorOf(c) });
      return c.json({ admin: adminEntry(admin), oneTimePassword }, 201);
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/platform-admins/:username/reset-password',
      summary: 'Give another platform admin a one-time password (their console sessions end)',
      description: oneTime,
      params: PlatformAdminParamSchema,
      responses: {
        200: { description: 'The new one-time password', schema: PlatformAdminCredentialsSchema },
        404: { description: 'NotFound' },
        409: { description: 'Conflict: your own account (change your password instead)' },
      },
    },
    async (c, { params }) => {
      const { admin, oneTimePassword } = await resetPlatformAdminPassword(tenancy, params.username, {
        actor: actorOf(c),
        actingAdminId: c.var.admin.admin.id,
      });
      return c.json({ admin: adminEntry(admin), oneTimePassword });
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/platform-admins/:username/disable',
      summary: 'Disable a platform admin (their sessions end); not yourself, not the last active admin',
      params: PlatformAdminParamSchema,
      responses: {
        200: { description: 'Disabled', schema: PlatformAdminEntryResultSchema },
        404: { description: 'NotFound' },
        409: { description: 'Conflict: yourself, or the last active admin' },
      },
    },
    async (c, { params }) => {
      const admin = await disablePlatformAdmin(tenancy, params.username, { actor: actorOf(c), actingAdminId: c.var.admin.admin.id });
      return c.json({ admin: adminEntry(admin) });
    },
  );

  return routes;
}
