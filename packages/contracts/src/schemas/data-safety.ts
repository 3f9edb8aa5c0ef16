import { z } from 'zod';
import { emailSchema } from '../rules/email';
import { engineSchema } from '../rules/engine';
import { slugSchema } from '../rules/slug';
import { usernameSchema } from '../rules/username';
import { SlugParamSchema } from './platform';

/**
 * Platform API shapes of tenant data safety (backups, restore, move) and recovery (one-time passwords
 * for tenant users and platform admins). Dates are ISO strings.
 */

const isoDate = z.string().describe('ISO 8601 date-time');

/** A backup archive's file name in the tenant's backups folder (never a path). */
export const backupNameSchema = z
  .string()
  .max(255)
  .regex(/^[a-z0-9][a-z0-9-]*-[0-9TZ]+(?:-move)?\.sfbackup\.gz$/, 'not a backup archive name');

export const BackupSchema = z
  .object({
    name: backupNameSchema,
    createdAt: isoDate,
    bytes: z.number().int(),
    rows: z.number().int().nullable().describe('null when the manifest beside the archive is missing'),
    tables: z.number().int().nullable(),
    engine: engineSchema.nullable().describe('the engine the backup was taken from'),
    schemaVersion: z.string().nullable(),
    kind: z.enum(['backup', 'move']).describe('move: the copy a move went through'),
  })
  .meta({ id: 'Backup' });
export type Backup = z.infer<typeof BackupSchema>;

/** Restore a backup as a new tenant (never over a live one from the console). */
export const RestoreBackupInputSchema = z
  .object({
    as: slugSchema.describe('the new tenant’s subdomain'),
    engine: engineSchema.optional().describe('where the restored data goes; default the configured place'),
  })
  .strict()
  .meta({ id: 'RestoreBackupInput' });
export type RestoreBackupInput = z.infer<typeof RestoreBackupInputSchema>;

export const MoveTenantInputSchema = z
  .object({
    engine: engineSchema.describe('the target engine: a SQLite file, or the configured server of that engine'),
    dropOld: z.boolean().optional().describe('drop the old database once switched (default: keep it)'),
  })
  .strict()
  .meta({ id: 'MoveTenantInput' });
export type MoveTenantInput = z.infer<typeof MoveTenantInputSchema>;

export const RUN_STATES = ['running', 'succeeded', 'failed'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** A long operation (backup, restore, move) run in the background, as the console polls it. */
export const OperationRunSchema = z
  .object({
    runId: z.uuid(),
    action: z.string(),
    tenantSlug: z.string().nullable(),
    actor: z.string(),
    state: z.enum(RUN_STATES),
    steps: z
      .array(z.object({ name: z.string(), outcome: z.enum(['started', 'succeeded', 'failed']), durationMs: z.number().nullable() }))
      .describe('steps finished so far, in order'),
    progress: z
      .object({ phase: z.string(), table: z.string().nullable(), rowsDone: z.number().int(), rowsTotal: z.number().int() })
      .nullable()
      .describe('rows copied so far; known to the API process running it (null elsewhere or once finished)'),
    result: z.record(z.string(), z.unknown()).nullable().describe('what the operation reported when it succeeded (secrets masked)'),
    error: z.object({ code: z.string().nullable(), message: z.string() }).nullable(),
    startedAt: isoDate,
    finishedAt: isoDate.nullable(),
  })
  .meta({ id: 'OperationRun' });
export type OperationRun = z.infer<typeof OperationRunSchema>;

export const RunStartedSchema = z.object({ runId: z.uuid() }).meta({ id: 'RunStarted' });

export const OneTimePasswordSchema = z
  .string()
  .describe('a one-time password: shown only in this answer, never stored in plain or logged; must be changed at first sign-in');

export const CreateTenantAdminInputSchema = z
  .object({ username: usernameSchema, email: emailSchema })
  .strict()
  .meta({ id: 'CreateTenantAdminInput' });
export type CreateTenantAdminInput = z.infer<typeof CreateTenantAdminInputSchema>;

export const TenantUserCredentialsSchema = z
  .object({ username: z.string(), email: z.string().optional(), oneTimePassword: OneTimePasswordSchema })
  .meta({ id: 'TenantUserCredentials' });
export type TenantUserCredentials = z.infer<typeof TenantUserCredentialsSchema>;

export const PlatformAdminEntrySchema = z
  .object({
    id: z.number().int(),
    username: z.string(),
    email: z.string(),
    isActive: z.boolean(),
    mustChangePassword: z.boolean(),
    lastLoginAt: isoDate.nullable(),
    createdAt: isoDate,
  })
  .meta({ id: 'PlatformAdminEntry' });
export type PlatformAdminEntry = z.infer<typeof PlatformAdminEntrySchema>;

export const AddPlatformAdminInputSchema = z
  .object({ username: usernameSchema, email: emailSchema })
  .strict()
  .meta({ id: 'AddPlatformAdminInput' });
export type AddPlatformAdminInput = z.infer<typeof AddPlatformAdminInputSchema>;

export const PlatformAdminCredentialsSchema = z
  .object({ admin: PlatformAdminEntrySchema, oneTimePassword: OneTimePasswordSchema })
  .meta({ id: 'PlatformAdminCredentials' });
export type PlatformAdminCredentials = z.infer<typeof PlatformAdminCredentialsSchema>;

export const BackupParamSchema = SlugParamSchema.extend({ name: backupNameSchema });
export const BackupListSchema = z.object({ backups: z.array(BackupSchema) });
export const OldDatabaseDroppedSchema = z.object({ database: z.string(), dropped: z.boolean() });
export const RunParamSchema = z.object({ runId: z.uuid() });
export const RunResultSchema = z.object({ run: OperationRunSchema });

/** `/platform-admins/:username/…` */
export const PlatformAdminParamSchema = z.object({ username: usernameSchema });
/** `/tenants/:slug/users/:username/…` */
export const TenantUserParamSchema = SlugParamSchema.extend({ username: usernameSchema });
export const PlatformAdminListSchema = z.object({ admins: z.array(PlatformAdminEntrySchema) });
export const PlatformAdminEntryResultSchema = z.object({ admin: PlatformAdminEntrySchema });
