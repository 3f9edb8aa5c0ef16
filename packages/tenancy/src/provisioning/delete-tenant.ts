import { describeSpec, driverFor } from '../drivers/index';
import { serverContextFor, type ProvisioningContext } from './context';
import { withOperation } from './operation';
import type { DeletedTenant, DeleteTenantOptions } from './types';

/**
 * Deletes a tenant: marks it `deleting` (the router stops routing to it), closes its handles, drops
 * its database unless `keepDatabase` (never one Salesfleet did not create), removes the row.
 * A failure leaves the row `deleting`; running it again finishes the job.
 */
export async function deleteTenant(ctx: ProvisioningContext, slug: string, options: DeleteTenantOptions): Promise<DeletedTenant> {
  const tenant = await ctx.registry.getTenant(slug);
  const spec = ctx.registry.databaseSpecOf(tenant);
  const dropping = !options.keepDatabase && tenant.db.managed;
  const context = {
    actor: options.actor,
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    details: {
      keepDatabase: !dropping,
      requestedKeep: options.keepDatabase === true,
      managed: tenant.db.managed,
      database: describeSpec(spec),
    },
    secrets: [spec.password],
  };
  return withOperation(
    ctx.operations,
    'delete-tenant',
    context,
    async (run) => {
      // New requests are refused from here (this process: the fence; others: the registry change and,
      // for SQLite, the file's identity checked on every use); in-flight ones drain before the drop.
      ctx.connections.fence(tenant.id, 'deleting');
      await run.step('mark_deleting', async () => {
        if (tenant.status !== 'deleting') await ctx.registry.updateTenant(tenant.id, { status: 'deleting' });
      });
      await run.step('close_connections', () => ctx.connections.evict(tenant.id));
      if (dropping) {
        await run.step('drop_database', async () => driverFor(spec.engine).drop(spec, await serverContextFor(ctx, spec)));
      }
      await run.step('remove_row', () => ctx.registry.deleteTenant(tenant.id));
      ctx.connections.unfence(tenant.id);
      return { deleted: true as const, keptDatabase: !dropping, database: describeSpec(spec) };
    },
    (result) => ({ keptDatabase: result.keptDatabase }),
  );
}
