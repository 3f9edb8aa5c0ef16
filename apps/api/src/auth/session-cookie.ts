import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { BaseEnv } from '../app-env';

export const TENANT_SESSION_COOKIE = 'sf_session';
export const PLATFORM_SESSION_COOKIE = 'sf_platform_session';

/**
 * Host-only (no Domain attribute): a tenant's cookie is never sent to another tenant's subdomain, nor
 * the platform's to any tenant. HttpOnly, SameSite=Lax, Secure when the request came over https.
 */
export function setSessionCookie<E extends BaseEnv>(c: Context<E>, name: string, token: string, expiresAt: Date): void {
  setCookie(c, name, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.var.client.proto === 'https',
    expires: expiresAt,
  });
}

export function clearSessionCookie<E extends BaseEnv>(c: Context<E>, name: string): void {
  deleteCookie(c, name, { path: '/', httpOnly: true, sameSite: 'Lax', secure: c.var.client.proto === 'https' });
}
