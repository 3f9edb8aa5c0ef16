import { fn, col, where, Op } from 'sequelize';
import {
  hashPassword,
  passwordNeedsRehash,
  type TenantModels,
  unmatchablePasswordHash,
  userLocationIds,
  verifyPassword,
} from '@salesfleet/models';
import { assertNotCrossSite, assertSameOrigin } from '../../auth/csrf';
import { signInKeys, type LoginThrottle } from '../../auth/login-throttle';
import { clearSessionCookie, setSessionCookie, TENANT_SESSION_COOKIE } from '../../auth/session-cookie';
import { hashSessionToken, presentedToken } from '../../auth/session-token';
import { throttledSignIn } from '../../auth/sign-in';
import type { TenantApiRoutes } from '../../http/api-routes';
import { createTenantSession, type PermissionCache, type TenantPrincipal, userJson } from './tenant-sessions';
import {
  assertStrongPassword,
  ChangePasswordInputSchema,
  LoginInputSchema,
  type MeJson,
  MeSchema,
  TenantLoginResultSchema,
  TenantUserResultSchema,
} from '@salesfleet/contracts';

/** What a login that names nobody is verified against: one full-cost Argon2id, same timing as a real user's. */
const unknownUserHash = unmatchablePasswordHash();

type UserRow = InstanceType<TenantModels['User']>;

/** Username (exact) or email (case-insensitive); an email shared by several users names none. */
async function findUserByLogin(models: TenantModels, login: string): Promise<UserRow | null> {
  const rows = await models.User.findAll({
    where: { [Op.or]: [{ username: login }, where(fn('lower', col('email')), login.toLowerCase())] },
    limit: 3,
  });
  return rows.find((r) => r.username === login) ?? (rows.length === 1 ? rows[0]! : null);
}

/** What `/api/auth/me` (and `/api/session`) say of the signed-in user. */
export async function meJson(models: TenantModels, p: TenantPrincipal): Promise<MeJson> {
  const locationIds = await userLocationIds(models, p.user.id);
  return { user: userJson(p.user), permissions: [...p.permissions].sort(), groups: [...p.groups], locationIds };
}

/** `/api/auth/*` on a tenant host. */
export function tenantAuthRoutes(
  routes: TenantApiRoutes,
  deps: { throttle: LoginThrottle; permissions: PermissionCache },
): TenantApiRoutes {
  const { throttle, permissions } = deps;

  routes.add(
    {
      method: 'post',
      path: '/auth/login',
      summary: 'Sign in with username or email and password; sets the session cookie and returns a bearer token',
      auth: false,
      body: LoginInputSchema,
      responses: {
        200: { description: 'Signed in', schema: TenantLoginResultSchema },
        401: { description: 'InvalidCredentials (same answer for unknown users, wrong passwords and deactivated users)' },
        429: { description: 'TooManyAttempts: 5 failures in 15 minutes per account or client address; see Retry-After' },
      },
    },
    async (c, { body }) => {
      assertNotCrossSite(c);
      const tenant = c.var.tenant;
      const models = c.var.db;
      const found = await findUserByLogin(models, body.login);
      const account = found ? `id:${found.id}` : `login:${body.login.toLowerCase()}`;
      const user = await throttledSignIn(throttle, signInKeys(`tenant:${tenant.slug}`, account, c.var.client.address), async () => {
        if (!found) {
          await verifyPassword(body.password, unknownUserHash);
          return null;
        }
        const ok = await verifyPassword(body.password, found.passwordHash);
        return ok && found.isActive ? found : null;
      });
      const now = new Date();
      const changes: Record<string, unknown> = { lastLoginAt: now };
      if (passwordNeedsRehash(user.passwordHash)) changes.passwordHash = await hashPassword(body.password);
      await user.update(changes);
      const session = await createTenantSession(models, user.id, {
        ip: c.var.client.address,
        userAgent: c.req.header('user-agent') ?? null,
      });
      setSessionCookie(c, TENANT_SESSION_COOKIE, session.token, session.expiresAt);
      c.var.logger.info({ userId: user.id }, 'tenant user signed in');
      return c.json({ user: userJson(user), token: session.token, expiresAt: session.expiresAt.toISOString() });
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/auth/logout',
      summary: 'Sign out: ends the presented session and clears the cookie (204 also without a session)',
      auth: false,
      responses: { 204: { description: 'Signed out' } },
    },
    async (c) => {
      const presented = presentedToken(c, TENANT_SESSION_COOKIE);
      if (presented) {
        if (presented.via === 'cookie') assertSameOrigin(c);
        const tokenHash = hashSessionToken(presented.token);
        const session = await c.var.db.Session.findOne({ where: { tokenHash }, attributes: ['id', 'userId'] });
        if (session) {
          await c.var.db.Session.destroy({ where: { id: session.id } });
          // Cached by this and other processes for up to a second: dropped everywhere now.
          permissions.forget(c.var.tenant, session.userId);
        }
      }
      clearSessionCookie(c, TENANT_SESSION_COOKIE);
      return c.body(null, 204);
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/auth/me',
      summary: 'The signed-in user, their permission codenames and groups',
      allowDuringPasswordChange: true,
      responses: { 200: { description: 'The user', schema: MeSchema } },
    },
    async (c) => c.json(await meJson(c.var.db, c.var.user)),
  );

  routes.add(
    {
      method: 'post',
      path: '/auth/change-password',
      summary: 'Change your password (required first after a one-time password); ends your other sessions',
      allowDuringPasswordChange: true,
      body: ChangePasswordInputSchema,
      responses: {
        200: { description: 'Changed', schema: TenantUserResultSchema },
        401: { description: 'InvalidCredentials: the current password is wrong' },
        429: { description: 'TooManyAttempts' },
      },
    },
    async (c, { body }) => {
      const tenant = c.var.tenant;
      const models = c.var.db;
      const principal = c.var.user;
      assertStrongPassword(body.newPassword, principal.user);
      const row = await models.User.findByPk(principal.user.id);
      const keys = signInKeys(`tenant:${tenant.slug}`, `id:${principal.user.id}`, c.var.client.address);
      await throttledSignIn(throttle, keys, async () =>
        row && (await verifyPassword(body.currentPassword, row.passwordHash)) ? row : null,
      );
      await row!.update({ passwordHash: await hashPassword(body.newPassword), mustChangePassword: false });
      await models.Session.destroy({ where: { userId: row!.id, id: { [Op.ne]: principal.sessionId } } });
      permissions.forget(tenant, row!.id);
      c.var.logger.info({ userId: row!.id }, 'tenant user changed password');
      return c.json({ user: userJson(row!) });
    },
  );

  return routes;
}
