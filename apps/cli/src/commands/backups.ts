import type { BackupProgress, BackupResult, LoadProgress, RestoreStep, Retention } from '@salesfleet/tenancy';
import { cliActor, loadTenancyPackage, withTenancy, type CommandContext } from '../context';
import { ReportedFailure, UsageError } from '../errors';
import { withoutInterruption } from '../interrupt';
import { formatMs, plural, printTable, type Output } from '../output';

export interface BackupFlags {
  output?: string;
  keep?: number;
  keepDays?: number;
  json?: boolean;
}

export interface BackupsFlags extends Omit<BackupFlags, 'output'> {
  all?: boolean;
  tenant?: string[];
}

export interface ListBackupsFlags {
  json?: boolean;
}

export interface RestoreFlags {
  from: string;
  as?: string;
  databaseEngine?: string;
  databaseUrl?: string;
  replace?: boolean;
  json?: boolean;
}

/** --keep / --keep-days, else the configuration's retention (undefined). */
function retentionOf(flags: { keep?: number; keepDays?: number }): Retention | undefined {
  if (flags.keep === undefined && flags.keepDays === undefined) return undefined;
  return { keep: flags.keep ?? null, keepDays: flags.keepDays ?? null };
}

/**
 * Test seam for the crash tests: with NODE_ENV=test, SALESFLEET_TEST_KILL_RESTORE_AT=<step> makes the
 * process kill itself (SIGKILL, like kill -9) as that step of the restore starts.
 */
function killSwitch(step: RestoreStep): void {
  if (process.env.NODE_ENV === 'test' && process.env.SALESFLEET_TEST_KILL_RESTORE_AT === step) process.kill(process.pid, 'SIGKILL');
}

/** `backup-tenant <slug> [--output FILE]`: one archive, progress on a terminal. */
export async function backupTenantCommand(ctx: CommandContext, slug: string, flags: BackupFlags): Promise<void> {
  const { out } = ctx;
  await withTenancy(ctx, {}, async (tenancy) => {
    const bar = !flags.json && out.errTty ? await progressBar('Backing up') : null;
    let result: BackupResult;
    try {
      result = await (await loadTenancyPackage()).backupTenant(tenancy, slug, {
        actor: cliActor(),
        ...(flags.output ? { output: flags.output } : {}),
        ...(retentionOf(flags) ? { retention: retentionOf(flags) } : {}),
        ...(bar ? { onProgress: (p: BackupProgress) => showProgress(bar, p.rowsDone, p.rowsTotal, p.table) } : {}),
      });
    } finally {
      bar?.stop();
    }
    if (flags.json) return out.json(backupJson(result));
    printBackup(out, result);
  });
}

/** `backup-tenants --all | --tenant a --tenant b`: one after another; exit 1 when any failed. */
export async function backupTenantsCommand(ctx: CommandContext, flags: BackupsFlags): Promise<void> {
  const { out } = ctx;
  const slugs = flags.tenant ?? [];
  if (!flags.all && slugs.length === 0) throw new UsageError('say which tenants: --all, or --tenant <subdomain> (repeatable)');
  if (flags.all && slugs.length > 0) throw new UsageError('--all and --tenant exclude each other');
  await withTenancy(ctx, {}, async (tenancy) => {
    const bar = !flags.json && out.errTty ? await progressBar('Backing up') : null;
    const { backupTenants } = await loadTenancyPackage();
    const result = await backupTenants(tenancy, {
      actor: cliActor(),
      ...(slugs.length ? { slugs } : {}),
      ...(retentionOf(flags) ? { retention: retentionOf(flags) } : {}),
      ...(bar ? { onProgress: (slug: string, p: BackupProgress) => showProgress(bar, p.rowsDone, p.rowsTotal, `${slug} ${p.table}`) } : {}),
      onTenant: (slug, outcome) => {
        if (flags.json) return;
        bar?.stop();
        if (outcome.ok) printBackup(out, outcome.result);
        else out.line(out.red(`${slug}: FAILED: ${outcome.error}`));
      },
    }).finally(() => bar?.stop());
    if (flags.json) {
      await out.json({
        ok: result.ok,
        results: result.results.map((r) => (r.ok ? { ok: true, ...backupJson(r.result) } : r)),
      });
    } else {
      const failed = result.results.filter((r) => !r.ok).length;
      out.line(
        result.results.length === 0
          ? 'No tenant to back up.'
          : `${plural(result.results.length - failed, 'tenant')} backed up${failed ? `, ${failed} failed` : ''}.`,
      );
    }
    if (!result.ok) throw new ReportedFailure();
  });
}

/** `list-backups [slug]`: the archives under <data dir>/backups, newest first. */
export async function listBackupsCommand(ctx: CommandContext, slug: string | undefined, flags: ListBackupsFlags): Promise<void> {
  const { out } = ctx;
  await withTenancy(ctx, {}, async (tenancy) => {
    const { backupDirectory, listBackups } = await loadTenancyPackage();
    const entries = await listBackups(tenancy.config, slug);
    if (flags.json) {
      await out.json({
        backups: entries.map((e) => ({
          slug: e.slug,
          file: e.file,
          createdAt: e.createdAt,
          bytes: e.bytes,
          engine: e.manifest?.engine ?? null,
          schemaVersion: e.manifest?.schemaVersion ?? null,
          rows: e.manifest ? e.manifest.tables.reduce((n, t) => n + t.rows, 0) : null,
          sha256: e.manifest?.file.sha256 ?? null,
        })),
      });
      return;
    }
    if (entries.length === 0) {
      out.line(slug ? `No backups of ${slug} in ${backupDirectory(tenancy.config, slug)}.` : 'No backups yet.');
      return;
    }
    await printTable(
      out,
      [
        { header: 'SLUG' },
        { header: 'CREATED (UTC)' },
        { header: 'ENGINE' },
        { header: 'SCHEMA VERSION' },
        { header: 'ROWS', align: 'right' },
        { header: 'SIZE', align: 'right' },
        { header: 'FILE' },
      ],
      entries.map((e) => [
        e.slug,
        e.createdAt.slice(0, 19).replace('T', ' '),
        e.manifest?.engine ?? '?',
        e.manifest?.schemaVersion ?? '?',
        e.manifest ? String(e.manifest.tables.reduce((n, t) => n + t.rows, 0)) : '?',
        formatBytes(e.bytes),
        e.file,
      ]),
    );
  });
}

