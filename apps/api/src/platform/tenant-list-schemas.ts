import { z } from 'zod';
import { TENANT_SORT_KEYS } from '@salesfleet/tenancy';
import { EngineSchema, TenantStatusSchema } from './schemas';

const emptyAsMissing = (v: unknown) => (v === '' ? undefined : v);

/** `GET /api/platform/tenants` query: one page, filtered, searched and sorted by the registry. */
export const TenantListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  q: z.preprocess(emptyAsMissing, z.string().trim().max(200).optional()).describe('substring of the subdomain, name or admin email'),
  status: z.preprocess(emptyAsMissing, TenantStatusSchema.optional()),
  engine: z.preprocess(emptyAsMissing, EngineSchema.optional()),
  server: z
    .preprocess(emptyAsMissing, z.string().trim().max(300).optional())
    .describe('database server: host, host:port, or local for SQLite files'),
  sort: z.preprocess(emptyAsMissing, z.enum(TENANT_SORT_KEYS).default('name')),
  dir: z.preprocess(emptyAsMissing, z.enum(['asc', 'desc']).default('asc')),
});
