import { defaultMigrationWorkers, type FleetMigrationResult, type MigrationResult, type Tenancy } from '@salesfleet/tenancy';
import { cliActor, openCliTenancy, withTenancy, type CommandContext } from '../context';
import { ReportedFailure, UsageError } from '../errors';
import { withoutInterruption } from '../interrupt';
import { formatMs, plural, printTable, type Output } from '../output';

export interface MigrateTenantsFlags {
  tenant?: string;
  check?: boolean;
  dryRun?: boolean;
  concurrency: number;
  /** Worker threads for an apply (default: see migrationThreads). */
  threads?: number;
  json?: boolean;
  /** Django's `--app`: there is one ordered migration set, so it is accepted and ignored. */
  app?: string;
  /** Recreate what is missing from the tenant's schema (needs --tenant). */
  repair?: boolean;
  /** The registry alone (the old `migrate_schemas --shared`). */
  registryOnly?: boolean;
  /** As a fleet job recorded in the registry (every tenant; resumable; attaches to a running one). */
  job?: boolean;
}

/** The migration a failure message names (`Migration <name> failed: …`), if any. */
export function failingMigration(error: string | undefined): string | null {
  if (!error) return null;
  return /\bmigration\s+([0-9]{6,}[-_][A-Za-z0-9_.-]+)/i.exec(error)?.[1] ?? null;
}

/**
 * Worker threads for applying: the tenants' migrations (Sequelize, Umzug) then run on every core, the
 * registry, locks, progress and the operations log stay in this process. Default: tenancy's
 * defaultMigrationWorkers (one per tenant migrated at once, at most one per core, for a fleet of
 * FLEET_WORKERS_FROM_TENANTS tenants or more; none for one at a time). An explicit --threads applies
 * whatever the fleet's size.
 */
export function migrationThreads(flags: Pick<MigrateTenantsFlags, 'concurrency' | 'threads'>): {
  workers: number;
  workersFromTenants: number;
} {
  if (flags.threads !== undefined) return { workers: flags.threads, workersFromTenants: 0 };
  return defaultMigrationWorkers(flags.concurrency);
}

/**
 * Migrates the registry, then every tenant (or one) with bounded concurrency. `--check` and
 * `--dry-run` change nothing; `--check` exits 1 when anything is pending. A tenant that fails does
 * not stop the others; the summary names each failure and its migration.
 */
export async function migrateTenantsCommand(ctx: CommandContext, flags: MigrateTenantsFlags): Promise<void> {
  const { out } = ctx;
  if (flags.repair) return (await import('./repair-schema')).repairSchemaCommand(ctx, flags);
  if (flags.registryOnly) return migrateRegistryOnly(ctx, flags);
  const readOnly = flags.check === true || flags.dryRun === true;
  if (flags.job && (readOnly || flags.tenant))
    throw new UsageError('--job migrates every tenant: it cannot be combined with --tenant, --check or --dry-run');
  if (flags.app) out.warn(`--app ${flags.app} is ignored: tenant migrations are one ordered set, all of them are applied`);

  let tenancy: Tenancy;
  try {
    tenancy = await openCliTenancy(ctx, { migrateRegistry: !readOnly });
  } catch (err) {
    if (readOnly && (err as { code?: string }).code === 'RegistryNotReady') {
      const pending = ((err as { details?: { pending?: string[] } }).details?.pending ?? []) as string[];
      return reportRegistryBehind(ctx, flags, pending);
    }
    throw err;
  }

  try {
    if (flags.job) return await (await import('./jobs')).migrateJobCommand(ctx, tenancy, flags);
    const bar = !flags.json && out.errTty ? await progressBar() : null;
    let result: FleetMigrationResult;
    try {
      const run = () =>
        tenancy.provisioner.migrateTenants({
          actor: cliActor(),
          ...(flags.tenant ? { slug: flags.tenant } : {}),
          check: flags.check === true,
          dryRun: flags.dryRun === true,
          concurrency: flags.concurrency,
          ...(readOnly ? { workers: 0 } : migrationThreads(flags)),
          onProgress: (done, total, r) => {
            if (!bar) return;
            if (done === 1) bar.start(total, 0, { slug: '' });
            bar.update(done, { slug: r.slug });
          },
        });
      result = readOnly
        ? await run()
        : await withoutInterruption(out, 'Migrating', 'Run migrate-tenants again: applied migrations are skipped.', run);
    } finally {
      bar?.stop();
    }
    result.registry.applied = [...tenancy.registryMigrationsApplied, ...result.registry.applied];
    const pendingTotal = result.registry.pending.length + result.results.reduce((n, r) => n + r.pending.length, 0);
    const failed = !result.registry.ok || result.results.some((r) => !r.ok);

    if (flags.json) {
      await out.json({
        mode: flags.check ? 'check' : flags.dryRun ? 'dry-run' : 'migrate',
        ok: !failed && !(flags.check && pendingTotal > 0),
        pendingTotal,
        registry: result.registry,
        results: result.results.map((r) => ({ ...r, failedMigration: failingMigration(r.error) })),
        durationMs: result.durationMs,
      });
    } else {
      await printResult(out, flags, result);
    }
    if (failed || (flags.check && pendingTotal > 0)) throw new ReportedFailure();
  } finally {
    await tenancy.close().catch(() => undefined);
  }
}

