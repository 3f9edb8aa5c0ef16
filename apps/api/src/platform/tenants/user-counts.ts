import pMap from 'p-map';
import type { TenantRecord } from '@salesfleet/tenancy';
import type { AppTenancy } from '../../tenancy';

const TTL_MS = 30_000;

/**
 * Users per tenant for the tenants table, counted through the connection cache and remembered for
 * TTL_MS (per process), so listing many tenants does not reopen every database on every refresh.
 */
export class UserCounts {
  readonly #counts = new Map<number, { count: number; at: number; version: number }>();
  readonly #tenancy: AppTenancy;

  constructor(tenancy: AppTenancy) {
    this.#tenancy = tenancy;
  }

  remember(tenant: TenantRecord, count: number | null): void {
    if (count === null) this.#counts.delete(tenant.id);
    else this.#counts.set(tenant.id, { count, at: Date.now(), version: tenant.version });
  }

  /** The active user count, or null when the tenant is not serving or its database does not answer. */
  async of(tenant: TenantRecord, options: { fresh?: boolean } = {}): Promise<number | null> {
    if (tenant.status !== 'active' && tenant.status !== 'suspended') return null;
    const cached = this.#counts.get(tenant.id);
    if (!options.fresh && cached && Date.now() - cached.at < TTL_MS) return cached.count;
    try {
      const count = await this.#tenancy.connections.withTenant(tenant, ({ models }) => models.User.count({ where: { isActive: true } }));
      this.remember(tenant, count);
      return count;
    } catch {
      return cached?.count ?? null;
    }
  }

  /** Counts for many tenants, `concurrency` at a time. */
  async ofAll(tenants: readonly TenantRecord[], concurrency = 4): Promise<Map<number, number | null>> {
    const counts = await pMap(tenants, (t) => this.of(t), { concurrency });
    return new Map(tenants.map((t, i) => [t.id, counts[i] ?? null]));
  }
}
