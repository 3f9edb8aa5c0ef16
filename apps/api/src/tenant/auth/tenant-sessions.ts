import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { Op } from 'sequelize';
import { findSessionByTokenHash, PERMISSIONS, type SessionWithUser, type TenantModels } from '@salesfleet/models';
import type { TenantRecord } from '@salesfleet/tenancy';
import type { TenantEnv } from '../../app-env';
import { assertSameOrigin, isUnsafeMethod } from '../../auth/csrf';
import { setSessionCookie, TENANT_SESSION_COOKIE } from '../../auth/session-cookie';
import { hashSessionToken, newSessionToken, presentedToken } from '../../auth/session-token';
import type { RouteGuard } from '../../http/api-routes';
import { PasswordChangeRequired, PermissionDenied, type TenantUserJson, Unauthenticated } from '@salesfleet/contracts';

/** A session lives 12 hours past its last use, and never more than 7 days after sign-in. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** Sliding the expiry is a write: do it at most every 5 minutes per session. */
const SLIDE_EVERY_MS = 5 * 60 * 1000;
/**
 * How long a session or a permission set read from the database is reused by this process without
 * reading it again, whatever else holds. A sign-out, password change, deactivation, group change or
 * password reset drops it at once here and, through the registry's change feed, in every other
 * process. Past this age an entry is reused only while the feed is known to have delivered every
 * change made more than this long ago (see `PermissionCache#reusable`); otherwise (no feed, a
 * PostgreSQL listener that is lost, a poll that fails) it is read again: a revoked session stops
 * working everywhere within a second.
 */
export const SESSION_CACHE_TTL_MS = 1000;
/**
 * The most an entry is reused while the feed confirms it: a change made without an announcement
 * (a session row deleted by hand, an announcement that could not be written) holds within this.
 */
export const CACHE_MAX_AGE_MS = 30_000;

/** The user's columns a session lookup reads (models' `findSessionByTokenHash`). */
export type TenantUserSnapshot = SessionWithUser['user'];

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
}

interface CachedGrants extends Grants {
  /** When this process read them (epoch ms). */
  readAt: number;
}

const ALL_PERMISSIONS: ReadonlySet<string> = new Set(PERMISSIONS.map((p) => p.codename));

interface CachedSession {
  sessionId: number;
  userId: number;
  user: TenantUserSnapshot;
  expiresAt: number;
  lastSeenAt: number;
  createdAt: number;
  /** When this process read it from the database (epoch ms). */
  readAt: number;
}

/** Where a forgotten user is announced to the other API processes (the registry's change events). */
export interface UsersChangedChannel {
  emit(change: { kind: 'tenant-users-changed'; tenantId: number; slug: string; userId?: number }): void;
  onChange(listener: (change: { kind: string; tenantId: number; userId?: number; remote?: boolean }) => void): () => void;
}

/** The registry's change feed as the caches see it (tenancy's `changeFeed`). */
export interface ConfirmedChanges {
  /** Epoch ms before which every change announced by any process has been delivered here. */
  confirmedAt(): number;
  /** The feed lost changes and came back: drop everything reused on its word. */
  onResync(listener: () => void): () => void;
}

/**
 * Per process: permission sets per tenant user and the sessions of recent requests, so a warm
 * signed-in request reads neither. Every change that ends a session or alters a user's rights calls
 * `forget`, which drops the user's entries here and announces it on the channel given to `connect`
 * (every other process drops them too). How long an entry is reused: `#reusable`.
 */
export class PermissionCache {
  readonly #entries = new Map<string, CachedGrants>();
  readonly #sessions = new Map<string, CachedSession>();
  readonly #max: number;
  #channel: UsersChangedChannel | null = null;
  #changes: ConfirmedChanges | null = null;
  /** Counts `forget`s: a session read that a forget overtook is not kept. */
  #generation = 0;

  constructor(max = 10_000) {
    this.#max = max;
  }

