import type { OperationListQuery, TenantListQuery } from '@salesfleet/contracts';

export const queryKeys = {
  me: ['me'] as const,
  tenants: ['tenants'] as const,
  tenant: (slug: string) => ['tenants', slug] as const,
  tenantPage: (query: TenantListQuery) => ['tenants', 'page', query] as const,
  tenantHealth: (slug: string) => ['health', slug] as const,
  fleetHealth: ['health'] as const,
  fleetHealthPage: (offset: number) => ['health', 'fleet', offset] as const,
  healthHistory: (slug: string, days: number) => ['health', slug, 'history', days] as const,
  jobs: (kind: string) => ['jobs', kind] as const,
  backups: (slug: string) => ['backups', slug] as const,
  run: (runId: string) => ['runs', runId] as const,
  platformAdmins: ['platform-admins'] as const,
  servers: ['servers'] as const,
  operations: (filters: OperationListQuery) => ['operations', filters] as const,
};
