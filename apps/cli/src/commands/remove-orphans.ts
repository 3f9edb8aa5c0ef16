import { cliActor, withTenancy, type CommandContext } from '../context';
import { CliError, UsageError } from '../errors';
import { plural } from '../output';
import { ask } from '../prompt';

export interface RemoveOrphansFlags {
  force?: boolean;
  json?: boolean;
}

/**
 * `remove-orphans`: what crashed creations left behind — databases named like ours (`sales_*`,
 * `tenants/*.sqlite`) that no tenant owns, and tenants stuck in provisioning whose creator is gone —
 * listed, then dropped / deleted after the operator types "remove" (or with --force).
 */
export async function removeOrphansCommand(ctx: CommandContext, flags: RemoveOrphansFlags): Promise<void> {
  const { out } = ctx;
  if (!flags.force && !out.interactive) {
    throw new UsageError('refusing to drop databases without confirmation: stdin is not a terminal; pass --force');
  }
  await withTenancy(ctx, {}, async (tenancy) => {
    const report = await tenancy.provisioner.findOrphans();
    for (const u of report.unreachable) out.note(`Could not list ${u.where}: ${u.error}`);
    if (report.databases.length === 0 && report.abandoned.length === 0) {
      if (flags.json) await out.json({ droppedDatabases: [], removedTenants: [] });
      else out.line('No orphans: every database named like a tenant database belongs to a tenant, and no creation is stuck.');
      return;
    }
    if (!flags.force) {
      for (const d of report.databases) out.note(`  database ${d.where}: no tenant owns it — will be DROPPED`);
      for (const t of report.abandoned)
        out.note(`  tenant ${t.slug}: stuck in provisioning (creator ${t.owner ?? 'unknown'} is gone) — will be deleted`);
      const typed = await ask('Type "remove" to confirm');
      if (typed !== 'remove') throw new CliError(`confirmation "${typed}" is not "remove"; nothing was removed`);
    }
    const removed = await tenancy.provisioner.removeOrphans({ actor: cliActor() });
    if (flags.json) {
      await out.json(removed);
      return;
    }
    for (const d of removed.droppedDatabases) out.line(`Dropped ${d}.`);
    for (const s of removed.removedTenants) out.line(`Deleted stuck tenant ${s}.`);
    out.line(
      `Removed ${plural(removed.droppedDatabases.length, 'orphan database')} and ${plural(removed.removedTenants.length, 'stuck tenant')}.`,
    );
  });
}
