import { z } from 'zod';
import { tenantStatusSchema } from '../rules/tenant-status';
import { idParam, isoDate, optionalParam } from './common';
import { TenantListQuerySchema, TenantSummarySchema } from './platform';

/**
 * Fleet jobs (`/api/platform/jobs…`) and fleet health (`/api/platform/health…`): a fleet migration,
 * health sweep or backup recorded in the registry, one at a time per kind across every API process,
 * with each tenant's outcome; health answered from the registry (last check and 30 days of samples).
 */

export const FLEET_JOB_KINDS = ['migrate', 'health', 'backup'] as const;
export type FleetJobKind = (typeof FLEET_JOB_KINDS)[number];
export const FLEET_JOB_STATES = ['running', 'succeeded', 'failed'] as const;
export type FleetJobState = (typeof FLEET_JOB_STATES)[number];
export const FLEET_JOB_TENANT_STATES = ['pending', 'done', 'skipped', 'failed'] as const;
export type FleetJobTenantState = (typeof FLEET_JOB_TENANT_STATES)[number];

/** Tenants worked on at once by a job (backups run one after another). */
export const MAX_JOB_CONCURRENCY = 16;

export const FleetJobOptionsSchema = z
  .object({ concurrency: z.number().int().min(1).max(MAX_JOB_CONCURRENCY).optional() })
  .strict()
  .meta({ id: 'FleetJobOptions' });

export const StartFleetJobInputSchema = z.object({ kind: z.enum(FLEET_JOB_KINDS), options: FleetJobOptionsSchema.default({}) }).strict();
export type StartFleetJobInput = z.input<typeof StartFleetJobInputSchema>;

export const FleetJobSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(FLEET_JOB_KINDS),
    state: z.enum(FLEET_JOB_STATES).describe('succeeded: every tenant done or skipped; failed: at least one tenant failed'),
    options: FleetJobOptionsSchema,
    actor: z.string(),
    owner: z.string().nullable().describe('the process running it, null once finished'),
    leaseUntil: isoDate.nullable().describe('renewed by its process; a running job past it is resumed by another process'),
    attempts: z.number().int().describe('1, plus one for each time it was resumed after its process stopped'),
    total: z.number().int(),
    counts: z.object({ pending: z.number().int(), done: z.number().int(), skipped: z.number().int(), failed: z.number().int() }),
    error: z.string().nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
    finishedAt: isoDate.nullable(),
  })
  .meta({ id: 'FleetJob' });
export type FleetJob = z.infer<typeof FleetJobSchema>;

export const FleetJobTenantSchema = z
  .object({
    tenantId: z.number().int(),
    slug: z.string(),
    state: z.enum(FLEET_JOB_TENANT_STATES),
    detail: z.record(z.string(), z.unknown()).nullable().describe('what the operation reported (migrations applied, latency, archive)'),
    error: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    finishedAt: isoDate.nullable(),
  })
  .meta({ id: 'FleetJobTenant' });
export type FleetJobTenant = z.infer<typeof FleetJobTenantSchema>;

export const FleetJobStartedSchema = z.object({
  job: FleetJobSchema,
  started: z.boolean().describe('false: a job of this kind was already running (it is this one)'),
});
export const FleetJobListQuerySchema = z.object({
  kind: optionalParam(z.enum(FLEET_JOB_KINDS)),
  state: optionalParam(z.enum(FLEET_JOB_STATES)),
  limit: z.coerce.number<number | string>().int().min(1).max(200).default(50),
});
export type FleetJobListQuery = z.input<typeof FleetJobListQuerySchema>;
export const FleetJobListSchema = z.object({ jobs: z.array(FleetJobSchema) });
export const FleetJobParamSchema = idParam;
export const FleetJobDetailQuerySchema = z.object({
  state: optionalParam(z.enum(FLEET_JOB_TENANT_STATES)),
  limit: z.coerce.number<number | string>().int().min(1).max(10_000).default(1000),
  offset: z.coerce.number<number | string>().int().min(0).max(10_000_000).default(0),
});
export const FleetJobDetailSchema = z.object({ job: FleetJobSchema, tenants: z.array(FleetJobTenantSchema) });
export type FleetJobDetail = z.infer<typeof FleetJobDetailSchema>;

// ── health ─────────────────────────────────────────────────────────────────────────────────────────

export const FleetHealthQuerySchema = TenantListQuerySchema;
export const FleetHealthSummarySchema = z
  .object({
    tenants: z.number().int(),
    checked: z.number().int().describe('tenants with at least one health check'),
    reachable: z.number().int(),
    unreachable: z.number().int(),
    behindSchema: z.number().int().describe('tenants whose recorded schema is not the latest'),
    sizeBytes: z.number().describe('sum of the last recorded sizes'),
    averageLatencyMs: z.number().nullable(),
    oldestCheckAt: isoDate.nullable(),
    newestCheckAt: isoDate.nullable(),
  })
  .meta({ id: 'FleetHealthSummary' });
export type FleetHealthSummary = z.infer<typeof FleetHealthSummarySchema>;
export const FleetHealthSchema = z.object({
  summary: FleetHealthSummarySchema,
  tenants: z.array(TenantSummarySchema).describe('one page of tenants with their last health check (from the registry)'),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  lastJob: FleetJobSchema.nullable().describe('the newest health job'),
});
export type FleetHealth = z.infer<typeof FleetHealthSchema>;

export const HealthHistoryQuerySchema = z.object({
  days: z.coerce.number<number | string>().int().min(1).max(30).default(30),
});
export const HealthSampleSchema = z
  .object({
    checkedAt: isoDate,
    reachable: z.boolean(),
    latencyMs: z.number().nullable(),
    sizeBytes: z.number().nullable(),
    schemaVersion: z.string().nullable(),
    userCount: z.number().int().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'HealthSample' });
export type HealthSample = z.infer<typeof HealthSampleSchema>;
export const HealthHistorySchema = z.object({ slug: z.string(), status: tenantStatusSchema, samples: z.array(HealthSampleSchema) });
export type HealthHistory = z.infer<typeof HealthHistorySchema>;
