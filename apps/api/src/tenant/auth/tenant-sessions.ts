import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { Op } from 'sequelize';
import { PERMISSIONS, type TenantModels } from '@salesfleet/models';
import type { TenantRecord } from '@salesfleet/tenancy';
import type { TenantEnv } from '../../app-env';
import { assertSameOrigin, isUnsafeMethod } from '../../auth/csrf';
import { setSessionCookie, TENANT_SESSION_COOKIE } from '../../auth/session-cookie';
import { hashSessionToken, newSessionToken, presentedToken } from '../../auth/session-token';
import type { RouteGuard } from '../../http/api-routes';
import { PasswordChangeRequired, PermissionDenied, Unauthenticated } from '@salesfleet/contracts';

/** A session lives 12 hours past its last use, and never more than 7 days after sign-in. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** Sliding the expiry is a write: do it at most every 5 minutes per session. */
const SLIDE_EVERY_MS = 5 * 60 * 1000;
/** How long a user's permission set is reused before it is read again (per process). */
const PERMISSION_TTL_MS = 30_000;

export interface TenantUserSnapshot {
  id: number;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  isActive: boolean;
  isSuperuser: boolean;
  mustChangePassword: boolean;
  lastLoginAt: Date | null;
}

/** The signed-in user of a tenant request. */
export interface TenantPrincipal {
  user: TenantUserSnapshot;
  sessionId: number;
  token: string;
  via: 'cookie' | 'bearer';
  permissions: ReadonlySet<string>;
  groups: readonly string[];
}

interface Grants {
  permissions: ReadonlySet<string>;
  groups: readonly string[];
  expires: number;
}

const ALL_PERMISSIONS: ReadonlySet<string> = new Set(PERMISSIONS.map((p) => p.codename));

/**
 * Permission sets per tenant user, reused for a few seconds so the hot path costs one query (the
 * session with its user). Changes made through this process drop the entry at once; other processes
 * see them within PERMISSION_TTL_MS.
 */
export class PermissionCache {
  readonly #entries = new Map<string, Grants>();
  readonly #max: number;

  constructor(max = 10_000) {
    this.#max = max;
  }

  static key(tenant: TenantRecord, userId: number): string {
    // createdAt tells a re-created tenant (same id on SQLite) from the old one.
    return `${tenant.id}:${tenant.createdAt.getTime()}:${userId}`;
  }

  async get(tenant: TenantRecord, models: TenantModels, user: TenantUserSnapshot): Promise<Grants> {
    const key = PermissionCache.key(tenant, user.id);
    const now = Date.now();
    const hit = this.#entries.get(key);
    if (hit && hit.expires > now) return hit;
    const grants = await loadGrants(models, user);
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { ...grants, expires: now + PERMISSION_TTL_MS });
    return { ...grants, expires: now + PERMISSION_TTL_MS };
  }

  forget(tenant: TenantRecord, userId?: number): void {
    if (userId !== undefined) {
      this.#entries.delete(PermissionCache.key(tenant, userId));
      return;
    }
    const prefix = `${tenant.id}:${tenant.createdAt.getTime()}:`;
    for (const key of [...this.#entries.keys()]) if (key.startsWith(prefix)) this.#entries.delete(key);
  }
}

/** A user's permission codenames and group names. Plain reads without include: the models without their associations (see TenantModels.unassociated). */
export async function loadGrants(
  models: TenantModels,
  user: TenantUserSnapshot,
): Promise<{ permissions: ReadonlySet<string>; groups: string[] }> {
  const memberships = await models.unassociated('UserGroup').findAll({ where: { userId: user.id }, attributes: ['groupId'], raw: true });
  const groupIds = memberships.map((m) => m.groupId as number);
  if (groupIds.length === 0) return { permissions: user.isSuperuser ? ALL_PERMISSIONS : new Set(), groups: [] };
  const [groups, grants] = await Promise.all([
    models
      .unassociated('Group')
      .findAll({ where: { id: { [Op.in]: groupIds } }, attributes: ['name'], order: [['name', 'ASC']], raw: true }),
    user.isSuperuser
      ? Promise.resolve([])
      : models
          .unassociated('GroupPermission')
          .findAll({ where: { groupId: { [Op.in]: groupIds } }, attributes: ['permissionId'], raw: true }),
  ]);
  let permissions: ReadonlySet<string> = ALL_PERMISSIONS;
  if (!user.isSuperuser) {
    const ids = [...new Set(grants.map((g) => g.permissionId as number))];
    const rows = ids.length
      ? await models.unassociated('Permission').findAll({ where: { id: { [Op.in]: ids } }, attributes: ['codename'], raw: true })
      : [];
    permissions = new Set(rows.map((r) => r.codename));
  }
  return { permissions, groups: groups.map((g) => g.name) };
}

export function userSnapshot(row: {
  id: number;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  isActive: boolean;
  isSuperuser: boolean;
  mustChangePassword: boolean;
  lastLoginAt: Date | null;
}): TenantUserSnapshot {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    firstName: row.firstName ?? '',
    lastName: row.lastName ?? '',
    isActive: Boolean(row.isActive),
    isSuperuser: Boolean(row.isSuperuser),
    mustChangePassword: Boolean(row.mustChangePassword),
    lastLoginAt: row.lastLoginAt ?? null,
  };
}

