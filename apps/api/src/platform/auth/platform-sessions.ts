import type { MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { PlatformAdminRecord, Registry } from '@salesfleet/tenancy';
import type { PlatformEnv } from '../../app-env';
import { assertSameOrigin, isUnsafeMethod } from '../../auth/csrf';
import { PLATFORM_SESSION_COOKIE } from '../../auth/session-cookie';
import { presentedToken } from '../../auth/session-token';
import type { RouteGuard } from '../../http/api-routes';
import { PasswordChangeRequired, Unauthenticated } from '@salesfleet/contracts';

/** The signed-in platform admin of a request. */
export interface PlatformPrincipal {
  admin: PlatformAdminRecord;
  /** The presented token (to revoke it on logout, to keep it on password change). */
  token: string;
  via: 'cookie' | 'bearer';
}

/**
 * Platform session check: a live session (registry `platform_sessions`) or 401; the CSRF origin check
 * for cookie-authenticated writes; 403 `PasswordChangeRequired` while a one-time password is unchanged,
 * except on the routes that let the admin change it.
 */
export function requirePlatformAdmin(registry: Registry, options: { allowDuringPasswordChange: boolean }): MiddlewareHandler<PlatformEnv> {
  return createMiddleware<PlatformEnv>(async (c, next) => {
    const presented = presentedToken(c, PLATFORM_SESSION_COOKIE);
    if (!presented) throw new Unauthenticated();
    const found = await registry.findPlatformSession(presented.token);
    if (!found) throw new Unauthenticated('Your session has ended; sign in again');
    if (presented.via === 'cookie' && isUnsafeMethod(c.req.method)) assertSameOrigin(c);
    if (found.admin.mustChangePassword && !options.allowDuringPasswordChange) throw new PasswordChangeRequired();
    c.set('admin', { admin: found.admin, token: presented.token, via: presented.via });
    await next();
  });
}

/** The guard of every `/api/platform/*` route, from its spec. */
export function platformGuard(registry: Registry): RouteGuard<PlatformEnv> {
  const strict = requirePlatformAdmin(registry, { allowDuringPasswordChange: false });
  const lenient = requirePlatformAdmin(registry, { allowDuringPasswordChange: true });
  return (spec) => (spec.auth ? [spec.allowDuringPasswordChange ? lenient : strict] : []);
}

export function adminJson(admin: PlatformAdminRecord) {
  return {
    id: admin.id,
    username: admin.username,
    email: admin.email,
    mustChangePassword: admin.mustChangePassword,
    lastLoginAt: admin.lastLoginAt ? admin.lastLoginAt.toISOString() : null,
  };
}
