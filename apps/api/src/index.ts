// @salesfleet/api — the Hono app (platform API, tenant API, admin console) and its server.

export { createApp, type App, type AppDeps } from './app';
export type {
  AppEnv,
  AppVariables,
  BaseEnv,
  ClientInfo,
  PlatformAdminEnv,
  PlatformEnv,
  TenantEnv,
  TenantUserEnv,
} from './app-env';
export type { AppTenancy } from './tenancy';
export { ApiRoutes, type PlatformApiRoutes, type RouteGuard, type RouteSpec, type TenantApiRoutes } from './http/api-routes';
export { ApiDocs } from './openapi/registry';
export { LoginThrottle } from './auth/login-throttle';
export { requirePermission, PermissionCache } from './tenant/auth/tenant-sessions';
export type { TenantRouteMount, TenantRouteContext } from './tenant/domain-routes';
export { startServer, type RunningServer } from './server';
export { createApiLogger, type ApiLoggerOptions } from './logger';
