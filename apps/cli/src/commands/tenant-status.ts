import { cliActor, withTenancy, type CommandContext } from '../context';
import { tenantJson } from '../tenant-json';

export interface TenantStatusFlags {
  reason?: string;
  json?: boolean;
}

/** `suspend-tenant`: its users get 403 until `resume-tenant`; nothing is deleted. */
export async function suspendTenantCommand(ctx: CommandContext, slug: string, flags: TenantStatusFlags): Promise<void> {
  const { out } = ctx;
  await withTenancy(ctx, {}, async (tenancy) => {
    const before = await tenancy.registry.getTenant(slug);
    const tenant = await tenancy.provisioner.suspendTenant(slug, { actor: cliActor(), reason: flags.reason ?? null });
    if (flags.json) return out.json({ tenant: tenantJson(tenancy, tenant) });
    if (before.status === 'suspended')
      out.line(`Tenant ${slug} was already suspended${tenant.suspendedReason ? ` (reason: ${tenant.suspendedReason})` : ''}.`);
    else
      out.line(
        `Suspended tenant ${slug}${tenant.suspendedReason ? ` (reason: ${tenant.suspendedReason})` : ''}: its users are refused until \`${ctx.invokedAs} resume-tenant ${slug}\`.`,
      );
  });
}

export async function resumeTenantCommand(ctx: CommandContext, slug: string, flags: TenantStatusFlags): Promise<void> {
  const { out } = ctx;
  await withTenancy(ctx, {}, async (tenancy) => {
    const before = await tenancy.registry.getTenant(slug);
    const tenant = await tenancy.provisioner.resumeTenant(slug, { actor: cliActor() });
    if (flags.json) return out.json({ tenant: tenantJson(tenancy, tenant) });
    out.line(
      before.status === 'active'
        ? `Tenant ${slug} was already active.`
        : `Resumed tenant ${slug}: ${tenancy.tenantUrl(slug)} serves its users again.`,
    );
  });
}
