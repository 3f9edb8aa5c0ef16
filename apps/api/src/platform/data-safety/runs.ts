import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { errorText, type OperationRecord, type OperationsLog, type Registry } from '@salesfleet/tenancy';
import { isSalesfleetError, type OperationRun, type RunState } from '@salesfleet/contracts';

export interface RunProgress {
  phase: string;
  table: string | null;
  rowsDone: number;
  rowsTotal: number;
}

/** What this process knows of a run it started: the rows copied so far, and a failure before any log row. */
interface LiveRun {
  action: string;
  tenantSlug: string | null;
  actor: string;
  startedAt: Date;
  progress: RunProgress | null;
  finishedAt: Date | null;
  error: { code: string | null; message: string } | null;
}

/** Finished runs are forgotten by this process after an hour; their outcome stays in the operations log. */
const KEEP_FINISHED_MS = 60 * 60 * 1000;

/**
 * Long operations (backup, restore, move) started from the console run in the background of the API
 * process, under a run id chosen here and handed to the operation, so its rows in the registry's
 * operations log (start, each step, outcome) carry it. A run's state is read back from those rows, so
 * any API process answers the console's poll; the row counts copied so far are known only to the
 * process running it (in memory, `progress` null elsewhere).
 */
export class BackgroundRuns {
  readonly #live = new Map<string, LiveRun>();
  readonly #registry: Registry;
  readonly #operations: OperationsLog;
  readonly #logger: Logger;

  constructor(deps: { registry: Registry; operations: OperationsLog; logger: Logger }) {
    this.#registry = deps.registry;
    this.#operations = deps.operations;
    this.#logger = deps.logger;
  }

  /** Starts `work` in the background and returns its run id at once. */
  start(
    info: { action: string; tenantSlug: string | null; actor: string },
    work: (runId: string, onProgress: (progress: RunProgress) => void) => Promise<unknown>,
  ): string {
    this.#prune();
    const runId = randomUUID();
    const live: LiveRun = { ...info, startedAt: new Date(), progress: null, finishedAt: null, error: null };
    this.#live.set(runId, live);
    void work(runId, (progress) => {
      live.progress = progress;
    }).then(
      () => {
        live.finishedAt = new Date();
      },
      async (err: unknown) => {
        const error = { code: isSalesfleetError(err) ? err.code : null, message: errorText(err) };
        this.#logger.warn({ runId, action: info.action, tenant: info.tenantSlug, err: error.message }, 'background operation failed');
        // A failure before the operation's first row (a refused archive, a taken slug) is logged here,
        // before the run shows as failed: whoever sees it failed finds its row in the log.
        const rows = await this.#registry.listOperations({ runId, limit: 1 }).catch(() => []);
        if (rows.length === 0) {
          await this.#operations
            .record(info.action, 'failed', { actor: info.actor, tenantSlug: info.tenantSlug, runId, error: err })
            .catch((logErr: unknown) => this.#logger.error({ runId, err: errorText(logErr) }, 'operations log row not written'));
        }
        live.finishedAt = new Date();
        live.error = error;
      },
    );
    return runId;
  }

  /** The run as the console shows it, or null when neither the log nor this process knows it. */
  async get(runId: string): Promise<OperationRun | null> {
    const rows = (await this.#registry.listOperations({ runId, limit: 1000 })).reverse();
    const live = this.#live.get(runId) ?? null;
    const first = rows[0];
    const who = first
      ? { action: first.action, tenantSlug: first.tenantSlug, actor: first.actor, startedAt: first.createdAt }
      : live
        ? { action: live.action, tenantSlug: live.tenantSlug, actor: live.actor, startedAt: live.startedAt }
        : null;
    if (!who) return null;
    const end = rows.find((r) => r.step === null && r.outcome !== 'started') ?? null;
    const state: RunState = end ? (end.outcome as RunState) : live?.error ? 'failed' : 'running';
    return {
      runId,
      action: who.action,
      tenantSlug: who.tenantSlug,
      actor: who.actor,
      state,
      steps: rows
        .filter((r): r is OperationRecord & { step: string } => r.step !== null)
        .map((r) => ({ name: r.step, outcome: r.outcome, durationMs: r.durationMs })),
      progress: state === 'running' ? (live?.progress ?? null) : null,
      result: end?.outcome === 'succeeded' ? end.details : null,
      error:
        end?.outcome === 'failed'
          ? { code: typeof end.details.errorCode === 'string' ? end.details.errorCode : null, message: end.error ?? 'failed' }
          : (live?.error ?? null),
      startedAt: who.startedAt.toISOString(),
      finishedAt: end ? end.createdAt.toISOString() : (live?.finishedAt?.toISOString() ?? null),
    };
  }

  #prune(): void {
    const cutoff = Date.now() - KEEP_FINISHED_MS;
    for (const [id, run] of this.#live) if (run.finishedAt && run.finishedAt.getTime() < cutoff) this.#live.delete(id);
  }
}
