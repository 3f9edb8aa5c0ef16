import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';

/** 32 random bytes, base64url: 43 characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface NewSessionToken {
  /** Given to the client once (cookie and body); never stored. */
  token: string;
  /** What the database keeps: a leaked table yields no usable session. */
  tokenHash: string;
}

export function newSessionToken(): NewSessionToken {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashSessionToken(token) };
}

/** sha256, hex (64 characters). Tokens are 256 random bits, so no salt or slow hash is needed. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface PresentedToken {
  token: string;
  /** Cookie-authenticated writes need the CSRF origin check; bearer ones are exempt. */
  via: 'cookie' | 'bearer';
}

/** The session token a request presents: `Authorization: Bearer …` first, then the session cookie. */
export function presentedToken(c: Context, cookieName: string): PresentedToken | null {
  const authorization = c.req.header('authorization');
  if (authorization) {
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
    return m && TOKEN_SHAPE.test(m[1]!) ? { token: m[1]!, via: 'bearer' } : null;
  }
  const cookie = getCookie(c, cookieName);
  return cookie && TOKEN_SHAPE.test(cookie) ? { token: cookie, via: 'cookie' } : null;
}
