import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Config } from '../config';
import { closeSequelize, describeSpec, openSequelize, type DatabaseSpec } from '../drivers/index';
import type { OperationsLog } from '../operations';
import type { TenantRecord } from '../registry/records';
import type { Registry } from '../registry/registry';
import {
  ARCHIVE_EXTENSION,
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  ArchiveWriter,
  TableDigest,
  manifestPathOf,
  writeManifestFile,
  type ArchiveHeader,
  type ArchiveManifest,
  type ArchiveTableHeader,
  type ManifestFile,
} from './archive';
import { countRows, readRows, withSnapshot } from './snapshot';
import { Conflict, ValidationFailed } from '@salesfleet/contracts';

/** What the data-safety operations need of a Tenancy (a Tenancy is one). */
export interface DataSafetyDeps {
  config: Config;
  registry: Registry;
  operations: OperationsLog;
}

export interface BackupProgress {
  table: string;
  /** Rows written so far, over all tables. */
  rowsDone: number;
  rowsTotal: number;
}

export interface Retention {
  /** Keep this many newest backups of the tenant (default directory only). */
  keep?: number | null;
  /** Remove backups older than this many days (default directory only). */
  keepDays?: number | null;
}

export interface BackupOptions {
  actor: string;
  /** The operations log's run id (default a new one). */
  runId?: string;
  /** The archive's path; default `<data dir>/backups/<slug>/<slug>-<UTC time>.sfbackup.gz`. */
  output?: string;
  /** Default the configuration's (SALESFLEET_BACKUP_KEEP / SALESFLEET_BACKUP_KEEP_DAYS). */
  retention?: Retention;
  onProgress?: (progress: BackupProgress) => void;
}

export interface BackupResult {
  slug: string;
  file: string;
  manifestFile: string;
  manifest: ManifestFile;
  rows: number;
  bytes: number;
  durationMs: number;
  /** Older backups removed by the retention setting. */
  pruned: string[];
}

/** `<data dir>/backups/<slug>`. */
export function backupDirectory(config: Pick<Config, 'dataDir'>, slug: string): string {
  return join(config.dataDir, 'backups', slug);
}

const STATUSES_BACKED_UP = new Set(['active', 'suspended', 'maintenance']);

/**
 * Backs up one tenant into an engine-neutral archive (see archive.ts): one read-only snapshot of its
 * database, every table in dependency order, streamed page by page. The archive and its manifest are
 * created 0600 and appear only once complete. Recorded in the operations log (path, rows, size).
 */
export async function backupTenant(deps: DataSafetyDeps, slug: string, options: BackupOptions): Promise<BackupResult> {
  const tenant = await deps.registry.getTenant(slug);
  if (!STATUSES_BACKED_UP.has(tenant.status))
    throw new Conflict(`Tenant "${slug}" is ${tenant.status}; only a working tenant can be backed up`);
  const spec = deps.registry.databaseSpecOf(tenant);
  const file = await archivePath(deps.config, tenant, options.output);
  const run = await deps.operations.begin('backup-tenant', {
    actor: options.actor,
    ...(options.runId ? { runId: options.runId } : {}),
    tenantId: tenant.id,
    tenantSlug: tenant.slug,
    details: { file, database: describeSpec(spec) },
    secrets: [spec.password],
  });
  try {
    const result = await writeArchive(deps.config, tenant, spec, file, options.onProgress);
    const retention = options.retention ?? { keep: deps.config.backupKeep, keepDays: deps.config.backupKeepDays };
    const pruned = options.output ? [] : await applyRetention(deps.config, slug, retention, file);
    await run.succeed({
      rows: result.rows,
      bytes: result.bytes,
      tables: result.manifest.tables.length,
      pruned: pruned.map((p) => basename(p)),
    });
    return { ...result, slug, pruned };
  } catch (err) {
    await run.fail(err);
    throw err;
  }
}

async function archivePath(config: Config, tenant: TenantRecord, output: string | undefined): Promise<string> {
  if (output) {
    const path = resolve(output);
    if (existsSync(path))
      throw new ValidationFailed(`${path} already exists; choose another --output`, [{ path: 'output', message: 'exists' }]);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    return path;
  }
  const dir = backupDirectory(config, tenant.slug);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('.', '');
  return join(dir, `${tenant.slug}-${stamp}${ARCHIVE_EXTENSION}`);
}

