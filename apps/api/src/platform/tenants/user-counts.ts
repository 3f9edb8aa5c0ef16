import type { Logger, TenantRecord } from '@salesfleet/tenancy';
import type { AppTenancy } from '../../tenancy';

/**
 * A tenant's active users counted in its own database (one tenant's detail page, after a create),
 * written back to the registry so the tenants list shows it without opening any database.
 */
export class UserCounts {
  readonly #tenancy: AppTenancy;

  constructor(tenancy: AppTenancy) {
    this.#tenancy = tenancy;
  }

  /** The active user count, or the last recorded one when the tenant is not serving or does not answer. */
  async of(tenant: TenantRecord, logger: Logger): Promise<number | null> {
    if (tenant.status !== 'active' && tenant.status !== 'suspended') return tenant.userCount;
    let count: number;
    try {
      count = await this.#tenancy.connections.withTenant(tenant, ({ models }) => models.User.count({ where: { isActive: true } }));
    } catch (err) {
      // The detail page shows the tenant's health separately; here the last recorded count stands.
      logger.warn({ err, tenant: tenant.slug }, 'could not count active users; showing the last recorded count');
      return tenant.userCount;
    }
    if (count !== tenant.userCount) await this.#tenancy.registry.setUserCount(tenant.id, count);
    return count;
  }
}
