import { randomUUID } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import { createMiddleware } from 'hono/factory';
import type { Logger } from 'pino';
import type { Logger as RequestLog } from '@salesfleet/tenancy';
import type { BaseEnv, ClientInfo } from '../app-env';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The socket peer's address; `null` under `app.request()` (no socket: never a trusted proxy). */
export function socketPeer(env: Partial<HttpBindings> | undefined): string | null {
  return env?.incoming?.socket?.remoteAddress ?? null;
}

/** The last value of a comma list: the one our (trusted) proxy added, not what the client sent it. */
function lastListValue(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const parts = value.split(',');
  const last = parts[parts.length - 1]!.trim();
  return last === '' ? undefined : last;
}

/**
 * Who is asking and for which host. `X-Forwarded-Host` / `-Proto` / `-For` count only when the socket
 * peer is a configured trusted proxy; from anyone else they are ignored, so a forged header can never
 * pick a tenant.
 */
export function clientInfo(
  request: Request,
  env: Partial<HttpBindings> | undefined,
  isTrustedProxy: (peer: string | null) => boolean,
): ClientInfo {
  const peer = socketPeer(env);
  const header = (name: string) => request.headers.get(name) ?? undefined;
  // Read as text, never through `new URL()`: a Host the WHATWG parser refuses (an invalid punycode
  // label such as `xn--secs01`) must reach the router and get its 404, not throw here.
  const url = request.url;
  const directHost = header('host') ?? /^[a-z]+:\/\/([^/?#]*)/i.exec(url)?.[1] ?? '';
  const directProto = url.startsWith('https:') ? 'https' : 'http';
  if (!isTrustedProxy(peer)) {
    return { host: directHost, proto: directProto, address: peer, viaTrustedProxy: false };
  }
  const fwdHost = lastListValue(header('x-forwarded-host'));
  const fwdProto = lastListValue(header('x-forwarded-proto'))?.toLowerCase();
  // The client is the right-most address of X-Forwarded-For that is not itself a trusted proxy.
  let address: string | null = peer;
  const chain = (header('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (let i = chain.length - 1; i >= 0; i--) {
    address = chain[i]!;
    if (!isTrustedProxy(address)) break;
  }
  return {
    host: fwdHost ?? directHost,
    proto: fwdProto === 'https' || fwdProto === 'http' ? fwdProto : directProto,
    address,
    viaTrustedProxy: true,
  };
}

/**
 * The request's logger: lines carry its request id and, on a tenant host, the tenant's slug. The pino
 * child that binds them is made when the request first logs something besides its request line — most
 * requests never do, and two children per request (request id, then tenant) cost ~25 µs of CPU, a few
 * % of a warm read. The slug is read when the child is made; the tenant is known before anything but
 * the edge middleware runs.
 */
export class RequestLogger implements RequestLog {
  readonly #base: Logger;
  readonly #bindings: () => Record<string, unknown>;
  #child: Logger | null = null;

  constructor(base: Logger, bindings: () => Record<string, unknown>) {
    this.#base = base;
    this.#bindings = bindings;
  }

  get #logger(): Logger {
    this.#child ??= this.#base.child(this.#bindings());
    return this.#child;
  }

  error: RequestLog['error'] = (first: Record<string, unknown> | string, msg?: string) => this.#logger.error(first as object, msg);
  warn: RequestLog['warn'] = (first: Record<string, unknown> | string, msg?: string) => this.#logger.warn(first as object, msg);
  info: RequestLog['info'] = (first: Record<string, unknown> | string, msg?: string) => this.#logger.info(first as object, msg);
  debug: RequestLog['debug'] = (first: Record<string, unknown> | string, msg?: string) => this.#logger.debug(first as object, msg);
  child = (bindings: Record<string, unknown>): RequestLog => this.#logger.child(bindings);
}

export interface RequestContextOptions {
  logger: Logger;
  isTrustedProxy: (peer: string | null) => boolean;
}

/**
 * First middleware of the app the request is dispatched to: request id (a sane incoming
 * `X-Request-Id` is kept, otherwise a new one), the client's effective host/proto/address (as the
 * dispatcher worked it out, when it did), the request's logger, and exactly one log line per request —
 * request id, host, tenant slug, method, path, status, duration (from when the dispatcher took the
 * request). Never headers, cookies, query strings or bodies.
 */
export function requestContext<E extends BaseEnv>({ logger, isTrustedProxy }: RequestContextOptions) {
  return createMiddleware<E>(async (c, next) => {
    const dispatched = c.env?.dispatch;
    const started = dispatched?.started ?? performance.now();
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.set(
      'logger',
      new RequestLogger(logger, () => {
        const slug = c.get('tenant')?.slug;
        return slug === undefined ? { requestId } : { requestId, tenant: slug };
      }),
    );
    const client = dispatched?.client ?? clientInfo(c.req.raw, c.env, isTrustedProxy);
    c.set('client', client);
    try {
      await next();
    } finally {
      const status = c.res.status;
      // On the response's own headers, as hono/secure-headers sets its own: `c.header()` after the
      // response exists re-creates it around its body stream (and @hono/node-server then reads that
      // stream instead of writing the body string at once) — ~8 % of a warm product list's CPU.
      c.res.headers.set('X-Request-Id', requestId);
      const line = {
        requestId,
        host: client.host.slice(0, 255),
        tenant: c.get('tenant')?.slug ?? null,
        method: c.req.method,
        path: c.req.path.slice(0, 512),
        status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      };
      if (status >= 500) logger.error(line, 'request');
      else logger.info(line, 'request');
    }
  });
}
