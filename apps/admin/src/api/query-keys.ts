import type { OperationListQuery, TenantListQuery } from '@salesfleet/contracts';

export const queryKeys = {
  me: ['me'] as const,
  tenants: ['tenants'] as const,
  tenant: (slug: string) => ['tenants', slug] as const,
  tenantPage: (query: TenantListQuery) => ['tenants', 'page', query] as const,
  tenantHealth: (slug: string) => ['health', slug] as const,
  fleetHealth: ['health'] as const,
  backups: (slug: string) => ['backups', slug] as const,
  run: (runId: string) => ['runs', runId] as const,
  platformAdmins: ['platform-admins'] as const,
  operations: (filters: OperationListQuery) => ['operations', filters] as const,
};