export async function writeArchive(
  config: Config,
  tenant: TenantRecord,
  spec: DatabaseSpec,
  file: string,
  onProgress: BackupOptions['onProgress'],
  options: { gzipLevel?: number } = {},
): Promise<Omit<BackupResult, 'slug' | 'pruned'>> {
  const started = performance.now();
  const sequelize = openSequelize(spec, { dataDir: config.dataDir, connectTimeoutMs: config.dbConnectTimeoutMs, poolMax: 1, tenant: true });
  const writer = new ArchiveWriter(file, options.gzipLevel === undefined ? {} : { level: options.gzipLevel });
  try {
    const manifest = await withSnapshot(sequelize, async ({ transaction, tables, migrations }) => {
      const headers: ArchiveTableHeader[] = [];
      for (const t of tables)
        headers.push({ name: t.name, columns: t.columns, primaryKey: t.primaryKey, rows: await countRows(sequelize, t.name, transaction) });
      const rowsTotal = headers.reduce((n, t) => n + t.rows, 0);
      const header: ArchiveHeader = {
        kind: 'header',
        format: ARCHIVE_FORMAT,
        formatVersion: ARCHIVE_FORMAT_VERSION,
        tenant: archiveTenant(tenant),
        engine: spec.engine,
        schemaVersion: migrations.at(-1) ?? null,
        migrations,
        createdAt: new Date().toISOString(),
        tables: headers,
      };
      await writer.writeRecord(header);
      let rowsDone = 0;
      const tableSums: ArchiveManifest['tables'] = [];
      for (const table of headers) {
        await writer.writeRecord({ kind: 'table', name: table.name });
        const digest = new TableDigest();
        for await (const page of readRows(sequelize, table, transaction)) {
          let text = '';
          for (const row of page) text += digest.add(row);
          await writer.write(text);
          rowsDone += page.length;
          onProgress?.({ table: table.name, rowsDone, rowsTotal });
        }
        if (digest.rows !== table.rows)
          throw new Error(`table ${table.name}: read ${digest.rows} rows of ${table.rows} counted in the same snapshot`);
        const sha256 = digest.digest();
        await writer.writeRecord({ kind: 'end', name: table.name, rows: digest.rows, sha256 });
        tableSums.push({ name: table.name, rows: digest.rows, sha256 });
      }
      const out: ArchiveManifest = {
        kind: 'manifest',
        format: ARCHIVE_FORMAT,
        formatVersion: ARCHIVE_FORMAT_VERSION,
        tenant: header.tenant,
        engine: header.engine,
        schemaVersion: header.schemaVersion,
        createdAt: header.createdAt,
        tables: tableSums,
      };
      await writer.writeRecord(out);
      return out;
    });
    const written = await writer.finish();
    const durationMs = Math.round(performance.now() - started);
    const manifestFile: ManifestFile = { ...manifest, file: { name: basename(file), ...written }, durationMs };
    const manifestPath = manifestPathOf(file);
    await writeManifestFile(manifestPath, manifestFile);
    const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
    return { file, manifestFile: manifestPath, manifest: manifestFile, rows, bytes: written.bytes, durationMs };
  } catch (err) {
    await writer.abort();
    throw err;
  } finally {
    await closeSequelize(sequelize);
  }
}

function archiveTenant(tenant: TenantRecord): ArchiveHeader['tenant'] {
  return {
    slug: tenant.slug,
    name: tenant.name,
    adminEmail: tenant.adminEmail,
    maxUsers: tenant.maxUsers,
    multiLocation: tenant.multiLocation,
  };
}

export interface BackupsOptions {
  actor: string;
  /** These tenants; default every active or suspended tenant. */
  slugs?: string[];
  retention?: Retention;
  onTenant?: (slug: string, outcome: { ok: true; result: BackupResult } | { ok: false; error: string }) => void;
  onProgress?: (slug: string, progress: BackupProgress) => void;
}

export interface BackupsResult {
  ok: boolean;
  results: ({ slug: string; ok: true; result: BackupResult } | { slug: string; ok: false; error: string })[];
}

/** Backs up several tenants one after another; one failing does not stop the others. */
export async function backupTenants(deps: DataSafetyDeps, options: BackupsOptions): Promise<BackupsResult> {
  const slugs = options.slugs?.length
    ? options.slugs
    : (await deps.registry.listTenants({ status: ['active', 'suspended'] })).map((t) => t.slug);
  const results: BackupsResult['results'] = [];
  for (const slug of slugs) {
    try {
      const result = await backupTenant(deps, slug, {
        actor: options.actor,
        retention: options.retention,
        ...(options.onProgress ? { onProgress: (p: BackupProgress) => options.onProgress!(slug, p) } : {}),
      });
      results.push({ slug, ok: true, result });
      options.onTenant?.(slug, { ok: true, result });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      results.push({ slug, ok: false, error });
      options.onTenant?.(slug, { ok: false, error });
    }
  }
  return { ok: results.every((r) => r.ok), results };
}

export interface BackupEntry {
  slug: string;
  file: string;
  createdAt: string;
  bytes: number;
  /** Null when the sidecar manifest is missing or unreadable (the archive itself may still be fine). */
  manifest: ManifestFile | null;
}

/** Backups in `<data dir>/backups/`, newest first; one tenant's with `slug`. */
export async function listBackups(config: Pick<Config, 'dataDir'>, slug?: string): Promise<BackupEntry[]> {
  const root = join(config.dataDir, 'backups');
  const slugs = slug ? [slug] : await readdir(root).catch(() => [] as string[]);
  const entries: BackupEntry[] = [];
  for (const s of slugs) {
    const dir = join(root, s);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.endsWith(ARCHIVE_EXTENSION)) continue;
      const file = join(dir, name);
      const info = await stat(file);
      let manifest: ManifestFile | null = null;
      try {
        manifest = JSON.parse(await readFile(manifestPathOf(file), 'utf8')) as ManifestFile;
      } catch {
        manifest = null;
      }
      entries.push({ slug: s, file, createdAt: manifest?.createdAt ?? info.mtime.toISOString(), bytes: info.size, manifest });
    }
  }
  return entries.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.file.localeCompare(a.file));
}

/** Removes the tenant's backups beyond `keep` newest and older than `keepDays`; never `current`. */
export async function applyRetention(
  config: Pick<Config, 'dataDir'>,
  slug: string,
  retention: Retention,
  current?: string,
): Promise<string[]> {
  const { keep, keepDays } = retention;
  if (!keep && !keepDays) return [];
  const entries = await listBackups(config, slug);
  const cutoff = keepDays ? Date.now() - keepDays * 86_400_000 : null;
  const removed: string[] = [];
  entries.forEach((entry, index) => {
    if (entry.file === current) return;
    const tooMany = keep ? index >= keep : false;
    const tooOld = cutoff !== null && Date.parse(entry.createdAt) < cutoff;
    if (tooMany || tooOld) removed.push(entry.file);
  });
  for (const file of removed) {
    await rm(file, { force: true });
    await rm(manifestPathOf(file), { force: true });
  }
  return removed;
}
