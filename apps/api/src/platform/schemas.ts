import { z } from 'zod';
import { emailSchema, engineSchema, tenantStatusSchema, usernameSchema } from '@salesfleet/contracts';

/** Shapes of the Platform API (CONTRACTS.md). Dates are ISO strings. */

const isoDate = z.string().describe('ISO 8601 date-time');
const TenantStatusSchema = tenantStatusSchema;
const EngineSchema = engineSchema;

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
    status: TenantStatusSchema,
    engine: EngineSchema,
    adminEmail: z.string(),
    url: z.string(),
    userCount: z.number().int().nullable().describe('active users as last recorded in the registry'),
    maxUsers: z.number().int(),
    multiLocation: z.boolean(),
    server: z.string().describe('database server: host:port, or local for SQLite files'),
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
    engine: EngineSchema,
    host: z.string().nullable(),
    port: z.number().int().nullable(),
    name: z.string().nullable(),
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
    status: TenantStatusSchema,
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
    outcome: z.enum(['started', 'succeeded', 'failed']),
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
    engine: EngineSchema,
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

export { EngineSchema, TenantStatusSchema };
