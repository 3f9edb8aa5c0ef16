import { nextBackupTime, type BackupSchedule } from '../backup-schedule';
import { errorText, type Logger } from '../logger';
import { backupTenants, type DataSafetyDeps } from './backup';

export const SCHEDULED_BACKUPS_ACTION = 'scheduled-backups';
const ACTOR = 'system:backup-schedule';
/** Longest single timer (setTimeout's limit is ~24.8 days); longer waits re-arm. */
const MAX_TIMER_MS = 3_600_000;

export interface ScheduledBackupsDeps extends DataSafetyDeps {
  logger: Logger;
}

export interface ScheduledBackups {
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Backs up every active tenant at each time of `schedule`, with the configured retention. Every API
 * process runs one; a registry lock lets one process at a time run, and a slot already done (its
 * `scheduled-backups` operation in the registry) is not run again by a process whose timer fired later.
 */
export function startScheduledBackups(deps: ScheduledBackupsDeps, schedule: BackupSchedule): ScheduledBackups {
  const log = deps.logger.child?.({ component: 'backup-schedule' }) ?? deps.logger;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const arm = (slot: Date) => {
    if (stopped) return;
    const wait = slot.getTime() - Date.now();
    timer = setTimeout(
      () => {
        if (Date.now() < slot.getTime()) return arm(slot);
        running = runSlot(deps, log, slot).finally(() => arm(nextBackupTime(schedule, slot)));
      },
      Math.min(Math.max(wait, 0), MAX_TIMER_MS),
    );
    timer.unref();
  };
  const first = nextBackupTime(schedule, new Date());
  log.info({ schedule: schedule.text, next: first.toISOString() }, 'scheduled backups on');
  arm(first);

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

async function runSlot(deps: ScheduledBackupsDeps, log: Logger, slot: Date): Promise<void> {
  try {
    await deps.registry.locks.withLock(
      SCHEDULED_BACKUPS_ACTION,
      async () => {
        const [last] = await deps.registry.listOperations({ action: SCHEDULED_BACKUPS_ACTION, outcome: 'succeeded', limit: 1 });
        if (last && (last.details as { slot?: string } | null)?.slot === slot.toISOString()) return;
        const slugs = (await deps.registry.listTenants({ status: ['active'] })).map((t) => t.slug);
        const run = await deps.operations.begin(SCHEDULED_BACKUPS_ACTION, {
          actor: ACTOR,
          details: { slot: slot.toISOString(), tenants: slugs.length },
        });
        const result = slugs.length > 0 ? await backupTenants(deps, { actor: ACTOR, slugs }) : { results: [] };
        const failed = result.results.filter((r) => !r.ok).map((r) => r.slug);
        await run.succeed({ slot: slot.toISOString(), backedUp: slugs.length - failed.length, failed });
        if (failed.length > 0) log.warn({ slot: slot.toISOString(), failed }, 'scheduled backups: some tenants failed');
        log.info({ slot: slot.toISOString(), backedUp: slugs.length - failed.length, failed: failed.length }, 'scheduled backups done');
      },
      { waitMs: 0, busy: 'running scheduled backups' },
    );
  } catch (err) {
    // Busy: another process is running this slot's backups.
    if ((err as { code?: string }).code === 'Conflict') log.debug({ slot: slot.toISOString() }, 'scheduled backups run elsewhere');
    else log.error({ slot: slot.toISOString(), err: errorText(err) }, 'scheduled backups failed');
  }
}
