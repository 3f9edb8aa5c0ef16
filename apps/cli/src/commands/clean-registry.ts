import { cliActor, withTenancy, type CommandContext } from '../context';
import { CliError, UsageError } from '../errors';
import { plural } from '../output';
import { ask } from '../prompt';

export interface CleanRegistryFlags {
  yes?: boolean;
  json?: boolean;
}

/**
 * `clean-registry` (the old `clean_main_database`): lists the tenants whose database is gone, then
 * deletes their registry rows once the operator types "remove" (or with --yes). A tenant whose server
 * does not answer is reported and kept. Nothing is dropped: there is no database left to drop.
 */
export async function cleanRegistryCommand(ctx: CommandContext, flags: CleanRegistryFlags): Promise<void> {
  const { out } = ctx;
  if (!flags.yes && !out.interactive) {
    throw new UsageError('refusing to delete registry rows without confirmation: stdin is not a terminal; pass --yes');
  }
  await withTenancy(ctx, {}, async (tenancy) => {
    const found = await tenancy.provisioner.findTenantsWithoutDatabase();
    for (const u of found.unknown) out.note(`kept ${u.slug}: its database could not be checked (${u.error})`);
    if (found.tenants.length === 0) {
      if (flags.json) await out.json({ removed: [], unknown: found.unknown });
      else out.line('Every tenant in the registry has its database; nothing to clean.');
      return;
    }
    for (const t of found.tenants) out.note(`  ${t.slug} (${t.status}): ${t.database} does not exist — its registry row will be deleted`);
    if (!flags.yes) {
      const typed = await ask('Type "remove" to confirm');
      if (typed !== 'remove') throw new CliError(`confirmation "${typed}" is not "remove"; nothing was removed`);
    }
    const { removed } = await tenancy.provisioner.removeTenantsWithoutDatabase({
      actor: cliActor(),
      only: found.tenants.map((t) => t.slug),
    });
    if (flags.json) {
      await out.json({ removed, unknown: found.unknown });
      return;
    }
    for (const t of removed) out.line(`Deleted ${t.slug} from the registry (${t.database} was gone).`);
    out.line(`Removed ${plural(removed.length, 'tenant')} whose database was gone.`);
  });
}
