import pMap from 'p-map';
import type { Tenancy, TenantHealth, TenantRecord } from '@salesfleet/tenancy';
import { withTenancy, type CommandContext } from '../context';
import { formatDate, printTable } from '../output';
import { tenantJson } from '../tenant-json';

export interface ListTenantsFlags {
  activeOnly?: boolean;
  json?: boolean;
}

interface Listed {
  tenant: TenantRecord;
  health: TenantHealth | null;
}

/** Tenants whose database should exist and answer. */
const SERVING = new Set(['active', 'suspended']);

export async function listTenantsCommand(ctx: CommandContext, flags: ListTenantsFlags): Promise<void> {
  const { out } = ctx;
  await withTenancy(ctx, {}, async (tenancy) => {
    const tenants = await tenancy.registry.listTenants(flags.activeOnly ? { status: 'active' } : {});
    const listed = await pMap(
      tenants,
      async (tenant): Promise<Listed> => ({
        tenant,
        health: SERVING.has(tenant.status)
          ? await tenancy.provisioner.tenantHealth(tenant.slug).catch((err: unknown) => {
              // Listed without health (shown as unknown); the tenant may have been deleted meanwhile.
              tenancy.logger.warn(
                { err: err instanceof Error ? err.message : String(err), tenant: tenant.slug },
                'tenant health unavailable',
              );
              return null;
            })
          : null,
      }),
      { concurrency: 8 },
    );

    if (flags.json) {
      out.json({ tenants: listed.map((l) => listedJson(tenancy, l)) });
      return;
    }
    if (listed.length === 0) {
      out.line(
        flags.activeOnly
          ? 'No active tenants.'
          : `No tenants yet. Create one with: ${ctx.invokedAs} create-tenant "Acme Ltd" acme admin@acme.test`,
      );
      return;
    }
    await printTable(
      out,
      [
        { header: 'Slug' },
        { header: 'Name' },
        { header: 'Status' },
        { header: 'Engine' },
        { header: 'Users', align: 'right' },
        { header: 'Schema version' },
        { header: 'Pending', align: 'right' },
        { header: 'Created (UTC)' },
      ],
      listed.map(({ tenant, health }) => [
        tenant.slug,
        tenant.name,
        tenant.status,
        tenant.db.engine,
        `${health?.userCount ?? (health && !health.reachable ? '?' : '-')}/${tenant.maxUsers}`,
        health?.schemaVersion ?? tenant.schemaVersion ?? '',
        pendingCell(health),
        formatDate(tenant.createdAt),
      ]),
    );
    const unreachable = listed.filter((l) => l.health && !l.health.reachable);
    if (unreachable.length > 0) {
      out.line();
      for (const { tenant, health } of unreachable)
        out.line(out.red(`! ${tenant.slug}: database unreachable: ${health?.error ?? 'no answer'}`));
    }
  });
}

function pendingCell(health: TenantHealth | null): string {
  if (!health) return '';
  if (!health.reachable) return '?';
  return String(health.pendingMigrations ?? '');
}

function listedJson(tenancy: Tenancy, { tenant, health }: Listed) {
  return {
    ...tenantJson(tenancy, tenant),
    userCount: health?.userCount ?? null,
    schemaVersion: health?.schemaVersion ?? tenant.schemaVersion,
    pendingMigrations: health?.pendingMigrations ?? null,
    reachable: health ? health.reachable : null,
    ...(health?.error ? { error: health.error } : {}),
  };
}
