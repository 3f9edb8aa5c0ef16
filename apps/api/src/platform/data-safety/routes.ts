import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'hono';
import {
  ARCHIVE_EXTENSION,
  backupDirectory,
  backupTenant,
  deleteOldDatabase,
  listBackups,
  moveTenant,
  restoreTenant,
  type BackupEntry,
} from '@salesfleet/tenancy';
import type { PlatformAdminEnv } from '../../app-env';
import type { PlatformApiRoutes } from '../../http/api-routes';
import type { AppTenancy } from '../../tenancy';
import type { BackgroundRuns } from './runs';
import {
  type Backup,
  BackupListSchema,
  BackupParamSchema,
  MoveTenantInputSchema,
  NotFound,
  OldDatabaseDroppedSchema,
  RestoreBackupInputSchema,
  RunParamSchema,
  RunResultSchema,
  RunStartedSchema,
  SlugParamSchema,
  SlugTaken,
} from '@salesfleet/contracts';

const actorOf = (c: Context<PlatformAdminEnv>) => `admin:${c.var.admin.admin.username}`;

function backupJson(entry: BackupEntry): Backup {
  const m = entry.manifest;
  return {
    name: entry.file.slice(entry.file.lastIndexOf('/') + 1),
    createdAt: entry.createdAt,
    bytes: entry.bytes,
    rows: m ? m.tables.reduce((n, t) => n + t.rows, 0) : null,
    tables: m ? m.tables.length : null,
    engine: m ? m.engine : null,
    schemaVersion: m ? m.schemaVersion : null,
    kind: entry.file.endsWith(`-move${ARCHIVE_EXTENSION}`) ? 'move' : 'backup',
  };
}

const started = { 202: { description: 'Started in the background; poll GET /api/platform/runs/{runId}', schema: RunStartedSchema } };

/**
 * `/api/platform/tenants/:slug/backups…`, `…/move`, `…/old-database` and `/api/platform/runs/:runId`:
 * a tenant's backups, restoring one as a new tenant, and moving a tenant to another engine, for the
 * admin console. Backups, restores and moves run in the background (see BackgroundRuns); what is
 * cheap to check (the tenant, the archive, a free subdomain) is refused at once with 404/409.
 */
export function platformDataSafetyRoutes(
  routes: PlatformApiRoutes,
  deps: { tenancy: AppTenancy; runs: BackgroundRuns },
): PlatformApiRoutes {
  const { tenancy, runs } = deps;
  const { registry } = tenancy;

  routes.add(
    {
      method: 'get',
      path: '/tenants/:slug/backups',
      summary: "A tenant's backups in its backups folder, newest first (also those of a deleted tenant)",
      params: SlugParamSchema,
      responses: { 200: { description: 'Backups', schema: BackupListSchema } },
    },
    async (c, { params }) => c.json({ backups: (await listBackups(tenancy.config, params.slug)).map(backupJson) }),
  );

  routes.add(
    {
      method: 'post',
      path: '/tenants/:slug/backups',
      summary: 'Take a backup of the tenant (one consistent snapshot into an engine-neutral archive; retention applies)',
      params: SlugParamSchema,
      responses: { ...started, 404: { description: 'TenantNotFound' } },
    },
    async (c, { params }) => {
      const tenant = await registry.getTenant(params.slug);
      const actor = actorOf(c);
      const runId = runs.start({ action: 'backup-tenant', tenantSlug: tenant.slug, actor }, (id, onProgress) =>
        backupTenant(tenancy, tenant.slug, { actor, runId: id, onProgress: (p) => onProgress({ phase: 'copy', ...p }) }),
      );
      return c.json({ runId }, 202);
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/tenants/:slug/backups/:name/restore',
      summary:
        'Restore a backup as a new tenant (checksums verified first; optionally on another engine); the new tenant is active once its data is verified',
      params: BackupParamSchema,
      body: RestoreBackupInputSchema,
      responses: { ...started, 404: { description: 'NotFound: no such backup' }, 409: { description: 'SlugTaken' } },
    },
    async (c, { params, body }) => {
      const file = join(backupDirectory(tenancy.config, params.slug), params.name);
      if (!existsSync(file)) throw new NotFound('Backup', params.name);
      if (await registry.findTenant(body.as)) throw new SlugTaken(body.as);
      const actor = actorOf(c);
      const runId = runs.start({ action: 'restore-tenant', tenantSlug: body.as, actor }, (id, onProgress) =>
        restoreTenant(tenancy, params.slug, {
          actor,
          runId: id,
          from: file,
          as: body.as,
          ...(body.engine ? { database: { engine: body.engine } } : {}),
          onProgress: (p) => onProgress({ phase: p.phase, table: p.table, rowsDone: p.rowsDone, rowsTotal: p.rowsTotal }),
        }),
      );
      return c.json({ runId }, 202);
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/tenants/:slug/move',
      summary:
        'Move the tenant to another engine: maintenance (503 for its users), copy, verify, switch; the old database is kept unless dropOld',
      params: SlugParamSchema,
      body: MoveTenantInputSchema,
      responses: { ...started, 404: { description: 'TenantNotFound' } },
    },
    async (c, { params, body }) => {
      const tenant = await registry.getTenant(params.slug);
      const actor = actorOf(c);
      const runId = runs.start({ action: 'move-tenant', tenantSlug: tenant.slug, actor }, (id, onProgress) =>
        moveTenant(tenancy, tenant.slug, {
          actor,
          runId: id,
          to: { engine: body.engine },
          ...(body.dropOld !== undefined ? { dropOld: body.dropOld } : {}),
          onProgress,
        }),
      );
      return c.json({ runId }, 202);
    },
  );

  routes.add(
    {
      method: 'delete',
      path: '/tenants/:slug/old-database',
      summary: 'Drop the database a finished move kept (only one Salesfleet created; others are only forgotten)',
      params: SlugParamSchema,
      responses: {
        200: { description: 'Done', schema: OldDatabaseDroppedSchema },
        404: { description: 'TenantNotFound' },
        409: { description: 'Conflict: no old database kept' },
      },
    },
    async (c, { params }) => c.json(await deleteOldDatabase(tenancy, params.slug, { actor: actorOf(c) })),
  );

  routes.add(
    {
      method: 'get',
      path: '/runs/:runId',
      summary: 'A background operation (backup, restore, move): its state, finished steps, rows copied so far, and result or error',
      params: RunParamSchema,
      responses: { 200: { description: 'The run', schema: RunResultSchema }, 404: { description: 'NotFound' } },
    },
    async (c, { params }) => {
      const run = await runs.get(params.runId);
      if (!run) throw new NotFound('Run', params.runId);
      return c.json({ run });
    },
  );

  return routes;
}
