import { describeSpec, driverFor } from '../drivers/index';
import { errorText } from '../logger';
import { serverContextFor, type ProvisioningContext } from './context';
import { deleteTenant } from './delete-tenant';
import { creatorGone } from './lease';
import { withOperation } from './operation';
import type { ActorOptions } from './types';

/** A registry row whose database is gone (dropped by hand, a deleted SQLite file, a lost server's database). */
export interface TenantWithoutDatabase {
  slug: string;
  status: string;
  /** Where the row says the database is, password masked. */
  database: string;
}

export interface MissingDatabasesReport {
  tenants: TenantWithoutDatabase[];
  /** Tenants whose server could not be asked: their databases may exist; never removed. */
  unknown: { slug: string; error: string }[];
}

/**
 * Registry rows whose database does not exist (the old `clean_main_database`). Only a server that
 * answers "no such database" counts: an unreachable server says nothing, and a creation still in
 * progress (its lease alive) may be about to create it.
 */
export async function findTenantsWithoutDatabase(ctx: ProvisioningContext): Promise<MissingDatabasesReport> {
  const report: MissingDatabasesReport = { tenants: [], unknown: [] };
  for (const tenant of await ctx.registry.listTenants()) {
    if (tenant.status === 'provisioning' && !creatorGone(tenant)) continue;
    try {
      const spec = ctx.registry.databaseSpecOf(tenant);
      if (await driverFor(spec.engine).exists(spec, await serverContextFor(ctx, spec))) continue;
      report.tenants.push({ slug: tenant.slug, status: tenant.status, database: describeSpec(spec) });
    } catch (err) {
      report.unknown.push({ slug: tenant.slug, error: errorText(err) });
    }
  }
  return report;
}

/**
 * Deletes the registry rows of tenants whose database is gone (all that `findTenantsWithoutDatabase`
 * reports, or those named in `only`). Each is looked at again first: a database that came back keeps its row.
 */
export async function removeTenantsWithoutDatabase(
  ctx: ProvisioningContext,
  options: ActorOptions & { only?: readonly string[] },
): Promise<{ removed: TenantWithoutDatabase[] }> {
  const found = await findTenantsWithoutDatabase(ctx);
  const chosen = found.tenants.filter((t) => !options.only || options.only.includes(t.slug));
  return withOperation(
    ctx.operations,
    'clean-registry',
    { actor: options.actor, details: { tenants: chosen.map((t) => t.slug) } },
    async (run) => {
      const removed: TenantWithoutDatabase[] = [];
      for (const missing of chosen) {
        const tenant = await ctx.registry.findTenant(missing.slug);
        if (!tenant) continue;
        const spec = ctx.registry.databaseSpecOf(tenant);
        if (await driverFor(spec.engine).exists(spec, await serverContextFor(ctx, spec))) {
          await run.note(`keep:${missing.slug}`, 'succeeded', { reason: 'its database exists again' });
          continue;
        }
        await deleteTenant(ctx, missing.slug, { actor: options.actor, keepDatabase: true });
        removed.push(missing);
      }
      return { removed };
    },
    (result) => ({ removed: result.removed.map((t) => t.slug) }),
  );
}
