import type { OperationFilters, TenantPageQuery } from '../lib/types';

export const queryKeys = {
  me: ['me'] as const,
  tenants: ['tenants'] as const,
  tenant: (slug: string) => ['tenants', slug] as const,
  tenantPage: (query: TenantPageQuery) => ['tenants', 'page', query] as const,
  tenantHealth: (slug: string) => ['health', slug] as const,
  fleetHealth: ['health'] as const,
  backups: (slug: string) => ['backups', slug] as const,
  run: (runId: string) => ['runs', runId] as const,
  platformAdmins: ['platform-admins'] as const,
  operations: (filters: OperationFilters) => ['operations', filters] as const,
};
