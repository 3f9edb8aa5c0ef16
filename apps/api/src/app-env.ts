import type { HttpBindings } from '@hono/node-server';
import type { Logger } from 'pino';
import type { TenantModels } from '@salesfleet/models';
import type { TenantRecord } from '@salesfleet/tenancy';
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

/** Variables every request carries; tenant routes also get `tenant` and `db` (set by the host router). */
export interface AppVariables {
  requestId: string;
  logger: Logger;
  client: ClientInfo;
  /** Set by hono/secure-headers for the CSP; server pages put it on their inline style/script. */
  secureHeadersNonce?: string;
  /** The tenant of a tenant host (a registry snapshot). */
  tenant?: TenantRecord;
  /** That tenant's models, on its own database handle (from the connection cache). */
  db?: TenantModels;
  /** The signed-in tenant user (set by the tenant session middleware). */
  user?: TenantPrincipal;
  /** The signed-in platform admin (set by the platform session middleware). */
  admin?: PlatformPrincipal;
}

/** Node bindings when served by @hono/node-server; absent under `app.request()`. */
export type AppBindings = Partial<HttpBindings> & {
  /** Variables handed from the outer app to the platform or tenant app it dispatches to. */
  inherited?: Partial<AppVariables>;
};

export interface AppEnv {
  Bindings: AppBindings;
  Variables: AppVariables;
}