async function progressBar() {
  const { default: progress } = await import('cli-progress');
  return new progress.SingleBar(
    { format: 'Migrating tenants |{bar}| {value}/{total} {slug}', hideCursor: true, clearOnComplete: true, stream: process.stderr },
    progress.Presets.shades_classic,
  );
}

function resultLabel(r: MigrationResult, readOnly: boolean): string {
  if (!r.ok) return 'FAILED';
  if (r.skipped) return `skipped (${r.skipped})`;
  if (readOnly) return r.pending.length > 0 ? 'pending' : 'up to date';
  return r.applied.length > 0 ? 'migrated' : 'up to date';
}

async function printResult(out: Output, flags: MigrateTenantsFlags, result: FleetMigrationResult): Promise<void> {
  const readOnly = flags.check === true || flags.dryRun === true;
  const { registry, results } = result;
  if (!registry.ok) out.line(out.red(`Registry: FAILED: ${registry.error ?? 'unknown error'}`));
  else if (registry.applied.length > 0) out.line(`Registry: applied ${registry.applied.join(', ')}`);
  else if (registry.pending.length > 0)
    out.line(`Registry: ${plural(registry.pending.length, 'pending migration')} (${registry.pending.join(', ')})`);
  else out.line('Registry: up to date');

  if (results.length === 0) {
    out.line('No tenants.');
  } else {
    await printTable(
      out,
      [
        { header: 'Tenant' },
        { header: 'Result' },
        { header: readOnly ? 'Pending' : 'Applied', align: 'right' },
        { header: 'Schema version' },
        { header: 'Time', align: 'right' },
      ],
      results.map((r) => [
        r.slug,
        r.ok ? resultLabel(r, readOnly) : out.red('FAILED'),
        r.ok ? String(readOnly ? r.pending.length : r.applied.length) : '',
        r.schemaVersion ?? '',
        formatMs(r.durationMs),
      ]),
    );
  }

  const failed = results.filter((r) => !r.ok);
  const counts = new Map<string, number>();
  for (const r of results) {
    const label = r.ok ? resultLabel(r, readOnly).replace(/ \(.*\)$/, '') : 'failed';
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const parts = [...counts].map(([label, n]) => `${n} ${label}`);
  const applied = results.reduce((n, r) => n + r.applied.length, 0);
  out.line();
  out.line(
    `${plural(results.length, 'tenant')}${parts.length ? `: ${parts.join(', ')}` : ''}` +
      (applied > 0 ? ` (${plural(applied, 'migration')} applied)` : '') +
      ` in ${formatMs(result.durationMs)}.`,
  );
  if (failed.length > 0) {
    out.line(out.red(`Failed (${failed.length}); the other tenants were not affected:`));
    for (const r of failed) {
      const migration = failingMigration(r.error);
      out.line(`  ${r.slug}: ${migration ? `migration ${migration}: ` : ''}${r.error ?? 'unknown error'}`);
    }
  }
  if (flags.check) {
    const pending = registry.pending.length + results.reduce((n, r) => n + r.pending.length, 0);
    out.line(
      pending > 0 ? `Check: ${plural(pending, 'migration')} pending; run migrate-tenants to apply.` : 'Check: everything is up to date.',
    );
  } else if (flags.dryRun) {
    out.line('Dry run: nothing was changed.');
  }
}

async function reportRegistryBehind(ctx: CommandContext, flags: MigrateTenantsFlags, pending: string[]): Promise<void> {
  const { out } = ctx;
  if (flags.json) {
    await out.json({
      mode: flags.check ? 'check' : 'dry-run',
      ok: !flags.check,
      pendingTotal: pending.length,
      registry: { applied: [], pending, ok: true },
      results: [],
      note: 'tenants not inspected: the registry must be migrated first',
    });
  } else {
    out.line(`Registry: ${plural(pending.length, 'pending migration')} (${pending.join(', ')})`);
    out.line(`Tenants were not inspected: the registry must be migrated first (${ctx.invokedAs} migrate-tenants, or init).`);
  }
  if (flags.check) throw new ReportedFailure();
}

/** `--registry-only`: the registry's migrations (checked, shown or applied), no tenant opened. */
async function migrateRegistryOnly(ctx: CommandContext, flags: MigrateTenantsFlags): Promise<void> {
  const { out } = ctx;
  if (flags.tenant) throw new UsageError('--registry-only migrates no tenant; leave out --tenant');
  const readOnly = flags.check === true || flags.dryRun === true;
  let pending: string[] = [];
  let applied: string[] = [];
  try {
    await withTenancy(ctx, { migrateRegistry: !readOnly }, async (tenancy) => {
      applied = tenancy.registryMigrationsApplied;
    });
  } catch (err) {
    if (!readOnly || (err as { code?: string }).code !== 'RegistryNotReady') throw err;
    pending = ((err as { details?: { pending?: string[] } }).details?.pending ?? []) as string[];
  }
  if (flags.json)
    await out.json({ mode: flags.check ? 'check' : flags.dryRun ? 'dry-run' : 'migrate', registry: { applied, pending, ok: true } });
  else if (applied.length > 0) out.line(`Registry: applied ${applied.join(', ')}`);
  else if (pending.length > 0) out.line(`Registry: ${plural(pending.length, 'pending migration')} (${pending.join(', ')})`);
  else out.line('Registry: up to date');
  if (flags.check && pending.length > 0) throw new ReportedFailure();
}
