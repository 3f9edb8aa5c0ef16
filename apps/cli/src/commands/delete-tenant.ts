import { cliActor, withTenancy, type CommandContext } from '../context';
import { CliError, UsageError } from '../errors';
import { withoutInterruption } from '../interrupt';
import { ask } from '../prompt';
import { describeTenantDatabase } from '../tenant-json';

export interface DeleteTenantFlags {
  force?: boolean;
  keepDatabase?: boolean;
  json?: boolean;
}

/**
 * Deletes a tenant after the operator types its subdomain (or with --force). Without a terminal there
 * is nobody to ask, so it refuses unless --force says the caller means it.
 */
export async function deleteTenantCommand(ctx: CommandContext, slug: string, flags: DeleteTenantFlags): Promise<void> {
  const { out } = ctx;
  if (!flags.force && !out.interactive) {
    throw new UsageError(
      `refusing to delete "${slug}" without confirmation: stdin is not a terminal; pass --force to delete it non-interactively`,
    );
  }
  await withTenancy(ctx, {}, async (tenancy) => {
    const tenant = await tenancy.registry.getTenant(slug);
    const database = describeTenantDatabase(tenant);
    const dropping = !flags.keepDatabase && tenant.db.managed;
    if (!flags.force) {
      out.note(`This deletes tenant "${tenant.name}" (${tenant.slug}, ${tenant.status}) from the registry.`);
      out.note(
        dropping
          ? `Its database ${database} will be DROPPED with all its data.`
          : `Its database ${database} will be kept${tenant.db.managed ? ' (--keep-database)' : ' (Salesfleet did not create it)'}.`,
      );
      const typed = await ask(`Type the subdomain "${tenant.slug}" to confirm`);
      if (typed !== tenant.slug) throw new CliError(`confirmation "${typed}" does not match "${tenant.slug}"; nothing was deleted`);
    }
    const result = await withoutInterruption(out, 'Deleting a tenant', `Run delete-tenant ${slug} --force again to finish.`, () =>
      tenancy.provisioner.deleteTenant(slug, { actor: cliActor(), keepDatabase: flags.keepDatabase === true }),
    );
    if (flags.json) {
      await out.json({ deleted: true, slug, keptDatabase: result.keptDatabase, database: result.database });
      return;
    }
    out.line(`Deleted tenant ${slug}.`);
    if (!result.keptDatabase) out.line(`  Dropped database ${result.database}.`);
    else if (tenant.db.managed)
      out.line(`  Kept database ${result.database} (--keep-database); drop it yourself when it is no longer needed.`);
    else out.line(`  Kept database ${result.database}: Salesfleet did not create it, so it never drops it.`);
  });
}
