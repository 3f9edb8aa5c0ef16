import type { Context } from 'hono';
import type { BaseEnv } from '../app-env';
import { CsrfRejected } from '@salesfleet/contracts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

function originOf(value: string | undefined): string | null {
  if (!value || value === 'null') return null;
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

/** The origin this request was addressed to (after the trusted-proxy rules). */
export function requestOrigin<E extends BaseEnv>(c: Context<E>): string | null {
  try {
    return new URL(`${c.var.client.proto}://${c.var.client.host}`).origin;
  } catch {
    return null;
  }
}

/**
 * CSRF defence for cookie-authenticated writes: the browser's `Origin` (or, when a privacy setting
 * drops it, the `Referer`) must be this very host. Browsers always send one of them on cross-site
 * form posts and fetches, so a missing one is refused too.
 */
export function assertSameOrigin<E extends BaseEnv>(c: Context<E>): void {
  const expected = requestOrigin(c);
  const origin = originOf(c.req.header('origin')) ?? originOf(c.req.header('referer'));
  if (!expected || !origin || origin !== expected) throw new CsrfRejected();
}

/** For sign-in (no session yet): refuse a cross-site browser post, accept clients that send no Origin. */
export function assertNotCrossSite<E extends BaseEnv>(c: Context<E>): void {
  const raw = c.req.header('origin');
  if (raw === undefined) return;
  const expected = requestOrigin(c);
  if (!expected || originOf(raw) !== expected) throw new CsrfRejected();
}
