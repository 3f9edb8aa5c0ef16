import { z } from 'zod';
import { emailSchema } from '../rules/email';
import { engineSchema } from '../rules/engine';
import { slugSchema } from '../rules/slug';
import { tenantStatusSchema } from '../rules/tenant-status';
import { SERVER_ENGINES, tenantServerCapacitySchema, tenantServerNameSchema, tenantServerStateSchema } from '../rules/tenant-server';
import { usernameSchema } from '../rules/username';
import { isoDate, optionalParam, PageFields } from './common';

/** The Platform API (`/api/platform/*`): platform admins, tenants, their domains, health and migrations, the operations log. */

/** How the tenants list sorts (ties by slug). */
export const TENANT_SORT_KEYS = ['name', 'slug', 'status', 'engine', 'users', 'schema', 'health', 'created'] as const;
export type TenantSortKey = (typeof TENANT_SORT_KEYS)[number];

/** How an operation in the log ended (or that it is still running). */
export const OPERATION_OUTCOMES = ['started', 'succeeded', 'failed'] as const;
export type OperationOutcome = (typeof OPERATION_OUTCOMES)[number];

export const PlatformAdminSchema = z
  .object({
    id: z.number().int(),
    username: z.string(),
    email: z.string(),
    mustChangePassword: z.boolean(),
    lastLoginAt: isoDate.nullable(),
  })
  .meta({ id: 'PlatformAdmin' });

export const DomainSchema = z
  .object({ id: z.number().int(), domain: z.string(), primary: z.boolean(), createdAt: isoDate })
  .meta({ id: 'Domain' });

export const TenantSummarySchema = z
  .object({
    id: z.number().int(),
    slug: z.string(),
    name: z.string(),
    status: tenantStatusSchema,
    engine: engineSchema,
    adminEmail: z.string(),
    url: z.string(),
    userCount: z.number().int().nullable().describe('active users as last recorded in the registry'),
    maxUsers: z.number().int(),
    multiLocation: z.boolean(),
    server: z.string().describe('database server: its registered name, else host:port, or local for SQLite files'),
    health: z
      .object({
        reachable: z.boolean(),
        latencyMs: z.number().nullable(),
        sizeBytes: z.number().nullable(),
        error: z.string().nullable(),
        checkedAt: isoDate,
      })
      .nullable()
      .describe('the last health check, null before the first'),
    schemaVersion: z.string().nullable(),
    pendingMigrations: z.number().int().nullable(),
    trialEndsAt: isoDate.nullable(),
    paidUntil: isoDate.nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'TenantSummary' });

export const TenantDetailSchema = TenantSummarySchema.extend({
  database: z.object({
    engine: engineSchema,
    host: z.string().nullable(),
    port: z.number().int().nullable(),
    name: z.string().nullable().describe('the database (a SQLite file: its path in the data dir); a schema tenant: its shared database'),
    schema: z
      .string()
      .nullable()
      .describe("postgres-schema placement: the tenant's schema in the shared database `name`; null for a whole database"),
    user: z.string().nullable(),
    passwordSet: z.boolean(),
  }),
  domains: z.array(DomainSchema),
}).meta({ id: 'TenantDetail' });

export const MigrationResultSchema = z
  .object({
    slug: z.string(),
    ok: z.boolean(),
    applied: z.array(z.string()),
    schemaVersion: z.string().nullable(),
    error: z.string().optional(),
    durationMs: z.number(),
  })
  .meta({ id: 'MigrationResult' });

export const TenantHealthSchema = z
  .object({
    slug: z.string(),
    status: tenantStatusSchema,
    reachable: z.boolean(),
    latencyMs: z.number().nullable(),
    schemaVersion: z.string().nullable(),
    pendingMigrations: z.number().int().nullable(),
    sizeBytes: z.number().nullable(),
    userCount: z.number().int().nullable(),
    maxUsers: z.number().int(),
    error: z.string().optional(),
    checkedAt: isoDate,
  })
  .meta({ id: 'TenantHealth' });