  /**
   * Announce `forget` on the channel and drop what other processes announce there (and everything
   * of a tenant that is deleted or changed). With `changes` (the feed that carries the channel's
   * announcements from other processes), entries are reused past SESSION_CACHE_TTL_MS while it
   * confirms them. Returns the unsubscribe function.
   */
  connect(channel: UsersChangedChannel, changes: ConfirmedChanges | null = null): () => void {
    this.#channel = channel;
    this.#changes = changes;
    const offResync = changes?.onResync(() => this.#drop(''));
    const off = channel.onChange((change) => {
      // Also this process's own announcements: a platform route (a console password reset) announces
      // through the registry without this cache (a `forget` here has dropped them already).
      if (change.kind === 'tenant-users-changed') this.#drop(`${change.tenantId}:`, change.userId);
      // Nothing of a deleted tenant is served from memory, nor of a changed one (suspended, restored,
      // moved: its sessions table may not be the one read).
      if (change.kind === 'tenant-deleted' || change.kind === 'tenant-changed') this.#drop(`${change.tenantId}:`);
    });
    return () => {
      off();
      offResync?.();
      if (this.#channel === channel) this.#channel = null;
      if (this.#changes === changes) this.#changes = null;
    };
  }

  /**
   * Whether an entry read at `readAt` may be used at `now` without reading the database: always
   * within SESSION_CACHE_TTL_MS; then, up to CACHE_MAX_AGE_MS, only while the change feed has
   * delivered every change announced before `now - SESSION_CACHE_TTL_MS` — a revocation announced
   * earlier than that has dropped the entry, so none older than a second is ever honoured.
   */
  #reusable(readAt: number, now: number): boolean {
    const age = now - readAt;
    if (age < 0 || age >= CACHE_MAX_AGE_MS) return false;
    if (age < SESSION_CACHE_TTL_MS) return true;
    return this.#changes !== null && this.#changes.confirmedAt() > now - SESSION_CACHE_TTL_MS;
  }

  static key(tenant: TenantRecord, userId: number): string {
    return `${PermissionCache.tenantKey(tenant)}${userId}`;
  }

  /** createdAt tells a re-created tenant (same id on SQLite) from the old one. */
  static tenantKey(tenant: TenantRecord): string {
    return `${tenant.id}:${tenant.createdAt.getTime()}:`;
  }

  async get(tenant: TenantRecord, models: TenantModels, user: TenantUserSnapshot, now = Date.now()): Promise<Grants> {
    const key = PermissionCache.key(tenant, user.id);
    const hit = this.#entries.get(key);
    if (hit && this.#reusable(hit.readAt, now)) return hit;
    const generation = this.#generation;
    const grants = await loadGrants(models, user);
    // A forget that overtook the read: use what was read for this request, keep nothing.
    if (generation !== this.#generation) return grants;
    this.#entries.delete(key);
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { ...grants, readAt: now });
    return grants;
  }

  /** A session this process read and may still use (see `#reusable`), not forgotten since. */
  session(tenant: TenantRecord, tokenHash: string, now: number): CachedSession | null {
    const key = `${PermissionCache.tenantKey(tenant)}|${tokenHash}`;
    const hit = this.#sessions.get(key);
    if (!hit) return null;
    if (!this.#reusable(hit.readAt, now)) {
      this.#sessions.delete(key);
      return null;
    }
    return hit;
  }

  /** Changes with every `forget` (here or announced by another process). */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Keeps a session read from the database since `generation` was taken (and returns the entry); not
   * kept when a `forget` came in meanwhile: the read may predate a sign-out.
   */
  rememberSession(
    tenant: TenantRecord,
    tokenHash: string,
    entry: Omit<CachedSession, 'readAt'>,
    read: { now: number; generation: number },
  ): CachedSession {
    const kept: CachedSession = { ...entry, readAt: read.now };
    if (read.generation !== this.#generation) return kept;
    const key = `${PermissionCache.tenantKey(tenant)}|${tokenHash}`;
    this.#sessions.delete(key);
    if (this.#sessions.size >= this.#max) this.#sessions.delete(this.#sessions.keys().next().value!);
    this.#sessions.set(key, kept);
    return kept;
  }

  /**
   * A user's sessions or rights changed (or, without `userId`, any user's of the tenant): drop what
   * this process keeps of them and tell every other process to do the same.
   */
  forget(tenant: TenantRecord, userId?: number): void {
    this.#drop(PermissionCache.tenantKey(tenant), userId);
    this.#channel?.emit({
      kind: 'tenant-users-changed',
      tenantId: tenant.id,
      slug: tenant.slug,
      ...(userId !== undefined ? { userId } : {}),
    });
  }

  /** Entries whose key starts with `prefix` (`<tenant id>:` or the full tenant key), of `userId` if given. */
  #drop(prefix: string, userId?: number): void {
    this.#generation++;
    for (const [key, session] of this.#sessions) {
      if (key.startsWith(prefix) && (userId === undefined || session.userId === userId)) this.#sessions.delete(key);
    }
    for (const key of [...this.#entries.keys()]) {
      if (key.startsWith(prefix) && (userId === undefined || key.slice(key.lastIndexOf(':') + 1) === String(userId)))
        this.#entries.delete(key);
    }
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

/** The API's view of a tenant user: the session's snapshot with the date as ISO 8601. */
export function userJson(u: Parameters<typeof userSnapshot>[0]): TenantUserJson {
  const snapshot = userSnapshot(u);
  return { ...snapshot, lastLoginAt: snapshot.lastLoginAt ? new Date(snapshot.lastLoginAt).toISOString() : null };
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
  // c.get, not c.var: Hono builds a new object of every variable on each c.var read.
  let principal = c.get('user');
  if (!principal) {
    const tenant = c.get('tenant');
    const models = c.get('db');
    const presented = presentedToken(c, TENANT_SESSION_COOKIE);
    if (!presented) throw new Unauthenticated();
    const tokenHash = hashSessionToken(presented.token);
    const now = Date.now();
    let session = cache.session(tenant, tokenHash, now);
    if (session && session.expiresAt <= now) session = null;
    if (!session) {
      const generation = cache.generation;
      // One plain statement (the session joined to its user, the hash bound): no model instances.
      const found = await findSessionByTokenHash(models, tokenHash);
      if (!found) throw new Unauthenticated('Your session has ended; sign in again');
      if (found.session.expiresAt.getTime() <= now || !found.user.isActive) {
        await models.unassociated('Session').destroy({ where: { id: found.session.id } });
        throw new Unauthenticated('Your session has ended; sign in again');
      }
      session = cache.rememberSession(
        tenant,
        tokenHash,
        {
          sessionId: found.session.id,
          userId: found.session.userId,
          user: userSnapshot(found.user),
          expiresAt: found.session.expiresAt.getTime(),
          lastSeenAt: found.session.lastSeenAt?.getTime() ?? 0,
          createdAt: found.session.createdAt.getTime(),
        },
        { now, generation },
      );
    }
    if (presented.via === 'cookie' && isUnsafeMethod(c.req.method)) assertSameOrigin(c);
    if (now - session.lastSeenAt > SLIDE_EVERY_MS) {
      const expiresAt = new Date(Math.min(now + SESSION_IDLE_MS, session.createdAt + SESSION_ABSOLUTE_MS));
      await models.unassociated('Session').update({ expiresAt, lastSeenAt: new Date(now) }, { where: { id: session.sessionId } });
      session.expiresAt = expiresAt.getTime();
      session.lastSeenAt = now;
      // Keep the browser's cookie alive as long as the session.
      if (presented.via === 'cookie') setSessionCookie(c, TENANT_SESSION_COOKIE, presented.token, expiresAt);
    }
    const user = session.user;
    const { permissions, groups } = await cache.get(tenant, models, user, now);
    principal = { user, sessionId: session.sessionId, token: presented.token, via: presented.via, permissions, groups };
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