/** `restore-tenant <slug> --from FILE [--as NEW] [--database-engine E | --database-url URL] [--replace]`. */
export async function restoreTenantCommand(ctx: CommandContext, slug: string, flags: RestoreFlags): Promise<void> {
  const { out } = ctx;
  if (flags.databaseEngine && flags.databaseUrl) throw new UsageError('give --database-engine or --database-url, not both');
  await withTenancy(ctx, {}, async (tenancy) => {
    const bar = !flags.json && out.errTty ? await progressBar('Restoring') : null;
    const database = flags.databaseUrl ? { url: flags.databaseUrl } : flags.databaseEngine ? { engine: flags.databaseEngine } : undefined;
    const target = flags.as ?? slug;
    const { restoreTenant } = await loadTenancyPackage();
    const result = await withoutInterruption(
      out,
      'Restoring',
      flags.replace
        ? `Run restore-tenant ${slug} --replace again: it finishes or undoes the interrupted restore.`
        : 'Run restore-tenant again: a failed restore removes what it created.',
      () =>
        restoreTenant(tenancy, slug, {
          actor: cliActor(),
          onStep: killSwitch,
          from: flags.from,
          ...(flags.as ? { as: flags.as } : {}),
          ...(database ? { database } : {}),
          replace: flags.replace === true,
          ...(bar
            ? {
                onProgress: (p: LoadProgress | { phase: 'check' }) => {
                  if (p.phase === 'check') return;
                  const l = p as LoadProgress;
                  showProgress(bar, l.rowsDone, l.rowsTotal, `${l.phase === 'load' ? 'loading' : 'verifying'} ${l.table}`);
                },
              }
            : {}),
        }),
    ).finally(() => bar?.stop());
    if (flags.json) {
      await out.json({
        slug: target,
        database: result.database,
        oldDatabase: result.oldDatabase,
        schemaVersion: result.schemaVersion,
        migratedFrom: result.migratedFrom,
        rows: result.rows,
        tables: result.tables,
        durationMs: result.durationMs,
        recovered: result.recovered,
        url: tenancy.tenantUrl(target),
      });
      return;
    }
    if (result.recovered === 'finished') {
      out.line(`Finished the interrupted restore of ${flags.from} into tenant ${target}: it serves from ${result.database}.`);
      out.line(`  Kept the previous database ${result.oldDatabase}; drop it with delete-old-database ${target}.`);
      return;
    }
    if (result.recovered === 'rolled-back') out.line(`Undid the interrupted move or restore of ${target} first.`);
    out.line(
      `Restored ${flags.from} into tenant ${target} (${plural(result.rows, 'row')}, ${formatMs(result.durationMs)}); every table verified.`,
    );
    out.line(`  Database:       ${result.database}`);
    out.line(`  Schema version: ${result.schemaVersion ?? '-'}${result.migratedFrom ? ` (migrated up from ${result.migratedFrom})` : ''}`);
    out.line(`  URL:            ${tenancy.tenantUrl(target)}`);
    if (result.oldDatabase) out.line(`  Kept the previous database ${result.oldDatabase}; drop it with delete-old-database ${target}.`);
  });
}

function backupJson(r: BackupResult) {
  return {
    slug: r.slug,
    file: r.file,
    manifestFile: r.manifestFile,
    bytes: r.bytes,
    rows: r.rows,
    sha256: r.manifest.file.sha256,
    schemaVersion: r.manifest.schemaVersion,
    engine: r.manifest.engine,
    tables: r.manifest.tables,
    pruned: r.pruned,
    durationMs: r.durationMs,
  };
}

function printBackup(out: Output, r: BackupResult): void {
  out.line(
    `Backed up ${r.slug}: ${plural(r.rows, 'row')} in ${plural(r.manifest.tables.length, 'table')}, ${formatBytes(r.bytes)}, ${formatMs(r.durationMs)}.`,
  );
  out.line(`  File:    ${r.file}`);
  out.line(`  SHA-256: ${r.manifest.file.sha256}`);
  if (r.pruned.length > 0) out.line(`  Removed ${plural(r.pruned.length, 'older backup')} (retention).`);
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

type Bar = Awaited<ReturnType<typeof progressBar>>;

function showProgress(bar: Bar, done: number, total: number, what: string): void {
  if (bar.getTotal() !== total) bar.start(Math.max(total, 1), done, { what });
  bar.update(done, { what });
}

async function progressBar(label: string) {
  const { default: progress } = await import('cli-progress');
  return new progress.SingleBar(
    { format: `${label} |{bar}| {value}/{total} rows {what}`, hideCursor: true, clearOnComplete: true, stream: process.stderr },
    progress.Presets.shades_classic,
  );
}
