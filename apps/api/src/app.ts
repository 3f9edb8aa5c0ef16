import { Hono, type ExecutionContext, type MiddlewareHandler } from 'hono';
import { getPath } from 'hono/utils/url';
import { bodyLimit } from 'hono/body-limit';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { Logger } from 'pino';
import { adminDistDir as builtAdminDistDir } from '@salesfleet/admin';
import { workspaceDistDir as builtWorkspaceDistDir } from '@salesfleet/workspace';
import { trustedProxyMatcher, type Config, type HostResolution } from '@salesfleet/tenancy';
import type { AppBindings, AppEnv, BaseEnv, Dispatch, PlatformAdminEnv, PlatformEnv, TenantEnv, TenantUserEnv } from './app-env';
import { LoginThrottle, MemoryAttemptStore, RegistryAttemptStore } from './auth/login-throttle';
import { ApiRoutes } from './http/api-routes';
import { handleError, handleNotFound } from './http/errors';
import { clientInfo, requestContext } from './http/request-context';
import { docsPage } from './openapi/docs-page';
import { ApiDocs } from './openapi/registry';
import { adminConsoleRoutes } from './platform/admin-console';
import { platformAuthRoutes } from './platform/auth/routes';
import { platformGuard } from './platform/auth/platform-sessions';
import { landingRoutes } from './platform/landing';
import { platformDataSafetyRoutes } from './platform/data-safety/routes';
import { platformJobRoutes } from './platform/jobs/routes';
import { BackgroundRuns } from './platform/data-safety/runs';
import { platformRecoveryRoutes } from './platform/recovery/routes';
import { platformServerRoutes } from './platform/servers/routes';
import { platformTenantRoutes } from './platform/tenants/routes';
import type { AppTenancy } from './tenancy';
import { tenantAuthRoutes } from './tenant/auth/routes';
import { PermissionCache, tenantGuard } from './tenant/auth/tenant-sessions';
import { tenantUsersRoutes } from './tenant/auth/users-routes';
import { tenantDomainRoutes } from './tenant/domain-routes';
import { tenantLocationRoutes } from './tenant/locations/routes';
import { workspaceApp } from './tenant/workspace-app';
import { tenantWorkspaceRoutes } from './tenant/workspace-routes';
import { DatabaseUnreachable, isValidSlug, PayloadTooLarge, TenantNotFound, tenantRefusal, TenantUnavailable } from '@salesfleet/contracts';

export interface AppDeps {
  tenancy: AppTenancy;
  logger: Logger;
  /** Built admin console (Vite output); default: @salesfleet/admin's dist directory. */
  adminDistDir?: string;
  /** Built tenant workspace (Vite output); default: @salesfleet/workspace's dist directory. */
  workspaceDistDir?: string;
  /** Largest accepted request body; default 1 MiB. */
  bodyLimitBytes?: number;
  /**
   * Sign-in throttle; default 5 attempts per 15 minutes, counted in the registry (shared by every API
   * process) when it is on PostgreSQL or SQLite, in this process's memory otherwise.
   */
  loginThrottle?: LoginThrottle;
}

export interface App {
  /** The Hono app: `app.fetch` for @hono/node-server, `app.request()` in tests. */
  app: Hono<AppEnv>;
  docs: ApiDocs;
}

/** An app the dispatcher hands requests to: the shared error handlers, then `edge` (every request's middleware). */
function subApp<E extends BaseEnv>(edge: readonly MiddlewareHandler[]): Hono<E> {
  const app = new Hono<E>();
  app.onError(handleError);
  app.notFound(handleNotFound);
  for (const mw of edge) app.use('*', mw as unknown as MiddlewareHandler<E>);
  return app;
}

/** The OpenAPI document and its page, on the platform host and on every tenant host. */
function serveDocs<E extends BaseEnv>(app: Hono<E>, docs: ApiDocs): void {
  app.get('/api/openapi.json', (c) => c.json(docs.document()));
  app.get('/api/docs', (c) => docsPage(c, docs));
}

/**
 * The security headers (CSP, nosniff, frame and referrer policies). `nonce`: scripts and styles of the
 * page may be inline when they carry the request's nonce (c.var.secureHeadersNonce).
 */
function secureHeadersFor(baseDomains: readonly string[], nonce: boolean) {
  const own = nonce ? ["'self'", NONCE] : ["'self'"];
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: own,
      styleSrc: own,
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      frameAncestors: ["'none'"],
      // The landing page's form redirects to <workspace>.<base-domain>.
      formAction: ["'self'", ...baseDomains.map((d) => `*.${d}:*`)],
    },
    referrerPolicy: 'same-origin',
    xFrameOptions: 'DENY',
    strictTransportSecurity: false,
  });
}

/** A JSON answer of the API (every /api path but the documentation page, which is HTML). */
function isApiData(path: string): boolean {
  return path.startsWith('/api/') && path !== '/api/docs';
}

