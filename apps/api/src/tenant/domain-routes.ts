import type { TenantApiRoutes } from '../http/api-routes';
import { accountingRoutes } from './accounting';
import { purchasingArea } from './purchasing';
import { salesRoutes } from './sales';
import { settingsRoutes } from './settings/routes';
import type { PermissionCache } from './auth/tenant-sessions';

export interface TenantRouteContext {
  /** Per-process permission cache; call `forget(tenant, userId)` after changing someone's grants. */
  permissions: PermissionCache;
}

/**
 * Adds routes to the tenant API (`/api/*` on tenant hosts). `routes.add({ method, path, summary,
 * permission, params?, query?, body?, responses }, handler)` validates the input with the given zod
 * schemas, enforces the session and the permission, and documents the route in /api/openapi.json.
 */
export type TenantRouteMount = (routes: TenantApiRoutes, context: TenantRouteContext) => void;

/**
 * The sales and accounting areas plug in here, e.g.
 *   import { salesRoutes } from './sales';            // apps/api/src/tenant/sales/index.ts
 *   import { accountingRoutes } from './accounting';  // apps/api/src/tenant/accounting/index.ts
 *   export const tenantDomainRoutes = [salesRoutes, accountingRoutes];
 */
export const tenantDomainRoutes: readonly TenantRouteMount[] = [salesRoutes, accountingRoutes, settingsRoutes, purchasingArea];
