import { errorText, silentLogger, type Logger } from '../logger';
import type { FleetJobs } from './fleet-jobs';

const ACTOR = 'system:health-schedule';

export interface HealthSchedule {
  /** Stops the timer (a health job in progress goes on until `FleetJobs#close`). */
  stop(): void;
}

/**
 * Starts a fleet health job every `intervalMs` in the running server. Every API process runs one; a
 * job of the kind running anywhere is not started twice (the registry lock), and a process whose timer
 * fires within the interval of the last health job (started by any process) leaves it.
 */
export function startHealthSchedule(jobs: FleetJobs, intervalMs: number, logger: Logger = silentLogger): HealthSchedule {
  const tick = async () => {
    try {
      const [last] = await jobs.list({ kind: 'health', limit: 1 });
      if (last && (last.state === 'running' || Date.now() - last.createdAt.getTime() < intervalMs * 0.9)) return;
      const { job, started } = await jobs.start('health', {}, { actor: ACTOR });
      if (started) logger.info({ job: job.id, tenants: job.total }, 'scheduled health job started');
    } catch (err) {
      logger.warn({ err: errorText(err) }, 'scheduled health job not started');
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
    },
  };
}
