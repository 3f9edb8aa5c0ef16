import type { HttpBindings } from '@hono/node-server';
import type { TenantModels } from '@salesfleet/models';
import type { Logger, TenantRecord } from '@salesfleet/tenancy';
import type { PlatformPrincipal } from './platform/auth/platform-sessions';
import type { TenantPrincipal } from './tenant/auth/tenant-sessions';

/** Who is asking and for which host, after the trusted-proxy rules (see http/request-context.ts). */
export interface ClientInfo {
  /** Effective `Host` (X-Forwarded-Host only from a trusted proxy), as sent: may carry a port. */
  host: string;
  proto: 'http' | 'https';
  /** Client address for throttling: the socket peer, or X-Forwarded-For behind a trusted proxy. */
  address: string | null;
  viaTrustedProxy: boolean;
}

/** Variables every request carries, set by `requestContext` before anything else runs. */
export interface RequestVariables {
  requestId: string;
  /** Bound to the request id and tenant slug (a RequestLogger: the pino child is made on first use). */
  logger: Logger;
  client: ClientInfo;
  /** Set by hono/secure-headers for the CSP; server pages put it on their inline style/script. */
  secureHeadersNonce?: string;
}

/** The outer app's variables: `tenant` once the host resolved to one, `db` once its database is leased. */
export interface AppVariables extends RequestVariables {
  /** The tenant of a tenant host (a registry snapshot). */
  tenant?: TenantRecord;
  /** That tenant's models, on its own database handle (from the connection cache). */
  db?: TenantModels;
}

/** What the host router hands to the tenant app: the tenant and its database are known. */
export interface TenantVariables extends RequestVariables {
  /** The tenant of the host (a registry snapshot). */
  tenant: TenantRecord;
  /** That tenant's models, on its own database handle (from the connection cache). */
  db: TenantModels;
  /** The signed-in tenant user, once the session guard has run (required in `TenantUserEnv`). */
  user?: TenantPrincipal;
}

/** The platform app's variables. */
export interface PlatformVariables extends RequestVariables {
  /** The signed-in platform admin, once the session guard has run (required in `PlatformAdminEnv`). */
  admin?: PlatformPrincipal;
}

/** What `createApp`'s dispatcher worked out before it handed the request to one app. */
export interface Dispatch {
  /** When the request reached the dispatcher (`performance.now()`): the log line's duration starts here. */
  started: number;
  /** The client and its effective host (the dispatcher routed by it). */
  client: ClientInfo;
  /** The host's tenant (tenant app; and the refusing app for a tenant that is unavailable). */
  tenant?: TenantRecord;
  /** Why this request is refused (a host that is no workspace, an unavailable tenant): thrown by the refusing app. */
  refusal?: Error;
}

/** Node bindings when served by @hono/node-server (absent under `app.request()`), and the dispatcher's findings. */
export type AppBindings = Partial<HttpBindings> & {
  dispatch?: Dispatch;
};

/**
 * What request-wide helpers (errors, cookies, CSRF, static files, pages) may rely on. Hono's `Context`
 * is invariant in its environment, so such helpers are generic (`<E extends BaseEnv>(c: Context<E>)`)
 * rather than typed with one of the environments below.
 */
export interface BaseEnv {
  Bindings: AppBindings;
  /** `tenant` is known on a tenant host once the host router resolved it (the error handler logs its slug). */
  Variables: RequestVariables & { tenant?: TenantRecord };
}

/** The outer app: every host, before the router picked the platform or a tenant. */
export interface AppEnv {
  Bindings: AppBindings;
  Variables: AppVariables;
}

/** The platform host's app. */
export interface PlatformEnv {
  Bindings: AppBindings;
  Variables: PlatformVariables;
}

/** A platform route behind the session guard: the admin is known. */
export interface PlatformAdminEnv {
  Bindings: AppBindings;
  Variables: PlatformVariables & { admin: PlatformPrincipal };
}

/** A tenant host's app: the tenant and its database are known (set by the host router). */
export interface TenantEnv {
  Bindings: AppBindings;
  Variables: TenantVariables;
}

/** A tenant route behind the session guard: the signed-in user is known too. */
export interface TenantUserEnv {
  Bindings: AppBindings;
  Variables: TenantVariables & { user: TenantPrincipal };
}
