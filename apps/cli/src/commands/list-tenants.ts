import pMap from 'p-map';
import type { TenantHealth, TenantListFilter, TenantRecord } from '@salesfleet/tenancy';
import { type Config, tenantUrl } from '@salesfleet/tenancy/config';
import { pendingMigrationCount, tenantServerOf } from '@salesfleet/tenancy/registry-reader';
import { type CommandContext, loadCliConfig, withTenancy } from '../context';
import { UsageError } from '../errors';
import { formatDate, printTable } from '../output';
import { type TenantUrls, tenantJson } from '../tenant-json';
import { ENGINES, TENANT_STATUSES, type TenantStatus } from '@salesfleet/contracts';

export interface ListTenantsFlags {
  activeOnly?: boolean;
  status?: string[];
  engine?: string[];
  server?: string;
  /** Check every listed tenant's database now (opens each); otherwise only the registry is read. */
  health?: boolean;
  json?: boolean;
}

interface Listed {
  tenant: TenantRecord;
  /** A health check made now (`--health`), else null. */
  health: TenantHealth | null;
}

/** Tenants whose database should exist and answer. */
const SERVING = new Set<TenantStatus>(['active', 'suspended']);

export async function listTenantsCommand(ctx: CommandContext, flags: ListTenantsFlags): Promise<void> {
  const status = flags.activeOnly ? ['active' as const] : oneOf('--status', flags.status, TENANT_STATUSES);
  const engine = oneOf('--engine', flags.engine, ENGINES);
  const filter: TenantListFilter = {
    ...(status?.length ? { status } : {}),
    ...(engine?.length ? { engine } : {}),
    ...(flags.server ? { server: flags.server } : {}),
  };
  const filtered = Boolean(status?.length || engine?.length || flags.server);
  const config = await loadCliConfig(ctx);
  if (!flags.health) {
    // The registry alone: read through the plain driver, without loading the tenancy stack.
    const listing = await readPlainly(config, filter);
    if (listing) {
      const urls = { tenantUrl: (slug: string) => tenantUrl(config, slug) };
      await printListing(
        ctx,
        flags,
        urls,
        listing.tenants.map((tenant) => ({ tenant, health: null })),
        listing.serverNames,
        filtered,
      );
      return;
    }
  }
  await withTenancy(
    ctx,
    {},
    async (tenancy) => {
      const tenants = await tenancy.registry.listTenants(filter);
      const serverNames = new Map((await tenancy.registry.servers.list()).map((s) => [s.id, s.name]));
      const listed = flags.health
        ? await pMap(
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
          )
        : tenants.map((tenant) => ({ tenant, health: null }));
      await printListing(ctx, flags, tenancy, listed, serverNames, filtered);
    },
    config,
  );
}

/**
 * The tenants and server names read through the registry's plain reader; null when the tenancy must be
 * opened instead (registry migrations pending, servers to register, any failure: it reports it).
 */
async function readPlainly(
  config: Config,
  filter: TenantListFilter,
): Promise<{ tenants: TenantRecord[]; serverNames: Map<number, string> } | null> {
  const { openRegistryReader } = await import('@salesfleet/tenancy/registry-reader');
  const reader = await openRegistryReader(config);
  if (!reader) return null;
  try {
    return { tenants: await reader.listTenants(filter), serverNames: await reader.serverNames() };
  } catch {
    return null;
  } finally {
    await reader.close().catch(() => undefined);
  }
}

async function printListing(
  ctx: CommandContext,
  flags: ListTenantsFlags,
  urls: TenantUrls,
  listed: Listed[],
  serverNames: ReadonlyMap<number, string>,
  filtered: boolean,
): Promise<void> {
  const { out } = ctx;
  if (flags.json) {
    // Each tenant is made into its JSON shape when it is written (toJSON), not all 10,000 beforehand.
    await out.json({ tenants: listed.map((l) => ({ toJSON: () => listedJson(urls, l, serverNames) })) });
    return;
  }
  if (listed.length === 0) {
    out.line(
      filtered
        ? 'No tenant matches these filters.'
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
      { header: 'Server' },
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
      tenantServerOf(tenant, serverNames),
      `${usersCell(tenant, health)}/${tenant.maxUsers}`,
      health?.schemaVersion ?? tenant.schemaVersion ?? '',
      pendingCell(tenant, health),
      formatDate(tenant.createdAt),
    ]),
  );
  const unreachable = listed.filter((l) => (l.health ? !l.health.reachable : l.tenant.health?.reachable === false));
  if (unreachable.length > 0) {
    out.line();
    for (const { tenant, health } of unreachable) {
      const error = health
        ? (health.error ?? 'no answer')
        : `${tenant.health?.error ?? 'no answer'} (last check ${formatDate(tenant.health!.checkedAt)})`;
      out.line(out.red(`! ${tenant.slug}: database unreachable: ${error}`));
    }
  }
}

function oneOf<T extends string>(flag: string, values: readonly string[] | undefined, allowed: readonly T[]): T[] | undefined {
  const wrong = values?.find((v) => !(allowed as readonly string[]).includes(v));
  if (wrong !== undefined) throw new UsageError(`${flag} ${wrong} is not one of ${allowed.join(', ')}`);
  return values as T[] | undefined;
}

function usersCell(tenant: TenantRecord, health: TenantHealth | null): string {
  if (health) return String(health.userCount ?? (health.reachable ? '-' : '?'));
  return String(tenant.userCount ?? '-');
}

function pendingCell(tenant: TenantRecord, health: TenantHealth | null): string {
  if (health) return health.reachable ? String(health.pendingMigrations ?? '') : '?';
  return String(pendingMigrationCount(tenant) ?? '');
}

function listedJson(urls: TenantUrls, { tenant, health }: Listed, serverNames: ReadonlyMap<number, string>) {
  const last = tenant.health;
  return {
    ...tenantJson(urls, tenant),
    server: tenantServerOf(tenant, serverNames),
    userCount: health ? health.userCount : tenant.userCount,
    schemaVersion: health?.schemaVersion ?? tenant.schemaVersion,
    pendingMigrations: health ? health.pendingMigrations : pendingMigrationCount(tenant),
    reachable: health ? health.reachable : (last?.reachable ?? null),
    lastHealth: last
      ? {
          reachable: last.reachable,
          latencyMs: last.latencyMs,
          sizeBytes: last.sizeBytes,
          error: last.error,
          checkedAt: last.checkedAt.toISOString(),
        }
      : null,
    ...(health?.error ? { error: health.error } : {}),
  };
}
