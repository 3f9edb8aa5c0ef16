import { parseDatabaseUrl } from '../drivers/index';
import { maskUrlsInText } from '../mask';
import type { NewTenantServer, TenantServerPatch, TenantServerRecord } from '../registry/tenant-servers';
import type { ProvisioningContext } from './context';
import { withOperation } from './operation';
import type { ActorOptions } from './types';

/** Registers a tenant server (recorded in the operations log with its URL masked). */
export async function addTenantServer(
  ctx: ProvisioningContext,
  input: NewTenantServer,
  options: ActorOptions,
): Promise<TenantServerRecord> {
  let password: string | null = null;
  try {
    password = parseDatabaseUrl(input.url).password;
  } catch {
    // an invalid URL: `add` says why
  }
  return withOperation(
    ctx.operations,
    'add-tenant-server',
    {
      actor: options.actor,
      details: { name: input.name, url: maskUrlsInText(input.url), capacity: input.capacity, state: input.state ?? 'open' },
      secrets: [password],
    },
    () => ctx.registry.servers.add(input),
  );
}

/** Changes a server's state (open, draining, full) or capacity. */
export function updateTenantServer(
  ctx: ProvisioningContext,
  name: string,
  patch: TenantServerPatch,
  options: ActorOptions,
): Promise<TenantServerRecord> {
  return withOperation(ctx.operations, 'update-tenant-server', { actor: options.actor, details: { name, ...patch } }, () =>
    ctx.registry.servers.update(name, patch),
  );
}

/** Unregisters a server that holds no tenant. */
export function removeTenantServer(ctx: ProvisioningContext, name: string, options: ActorOptions): Promise<void> {
  return withOperation(ctx.operations, 'remove-tenant-server', { actor: options.actor, details: { name } }, () =>
    ctx.registry.servers.remove(name),
  );
}
