// The fleet health view's ordering, as a plain function (tested directly). The tenants list is sorted by the server.

import type { TenantHealth } from '@salesfleet/contracts';

/** Fleet health view: failures first, then pending migrations, then by subdomain. */
export function sortHealthFailuresFirst(items: readonly TenantHealth[]): TenantHealth[] {
  const rank = (h: TenantHealth) => (!h.reachable || h.error ? 0 : h.pendingMigrations ? 1 : 2);
  return [...items].sort((a, b) => rank(a) - rank(b) || a.slug.localeCompare(b.slug));
}
