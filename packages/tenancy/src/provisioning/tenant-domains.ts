import { isIpHost } from '../host';
import type { DomainRecord } from '../registry/records';
import { normalizeDomain } from '../registry/registry';
import type { ProvisioningContext } from './context';
import { withOperation } from './operation';
import type { ActorOptions } from './types';
import { ValidationFailed } from '@salesfleet/contracts';

export async function listDomains(ctx: ProvisioningContext, slug: string): Promise<DomainRecord[]> {
  const tenant = await ctx.registry.getTenant(slug);
  return ctx.registry.listDomains(tenant.id);
}

/** Adds a custom domain (not under a base domain: those are subdomains already). */
export async function addDomain(
  ctx: ProvisioningContext,
  slug: string,
  domain: string,
  options: ActorOptions & { primary?: boolean },
): Promise<DomainRecord> {
  const tenant = await ctx.registry.getTenant(slug);
  const host = normalizeDomain(domain);
  for (const base of ctx.config.baseDomains) {
    if (host === base || host.endsWith(`.${base}`)) {
      throw new ValidationFailed(`${host} is under the base domain ${base}; tenants get <slug>.${base} without registering it`, [
        { path: 'domain', message: `must not be under ${base}` },
      ]);
    }
  }
  if (isIpHost(host)) throw new ValidationFailed('A domain cannot be an IP address', [{ path: 'domain', message: 'must be a name' }]);
  return withOperation(
    ctx.operations,
    'add-domain',
    { actor: options.actor, tenantId: tenant.id, tenantSlug: slug, details: { domain: host, primary: options.primary === true } },
    () => ctx.registry.addDomain(tenant.id, host, { primary: options.primary }),
  );
}

export async function removeDomain(ctx: ProvisioningContext, slug: string, domain: string, options: ActorOptions): Promise<void> {
  const tenant = await ctx.registry.getTenant(slug);
  await withOperation(
    ctx.operations,
    'remove-domain',
    { actor: options.actor, tenantId: tenant.id, tenantSlug: slug, details: { domain } },
    () => ctx.registry.removeDomain(tenant.id, domain),
  );
}
