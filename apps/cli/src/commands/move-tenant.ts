import type { MoveStep } from '@salesfleet/tenancy';
import { cliActor, loadTenancyPackage, withTenancy, type CommandContext } from '../context';
import { UsageError } from '../errors';
import { withoutInterruption } from '../interrupt';
import { formatMs, plural } from '../output';

export interface MoveTenantFlags {
  toEngine?: string;
  databaseUrl?: string;
  toServer?: string;
  dropOld?: boolean;
  drainSeconds?: number;
  json?: boolean;
}

/**
 * Test seam for the crash tests: with NODE_ENV=test, SALESFLEET_TEST_KILL_MOVE_AT=<step> makes the
 * process kill itself (SIGKILL, like kill -9) as that step starts.
 */
function killSwitch(step: MoveStep): void {
  if (process.env.NODE_ENV === 'test' && process.env.SALESFLEET_TEST_KILL_MOVE_AT === step) process.kill(process.pid, 'SIGKILL');
}

/** `move-tenant <slug> --to-engine E [--database-url URL] [--drop-old]`. */
export async function moveTenantCommand(ctx: CommandContext, slug: string, flags: MoveTenantFlags): Promise<void> {
  const { out } = ctx;
  if (!flags.toEngine && !flags.databaseUrl && !flags.toServer)
    throw new UsageError('say where to: --to-engine sqlite|postgres|mysql, --database-url URL, or --to-server NAME');
  if (flags.toServer && (flags.toEngine || flags.databaseUrl)) throw new UsageError('--to-server replaces --to-engine and --database-url');
  await withTenancy(ctx, {}, async (tenancy) => {
    const { moveTenant } = await loadTenancyPackage();
    const to = { ...(flags.toEngine ? { engine: flags.toEngine } : {}), ...(flags.databaseUrl ? { url: flags.databaseUrl } : {}) };
    const result = await withoutInterruption(
      out,
      'Moving a tenant',
      `Run move-tenant ${slug} again: it finishes or undoes the interrupted move.`,
      () =>
        moveTenant(tenancy, slug, {
          actor: cliActor(),
          to,
          ...(flags.toServer ? { toServer: flags.toServer } : {}),
          dropOld: flags.dropOld === true,
          ...(flags.drainSeconds !== undefined ? { drainMs: flags.drainSeconds * 1000 } : {}),
          onStep: (step) => {
            killSwitch(step);
            if (!flags.json && out.errTty) out.note(`  ${step}…`);
          },
        }),
    );
    if (flags.json) {
      await out.json({
        slug,
        from: result.from,
        to: result.to,
        rows: result.rows,
        archive: result.archive || null,
        oldDatabase: result.oldDatabase,
        droppedOld: result.droppedOld,
        recovered: result.recovered,
        durationMs: result.durationMs,
      });
      return;
    }
    if (result.recovered === 'finished') {
      out.line(`Finished the interrupted move of ${slug}: it now uses ${result.to}.`);
    } else {
      if (result.recovered === 'rolled-back') out.line(`Undid the interrupted move of ${slug} first.`);
      out.line(`Moved ${slug} to ${result.to} (${plural(result.rows, 'row')}, ${formatMs(result.durationMs)}); every table verified.`);
      out.line(`  Copy kept in ${result.archive}`);
    }
    if (result.droppedOld) out.line(`  Dropped the old database ${result.from}.`);
    else if (result.oldDatabase)
      out.line(`  Kept the old database ${result.oldDatabase}; drop it with \`${ctx.invokedAs} delete-old-database ${slug}\`.`);
  });
}

/** `delete-old-database <slug>`: drops what the last move kept. */
export async function deleteOldDatabaseCommand(ctx: CommandContext, slug: string, flags: { json?: boolean }): Promise<void> {
  const { out } = ctx;
  await withTenancy(ctx, {}, async (tenancy) => {
    const { deleteOldDatabase } = await loadTenancyPackage();
    const result = await deleteOldDatabase(tenancy, slug, { actor: cliActor() });
    if (flags.json) return out.json({ slug, ...result });
    out.line(
      result.dropped
        ? `Dropped ${result.database}, the database ${slug} used before its move.`
        : `Forgot ${result.database}: Salesfleet did not create it, so it never drops it; drop it yourself.`,
    );
  });
}