export const OperationSchema = z
  .object({
    id: z.number().int(),
    tenantSlug: z.string().nullable(),
    action: z.string(),
    step: z.string().nullable(),
    outcome: z.enum(OPERATION_OUTCOMES),
    actor: z.string(),
    details: z.record(z.string(), z.unknown()).describe('secrets masked'),
    error: z.string().nullable(),
    durationMs: z.number().nullable(),
    createdAt: isoDate,
  })
  .meta({ id: 'Operation' });

const port = z.number().int().min(1).max(65535);

export const DatabaseInputSchema = z
  .object({
    engine: engineSchema,
    url: z.string().trim().min(1).max(2000).optional(),
    host: z.string().trim().min(1).max(255).optional(),
    port: port.optional(),
    user: z.string().min(1).max(128).optional(),
    password: z.string().max(1024).optional(),
    name: z.string().trim().min(1).max(255).optional(),
  })
  .strict()
  .meta({ id: 'DatabaseInput' });

export const CreateTenantInputSchema = z
  .object({
    name: z.string().trim().min(1, 'required').max(200, 'at most 200 characters'),
    subdomain: z.string().trim().min(1, 'required').max(63, 'at most 63 characters'),
    adminEmail: emailSchema,
    adminUsername: usernameSchema.optional(),
    adminPassword: z.string().min(1).max(256).optional(),
    database: DatabaseInputSchema.optional(),
    maxUsers: z.number().int().min(1).max(1_000_000).optional(),
    multiLocation: z.boolean().optional(),
    trialDays: z.number().int().min(0).max(3650).optional(),
    demoData: z.boolean().optional(),
    dryRun: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'CreateTenantInput' });

export const UpdateTenantInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    maxUsers: z.number().int().min(1).max(1_000_000).optional(),
    multiLocation: z.boolean().optional(),
    trialEndsAt: z.iso.datetime({ offset: true }).nullable().optional(),
    paidUntil: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict()
  .meta({ id: 'UpdateTenantInput' });

export const DryRunResultSchema = z
  .object({
    dryRun: z.literal(true),
    ok: z.boolean(),
    checks: z.array(z.object({ name: z.string(), ok: z.boolean(), message: z.string() })),
  })
  .meta({ id: 'DryRunResult' });

/** A tenant server as the platform API shows it: its connection without the password. */
export const TenantServerSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    engine: z.enum(SERVER_ENGINES),
    host: z.string(),
    port: z.number().int(),
    user: z.string().nullable(),
    maintenanceDatabase: z.string().nullable(),
    passwordSet: z.boolean(),
    capacity: z.number().int(),
    state: tenantServerStateSchema,
    tenantCount: z.number().int().describe('tenants placed on it (any status)'),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'TenantServer' });

export const AddTenantServerInputSchema = z
  .object({
    name: tenantServerNameSchema,
    url: z.string().trim().min(1).max(2000).describe('postgres:// or mysql:// URL; its path, if any, is the maintenance database'),
    capacity: tenantServerCapacitySchema,
    state: tenantServerStateSchema.optional(),
  })
  .strict()
  .meta({ id: 'AddTenantServerInput' });

export const UpdateTenantServerInputSchema = z
  .object({ state: tenantServerStateSchema.optional(), capacity: tenantServerCapacitySchema.optional() })
  .strict()
  .refine((v) => v.state !== undefined || v.capacity !== undefined, { message: 'give a state or a capacity', path: ['state'] })
  .meta({ id: 'UpdateTenantServerInput' });

export const TenantServerParamSchema = z.object({ name: tenantServerNameSchema });

// ── requests ──────────────────────────────────────────────────────────────────────────────────────

export const SlugParamSchema = z.object({ slug: slugSchema });
export const DomainParamSchema = SlugParamSchema.extend({ domain: z.string().min(1).max(253) });