/** Opens a session for a user: the token goes to the client once, its hash to the tenant's database. */
export async function createTenantSession(
  models: TenantModels,
  userId: number,
  meta: { ip: string | null; userAgent: string | null },
): Promise<{ token: string; expiresAt: Date; sessionId: number }> {
  const { token, tokenHash } = newSessionToken();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
  const row = await models.Session.create({
    tokenHash,
    userId,
    expiresAt,
    lastSeenAt: now,
    ip: meta.ip?.slice(0, 45) ?? null,
    userAgent: meta.userAgent?.slice(0, 512) ?? null,
  });
  return { token, expiresAt, sessionId: row.id };
}

/**
 * The tenant session of the request (token from `Authorization: Bearer` or the `sf_session` cookie),
 * looked up in this tenant's own database — a token of another tenant finds nothing here. Sets
 * `c.var.user`. Throws 401 without a live session, 403 `CsrfRejected` for a cookie-authenticated
 * write from another origin, 403 `PasswordChangeRequired` while a one-time password is unchanged.
 */
export async function authenticateTenantRequest(
  c: Context<TenantEnv>,
  cache: PermissionCache,
  options: { allowDuringPasswordChange: boolean },
): Promise<TenantPrincipal> {
  let principal = c.var.user;
  if (!principal) {
    const tenant = c.var.tenant;
    const models = c.var.db;
    const presented = presentedToken(c, TENANT_SESSION_COOKIE);
    if (!presented) throw new Unauthenticated();
    // The user through the session's association: reading `models.User` would also wire the user's
    // own associations (groups, sessions) — model definitions a cold handle's request does not need.
    const session = await models.Session.findOne({
      where: { tokenHash: hashSessionToken(presented.token) },
      include: [{ association: 'user', required: true }],
    });
    const now = Date.now();
    if (!session?.user) throw new Unauthenticated('Your session has ended; sign in again');
    if (session.expiresAt.getTime() <= now || !session.user.isActive) {
      await session.destroy();
      throw new Unauthenticated('Your session has ended; sign in again');
    }
    if (presented.via === 'cookie' && isUnsafeMethod(c.req.method)) assertSameOrigin(c);
    const lastSeen = session.lastSeenAt?.getTime() ?? 0;
    if (now - lastSeen > SLIDE_EVERY_MS) {
      const cap = session.createdAt.getTime() + SESSION_ABSOLUTE_MS;
      const expiresAt = new Date(Math.min(now + SESSION_IDLE_MS, cap));
      await models.Session.update({ expiresAt, lastSeenAt: new Date(now) }, { where: { id: session.id } });
      // Keep the browser's cookie alive as long as the session.
      if (presented.via === 'cookie') setSessionCookie(c, TENANT_SESSION_COOKIE, presented.token, expiresAt);
    }
    const user = userSnapshot(session.user);
    const grants = await cache.get(tenant, models, user);
    principal = { user, sessionId: session.id, token: presented.token, via: presented.via, ...grants };
    c.set('user', principal);
  }
  if (principal.user.mustChangePassword && !options.allowDuringPasswordChange) throw new PasswordChangeRequired();
  return principal;
}

/**
 * 401 without a valid session, 403 without the permission (superusers hold every permission).
 * Usable on any tenant route: `router.get('/invoices', requirePermission(cache, 'sales.view_invoice'), …)`.
 */
export function requirePermission(cache: PermissionCache, codename: string): MiddlewareHandler<TenantEnv> {
  return createMiddleware<TenantEnv>(async (c, next) => {
    const principal = await authenticateTenantRequest(c, cache, { allowDuringPasswordChange: false });
    if (!principal.user.isSuperuser && !principal.permissions.has(codename)) throw new PermissionDenied(codename);
    await next();
  });
}

/** A valid session, whatever its permissions. */
export function requireTenantUser(cache: PermissionCache, options = { allowDuringPasswordChange: false }): MiddlewareHandler<TenantEnv> {
  return createMiddleware<TenantEnv>(async (c, next) => {
    await authenticateTenantRequest(c, cache, options);
    await next();
  });
}

/** The guard of every tenant API route, from its spec (session, then permission). */
export function tenantGuard(cache: PermissionCache): RouteGuard<TenantEnv> {
  const user = requireTenantUser(cache);
  const userDuringChange = requireTenantUser(cache, { allowDuringPasswordChange: true });
  const byPermission = new Map<string, MiddlewareHandler<TenantEnv>>();
  return (spec) => {
    if (!spec.auth) return [];
    if (spec.permission) {
      let mw = byPermission.get(spec.permission);
      if (!mw) {
        mw = requirePermission(cache, spec.permission);
        byPermission.set(spec.permission, mw);
      }
      return [mw];
    }
    return [spec.allowDuringPasswordChange ? userDuringChange : user];
  };
}
