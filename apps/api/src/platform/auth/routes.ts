import type { Registry } from '@salesfleet/tenancy';
import { assertNotCrossSite, assertSameOrigin } from '../../auth/csrf';
import { signInKeys, type LoginThrottle } from '../../auth/login-throttle';
import { clearSessionCookie, PLATFORM_SESSION_COOKIE, setSessionCookie } from '../../auth/session-cookie';
import { presentedToken } from '../../auth/session-token';
import { throttledSignIn } from '../../auth/sign-in';
import type { PlatformApiRoutes } from '../../http/api-routes';
import { adminJson } from './platform-sessions';
import {
  assertStrongPassword,
  ChangePasswordInputSchema,
  LoginInputSchema,
  PlatformAdminResultSchema,
  PlatformLoginResultSchema,
} from '@salesfleet/contracts';

const REALM = 'platform';

/** `/api/platform/auth/*`: platform-admin sign-in, sign-out, who am I, change password. */
export function platformAuthRoutes(routes: PlatformApiRoutes, deps: { registry: Registry; throttle: LoginThrottle }): PlatformApiRoutes {
  const { registry, throttle } = deps;

  routes.add(
    {
      method: 'post',
      path: '/auth/login',
      summary: 'Sign in as a platform admin (username or email); sets the session cookie and returns a bearer token',
      auth: false,
      body: LoginInputSchema,
      responses: {
        200: { description: 'Signed in', schema: PlatformLoginResultSchema },
        401: { description: 'InvalidCredentials (same answer for unknown logins)' },
        429: { description: 'TooManyAttempts: 5 failures in 15 minutes per account or client; see Retry-After' },
      },
    },
    async (c, { body }) => {
      assertNotCrossSite(c);
      const known = await registry.findPlatformAdmin(body.login);
      const account = known ? `id:${known.id}` : `login:${body.login.toLowerCase()}`;
      const admin = await throttledSignIn(throttle, signInKeys(REALM, account, c.var.client.address), () =>
        registry.authenticatePlatformAdmin(body.login, body.password),
      );
      const { token, session } = await registry.createPlatformSession(admin.id, {
        ip: c.var.client.address,
        userAgent: c.req.header('user-agent') ?? null,
      });
      const at = new Date();
      await registry.recordPlatformAdminLogin(admin.id, at);
      setSessionCookie(c, PLATFORM_SESSION_COOKIE, token, session.expiresAt);
      c.var.logger.info({ adminId: admin.id }, 'platform admin signed in');
      return c.json({ admin: adminJson({ ...admin, lastLoginAt: at }), token });
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/auth/logout',
      summary: 'Sign out: revokes the presented session and clears the cookie (204 also without a session)',
      auth: false,
      responses: { 204: { description: 'Signed out' } },
    },
    async (c) => {
      const presented = presentedToken(c, PLATFORM_SESSION_COOKIE);
      if (presented) {
        if (presented.via === 'cookie') assertSameOrigin(c);
        await registry.revokePlatformSession(presented.token);
      }
      clearSessionCookie(c, PLATFORM_SESSION_COOKIE);
      return c.body(null, 204);
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/auth/me',
      summary: 'The signed-in platform admin',
      allowDuringPasswordChange: true,
      responses: { 200: { description: 'The admin', schema: PlatformAdminResultSchema } },
    },
    (c) => c.json({ admin: adminJson(c.var.admin.admin) }),
  );

  routes.add(
    {
      method: 'post',
      path: '/auth/change-password',
      summary: 'Change your password (required first after a one-time password); ends your other sessions',
      allowDuringPasswordChange: true,
      body: ChangePasswordInputSchema,
      responses: {
        200: { description: 'Changed', schema: PlatformAdminResultSchema },
        401: { description: 'InvalidCredentials: the current password is wrong' },
        429: { description: 'TooManyAttempts' },
      },
    },
    async (c, { body }) => {
      const { admin, token } = c.var.admin;
      assertStrongPassword(body.newPassword, admin);
      const keys = signInKeys(REALM, `id:${admin.id}`, c.var.client.address);
      await throttledSignIn(throttle, keys, async () =>
        (await registry.verifyPlatformAdminPassword(admin.id, body.currentPassword)) ? true : null,
      );
      const updated = await registry.setPlatformAdminPassword(admin.id, body.newPassword, { mustChange: false });
      await registry.revokePlatformSessionsOf(admin.id, { exceptToken: token });
      c.var.logger.info({ adminId: admin.id }, 'platform admin changed password');
      return c.json({ admin: adminJson(updated) });
    },
  );

  return routes;
}