/** A host that is no tenant: TenantNotFound with a message naming the address. */
function noSuchWorkspace(host: string | null): TenantNotFound {
  return new TenantNotFound(
    host ?? '',
    host ? `There is no Salesfleet workspace at ${host.slice(0, 253)}; check the address` : 'This address is not a Salesfleet workspace',
  );
}

/** Attempts counted where every API process sees them: the registry, unless it is on MySQL (no RETURNING). */
export function defaultLoginThrottle(tenancy: AppTenancy): LoginThrottle {
  const dialect = tenancy.registry.sequelize.getDialect();
  const shared = dialect === 'postgres' || dialect === 'sqlite';
  return new LoginThrottle({ store: shared ? new RegistryAttemptStore(tenancy.registry.sequelize) : new MemoryAttemptStore() });
}

/**
 * The API: one outer app (request id, log line, security headers, body limit, health) that resolves the
 * request's host and dispatches to the platform app (landing page, admin console, `/api/platform/*`)
 * or to the tenant app (`/api/*`; the workspace app's pages and files are answered without a database lease) with the tenant's database handle leased for the
 * request. Every app shares one error handler and one OpenAPI registry.
 */
export function createApp(config: Config, deps: AppDeps): App {
  const { tenancy, logger } = deps;
  const maxBody = deps.bodyLimitBytes ?? 1024 * 1024;
  const throttle = deps.loginThrottle ?? defaultLoginThrottle(tenancy);
  const permissions = new PermissionCache();
  // Sign-outs, password changes, deactivations and group changes reach every API process at once.
  permissions.connect(tenancy.registry, tenancy.changeFeed);
  const docs = new ApiDocs();
  const isTrustedProxy = trustedProxyMatcher(config.trustedProxies);

  // ── every request, in whichever app it is dispatched to ───────────────────────────────────────
  // Request id, client and log line; security headers — pages (and /api/docs) get a fresh CSP nonce
  // for their inline code, JSON answers under /api the same headers with no nonce (no inline code to
  // allow: making a nonce — random bytes, base64, a per-request header string — was ~4 % of a warm
  // product list's CPU in the profile); HSTS over https; the body limit.
  const pageHeaders = secureHeadersFor(config.baseDomains, true);
  const dataHeaders = secureHeadersFor(config.baseDomains, false);
  const limitBody = bodyLimit({
    maxSize: maxBody,
    onError: () => {
      throw new PayloadTooLarge(maxBody);
    },
  });
  const edge: MiddlewareHandler<BaseEnv>[] = [
    requestContext<BaseEnv>({ logger, isTrustedProxy }),
    (c, next) => (isApiData(c.req.path) ? dataHeaders(c, next) : pageHeaders(c, next)),
    async (c, next) => {
      await next();
      // On the response's headers, not with `c.header()` (see requestContext).
      if (c.var.client.proto === 'https') c.res.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    },
    // A GET or HEAD has no body (the Request refuses one): asking for it made @hono/node-server build a
    // full Request object for every read (4 % of a warm product list's CPU in the profile).
    (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)),
  ];

  // ── platform host ──────────────────────────────────────────────────────────────────────────────
  const platform = subApp<PlatformEnv>(edge);
  platform.route('/', landingRoutes({ isValidSlug }));
  platform.route('/', adminConsoleRoutes(deps.adminDistDir ?? builtAdminDistDir));
  const platformApi = new ApiRoutes<PlatformEnv, PlatformAdminEnv>(docs, {
    prefix: '/api/platform',
    tags: ['platform'],
    security: 'platformSession',
    guard: platformGuard(tenancy.registry),
  });
  platformAuthRoutes(platformApi, { registry: tenancy.registry, throttle });
  platformTenantRoutes(platformApi, { tenancy, config });
  const runs = new BackgroundRuns({ registry: tenancy.registry, operations: tenancy.operations, logger });
  platformDataSafetyRoutes(platformApi, { tenancy, runs });
  platformRecoveryRoutes(platformApi, { tenancy });
  platformJobRoutes(platformApi, { tenancy });
  platformServerRoutes(platformApi, { tenancy });
  platform.route('/api/platform', platformApi.router);

  // ── tenant hosts ───────────────────────────────────────────────────────────────────────────────
  const tenant = subApp<TenantEnv>(edge);
  const workspace = workspaceApp(deps.workspaceDistDir ?? builtWorkspaceDistDir);
  // The host's tenant (the dispatcher resolved it) and, for the API, its database leased for the request.
  tenant.use('*', async (c, next) => {
    const resolved = c.env?.dispatch?.tenant;
    if (!resolved) throw noSuchWorkspace(null);
    // The request's logger binds the slug when it is first used (see RequestLogger).
    c.set('tenant', resolved);
    // The workspace app (its files and the index.html of its client routes) needs no tenant
    // database: answered without leasing a connection.
    const path = c.req.path;
    if ((c.req.method === 'GET' || c.req.method === 'HEAD') && path !== '/api' && !path.startsWith('/api/')) {
      return path.startsWith('/_app/') ? workspace.asset(c) : workspace.page(c);
    }
    let lease;
    try {
      lease = await tenancy.connections.acquire(resolved);
    } catch (err) {
      // The details (server addresses, driver messages) are for operators, not for visitors.
      c.var.logger.error(
        { err: { code: (err as { code?: string }).code, message: (err as Error).message } },
        'tenant database unavailable',
      );
      throw new TenantUnavailable(resolved.slug, 'database');
    }
    try {
      c.set('tenant', lease.handle.tenant);
      c.set('db', lease.handle.models);
      // The tenant's scope around all of the request's work: for a postgres-schema tenant, one
      // transaction bound to its schema (SET LOCAL search_path) on the shared pool.
      await lease.handle.run(() => next());
      // A write that committed into a SQLite file deleted meanwhile (by another process) is lost:
      // it must not be acknowledged. Checked after the work; a delete after this check came later.
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && lease.handle.stillThere?.() === false) {
        throw new TenantUnavailable(resolved.slug, 'database');
      }
    } finally {
      lease.release();
    }
  });
  const tenantApi = new ApiRoutes<TenantEnv, TenantUserEnv>(docs, {
    prefix: '/api',
    tags: ['tenant'],
    security: 'tenantSession',
    guard: tenantGuard(permissions),
  });
  tenantAuthRoutes(tenantApi, { throttle, permissions });
  tenantUsersRoutes(tenantApi, { permissions, registry: tenancy.registry });
  tenantLocationRoutes(tenantApi);
  tenantWorkspaceRoutes(tenantApi);
  for (const mount of tenantDomainRoutes) mount(tenantApi, { permissions });
  tenant.route('/api', tenantApi.router);

  // ── documentation, on every host ───────────────────────────────────────────────────────────────
  serveDocs(platform, docs);
  serveDocs(tenant, docs);

  // ── health, and the refusals (a host that is no workspace, an unavailable tenant) ──────────────
  const front = subApp<AppEnv>(edge);
  front.get('/healthz', (c) => c.json({ ok: true }));
  front.get('/readyz', async (c) => {
    let registryMs: number;
    try {
      registryMs = await tenancy.registry.ping();
    } catch (err) {
      c.var.logger.error({ err: { message: (err as Error).message } }, 'registry unreachable');
      throw new DatabaseUnreachable('registry', 'no answer', { message: 'The registry database is unreachable' });
    }
    return c.json({ ok: true, registryMs: Math.round(registryMs * 100) / 100 });
  });
  front.all('*', (c) => {
    const dispatched = c.env?.dispatch;
    if (dispatched?.tenant) c.set('tenant', dispatched.tenant);
    throw dispatched?.refusal ?? noSuchWorkspace(null);
  });

  // ── the dispatcher: one Hono dispatch per request ──────────────────────────────────────────────
  // The host picks the app (platform, a tenant, or the refusing one) BEFORE any Hono app runs, and
  // that app does the whole request. (An outer Hono app whose catch-all route fetched the platform or
  // tenant app ran two dispatches per request — two contexts, two routings, two middleware chains:
  // ~11 % of a warm product list's CPU in the profile.) `app` is the front app with this dispatcher
  // as its `fetch`, so `app.fetch` (the server) and `app.request()` (tests) both go through it.
  const app = front;
  const frontFetch = front.fetch;
  const dispatch = async (request: Request, env?: AppBindings, executionCtx?: ExecutionContext): Promise<Response> => {
    const started = performance.now();
    const client = clientInfo(request, env, isTrustedProxy);
    const to = (target: { fetch: typeof frontFetch }, found: Omit<Dispatch, 'started' | 'client'> = {}) =>
      target.fetch(request, { ...env, dispatch: { started, client, ...found } }, executionCtx);
    if (request.method === 'GET' || request.method === 'HEAD') {
      const path = getPath(request);
      if (path === '/healthz' || path === '/readyz') return to({ fetch: frontFetch });
    }
    // A Host that the WHATWG URL parser refuses (an invalid punycode label such as `xn--secs01`) names
    // no workspace; refuse it here, before anything builds a Request from that URL and throws.
    if (!URL.canParse(request.url)) return to({ fetch: frontFetch }, { refusal: noSuchWorkspace(null) });
    let resolution: HostResolution;
    try {
      resolution = await tenancy.router.resolveHost(client.host);
    } catch (err) {
      return to({ fetch: frontFetch }, { refusal: err instanceof Error ? err : new Error(String(err)) });
    }
    switch (resolution.kind) {
      case 'platform':
        return to(platform);
      case 'unknown':
        return to({ fetch: frontFetch }, { refusal: noSuchWorkspace(resolution.host) });
      case 'unavailable':
        return to(
          { fetch: frontFetch },
          {
            tenant: resolution.tenant,
            refusal: tenantRefusal(resolution.tenant.slug, resolution.reason, resolution.tenant.suspendedReason),
          },
        );
      case 'tenant':
        return to(tenant, { tenant: resolution.tenant });
    }
  };
  app.fetch = dispatch as typeof app.fetch;

  return { app, docs };
}
