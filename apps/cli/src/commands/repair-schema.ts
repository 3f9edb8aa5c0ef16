import { cliActor, loadTenancyPackage, withTenancy, type CommandContext } from '../context';
import { ReportedFailure, UsageError } from '../errors';
import type { MigrateTenantsFlags } from './migrate-tenants';

/** `migrate-tenants --repair --tenant X`: recreates what is missing, says what it changed; exit 1 when something is left. */
export async function repairSchemaCommand(ctx: CommandContext, flags: MigrateTenantsFlags): Promise<void> {
  const { out } = ctx;
  if (!flags.tenant) throw new UsageError('--repair works on one tenant: add --tenant <subdomain>');
  if (flags.check || flags.dryRun)
    throw new UsageError('--repair changes the schema; it does not combine with --check or --dry-run (check-tenants reports drift)');
  await withTenancy(ctx, {}, async (tenancy) => {
    const { repairTenantSchema } = await loadTenancyPackage();
    const result = await repairTenantSchema(tenancy, flags.tenant!, { actor: cliActor() });
    if (flags.json) await out.json(result);
    else if (result.differences.length === 0) out.line(`Tenant ${result.slug}: the schema matches the models; nothing to repair.`);
    else {
      out.line(`Tenant ${result.slug}:`);
      for (const c of result.changes) out.line(`  ${c.repaired ? 'repaired' : out.red('not repaired')}  ${c.message}`);
      for (const r of result.remaining) out.line(`  ${out.red('remaining')}  ${r.message}`);
    }
    if (result.remaining.length > 0) throw new ReportedFailure();
  });
}
