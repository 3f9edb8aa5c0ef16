import { z } from 'zod';

/** A tenant's lifecycle state in the registry. */
export const TENANT_STATUSES = ['provisioning', 'active', 'suspended', 'failed', 'deleting', 'maintenance'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];
export const tenantStatusSchema = z.enum(TENANT_STATUSES);
