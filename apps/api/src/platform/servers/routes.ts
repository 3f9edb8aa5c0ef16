import type { Context } from 'hono';
import type { TenantServerRecord } from '@salesfleet/tenancy';
import type { PlatformAdminEnv } from '../../app-env';
import type { PlatformApiRoutes } from '../../http/api-routes';
import type { AppTenancy } from '../../tenancy';
import {
  AddTenantServerInputSchema,
  RemoveTenantServerResultSchema,
  type TenantServer,
  TenantServerListSchema,
  TenantServerParamSchema,
  TenantServerResultSchema,
  UpdateTenantServerInputSchema,
} from '@salesfleet/contracts';

const actorOf = (c: Context<PlatformAdminEnv>) => `admin:${c.var.admin.admin.username}`;

/** A server as the console shows it: never its password, only whether one is set. */
export function tenantServerJson(s: TenantServerRecord): TenantServer {
  return {
    id: s.id,
    name: s.name,
    engine: s.engine,
    host: s.host,
    port: s.port,
    user: s.user,
    passwordSet: s.passwordSet,
    maintenanceDatabase: s.maintenanceDatabase,
    capacity: s.capacity,
    tenantCount: s.tenantCount,
    state: s.state,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

/**
 * `/api/platform/servers…`: the tenant servers new tenants are placed on (the CLI's `servers
 * list|add|set-state|remove`). Each change goes through the provisioner, into the operations log with
 * the URL masked.
 */
export function platformServerRoutes(routes: PlatformApiRoutes, deps: { tenancy: AppTenancy }): PlatformApiRoutes {
  const { provisioner } = deps.tenancy;

  routes.add(
    {
      method: 'get',
      path: '/servers',
      summary: 'Every tenant server with its capacity, the tenants on it and its state (passwords never shown)',
      responses: { 200: { description: 'Servers by name', schema: TenantServerListSchema } },
    },
    async (c) => c.json({ servers: (await provisioner.listTenantServers()).map(tenantServerJson) }),
  );

  routes.add(
    {
      method: 'post',
      path: '/servers',
      summary: 'Register a tenant server; the password in its URL is sealed and never answered',
      body: AddTenantServerInputSchema,
      responses: {
        201: { description: 'Registered', schema: TenantServerResultSchema },
        409: { description: 'Conflict: a server of that name exists' },
      },
    },
    async (c, { body }) => {
      const server = await provisioner.addTenantServer(
        { name: body.name, url: body.url, capacity: body.capacity, ...(body.state ? { state: body.state } : {}) },
        { actor: actorOf(c) },
      );
      return c.json({ server: tenantServerJson(server) }, 201);
    },
  );

  routes.add(
    {
      method: 'patch',
      path: '/servers/:name',
      summary: "Change a server's state (open, draining, full) or capacity",
      params: TenantServerParamSchema,
      body: UpdateTenantServerInputSchema,
      responses: {
        200: { description: 'Changed', schema: TenantServerResultSchema },
        404: { description: 'NotFound' },
      },
    },
    async (c, { params, body }) => {
      const server = await provisioner.updateTenantServer(
        params.name,
        { ...(body.state !== undefined ? { state: body.state } : {}), ...(body.capacity !== undefined ? { capacity: body.capacity } : {}) },
        { actor: actorOf(c) },
      );
      return c.json({ server: tenantServerJson(server) });
    },
  );

  routes.add(
    {
      method: 'delete',
      path: '/servers/:name',
      summary: 'Unregister a server that holds no tenant (move its tenants away first)',
      params: TenantServerParamSchema,
      responses: {
        200: { description: 'Removed', schema: RemoveTenantServerResultSchema },
        404: { description: 'NotFound' },
        409: { description: 'Conflict: tenants are still on it' },
      },
    },
    async (c, { params }) => {
      await provisioner.removeTenantServer(params.name, { actor: actorOf(c) });
      return c.json({ removed: true as const });
    },
  );

  return routes;
}
