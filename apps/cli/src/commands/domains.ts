import { cliActor, withTenancy, type CommandContext } from '../context';
import { formatDate, printTable } from '../output';

export interface DomainFlags {
  primary?: boolean;
  json?: boolean;
}

const domainJson = (d: { id: number; domain: string; primary: boolean; createdAt: Date }) => ({
  id: d.id,
  domain: d.domain,
  primary: d.primary,
  createdAt: d.createdAt.toISOString(),
});

export async function listDomainsCommand(ctx: CommandContext, slug: string, flags: DomainFlags): Promise<void> {
  const { out } = ctx;
  await withTenancy(ctx, {}, async (tenancy) => {
    const domains = await tenancy.provisioner.listDomains(slug);
    if (flags.json) return out.json({ subdomain: tenancy.tenantUrl(slug), domains: domains.map(domainJson) });
    out.line(`Tenant ${slug} answers on ${tenancy.tenantUrl(slug)}${domains.length ? ' and:' : ' (no custom domains).'}`);
    if (domains.length > 0) {
      await printTable(
        out,
        [{ header: 'Domain' }, { header: 'Primary' }, { header: 'Added (UTC)' }],
        domains.map((d) => [d.domain, d.primary ? 'yes' : '', formatDate(d.createdAt)]),
      );
    }
  });
}

export async function addDomainCommand(ctx: CommandContext, slug: string, domain: string, flags: DomainFlags): Promise<void> {
  const { out } = ctx;
  await withTenancy(ctx, {}, async (tenancy) => {
    const added = await tenancy.provisioner.addDomain(slug, domain, { actor: cliActor(), primary: flags.primary === true });
    if (flags.json) return out.json({ domain: domainJson(added) });
    out.line(`Added ${added.domain} to tenant ${slug}${added.primary ? ' as its primary domain' : ''}. Point its DNS at the platform.`);
  });
}

export async function removeDomainCommand(ctx: CommandContext, slug: string, domain: string, flags: DomainFlags): Promise<void> {
  const { out } = ctx;
  await withTenancy(ctx, {}, async (tenancy) => {
    await tenancy.provisioner.removeDomain(slug, domain, { actor: cliActor() });
    if (flags.json) return out.json({ removed: true, domain });
    out.line(`Removed ${domain} from tenant ${slug}.`);
  });
}