/** `GET /api/platform/tenants` query: one page, filtered, searched and sorted by the registry. */
export const TenantListQuerySchema = z.object({
  limit: z.coerce.number<number | string>().int().min(1).max(500).default(50),
  offset: z.coerce.number<number | string>().int().min(0).max(10_000_000).default(0),
  q: optionalParam(z.string().trim().max(200)).describe('substring of the subdomain, name or admin email'),
  status: optionalParam(tenantStatusSchema),
  engine: optionalParam(engineSchema),
  server: optionalParam(z.string().trim().max(300)).describe(
    "database server: a registered tenant server's name, or host, host:port, or local for SQLite files",
  ),
  sort: optionalParam(z.enum(TENANT_SORT_KEYS)).transform((v) => v ?? 'name'),
  dir: optionalParam(z.enum(['asc', 'desc'])).transform((v) => v ?? 'asc'),
});
/** What a caller may send (every field optional, as in a URL). */
export type TenantListQuery = z.input<typeof TenantListQuerySchema>;

export const SuspendTenantInputSchema = z.object({ reason: z.string().trim().max(500).optional() }).strict();
export const DeleteTenantInputSchema = z.object({ confirm: z.string().max(63), keepDatabase: z.boolean() }).strict();
export const AddDomainInputSchema = z.object({ domain: z.string().trim().min(1).max(253), primary: z.boolean().optional() }).strict();

export const OperationListQuerySchema = z.object({
  tenant: z.string().max(63).optional(),
  action: z.string().max(64).optional(),
  outcome: optionalParam(z.enum(OPERATION_OUTCOMES)),
  limit: z.coerce.number<number | string>().int().min(1).max(1000).default(100),
});
export type OperationListQuery = z.input<typeof OperationListQuerySchema>;

// ── responses ─────────────────────────────────────────────────────────────────────────────────────

export const PlatformLoginResultSchema = z.object({ admin: PlatformAdminSchema, token: z.string() });
export const PlatformAdminResultSchema = z.object({ admin: PlatformAdminSchema });
export const TenantPageSchema = z.object({
  tenants: z.array(TenantSummarySchema),
  ...PageFields,
});
export const CreateTenantResultSchema = z.object({
  tenant: TenantSummarySchema,
  admin: z.object({ username: z.string(), email: z.string(), oneTimePassword: z.string().optional() }),
  url: z.string(),
});
export const TenantDetailResultSchema = z.object({ tenant: TenantDetailSchema });
export const DeleteTenantResultSchema = z.object({ deleted: z.literal(true), keptDatabase: z.boolean() });
export const MigrationResultBodySchema = z.object({ result: MigrationResultSchema });
export const TenantHealthResultSchema = z.object({ health: TenantHealthSchema });
export const DomainListSchema = z.object({ domains: z.array(DomainSchema) });
export const DomainResultSchema = z.object({ domain: DomainSchema });
export const OperationListSchema = z.object({ operations: z.array(OperationSchema) });
export const TenantServerListSchema = z.object({ servers: z.array(TenantServerSchema) });
export const TenantServerResultSchema = z.object({ server: TenantServerSchema });
export const RemoveTenantServerResultSchema = z.object({ removed: z.literal(true) });

export type PlatformAdmin = z.infer<typeof PlatformAdminSchema>;
export type Domain = z.infer<typeof DomainSchema>;
export type TenantSummary = z.infer<typeof TenantSummarySchema>;
export type TenantLastHealth = NonNullable<TenantSummary['health']>;
export type TenantDetail = z.infer<typeof TenantDetailSchema>;
export type TenantDatabaseInfo = TenantDetail['database'];
export type MigrationResult = z.infer<typeof MigrationResultSchema>;
export type TenantHealth = z.infer<typeof TenantHealthSchema>;
export type Operation = z.infer<typeof OperationSchema>;
export type DatabaseInput = z.input<typeof DatabaseInputSchema>;
export type CreateTenantInput = z.input<typeof CreateTenantInputSchema>;
export type UpdateTenantInput = z.input<typeof UpdateTenantInputSchema>;
export type DryRunResult = z.infer<typeof DryRunResultSchema>;
export type TenantPage = z.infer<typeof TenantPageSchema>;
export type TenantServer = z.infer<typeof TenantServerSchema>;
export type AddTenantServerInput = z.input<typeof AddTenantServerInputSchema>;
export type UpdateTenantServerInput = z.input<typeof UpdateTenantServerInputSchema>;
export type CreateTenantResult = z.infer<typeof CreateTenantResultSchema>;
