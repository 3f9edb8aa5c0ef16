import { errorText, silentLogger, type Logger } from './logger';
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { maskSecrets, redact } from './mask';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-files';
import type { OperationOutcome } from './registry/models';
import type { OperationRecord } from './registry/records';
import type { OperationFilter, OperationInsert, Registry } from './registry/registry';
import { isSalesfleetError } from '@salesfleet/contracts';

export interface OperationContext {
  /** Who did it: `cli:<os user>`, `admin:<username>`, `system`. */
  actor: string;
  tenantId?: number | null;
  tenantSlug?: string | null;
  /** Context stored with the start row (masked before it is written). */
  details?: Record<string, unknown>;
  /** Literal secrets (passwords) to scrub from error messages of this run. */
  secrets?: (string | null | undefined)[];
  /** The run's id, when the caller must know it before the run ends (a background job polled by the console). */
  runId?: string;
}

/** One JSON line of `logs/tenant_operations.log` (the same fields as an `operations` row). */
export interface OperationLogLine {
  time: string;
  runId: string;
  tenantId: number | null;
  tenant: string | null;
  action: string;
  step: string | null;
  outcome: OperationOutcome;
  actor: string;
  durationMs: number | null;
  error: string | null;
  errorCode?: string;
  details: Record<string, unknown>;
}

/**
 * The audit trail of lifecycle operations: every row goes to the registry's `operations` table and as
 * one JSON line to `<dataDir>/logs/tenant_operations.log`. Details are masked (keys naming secrets,
 * URL passwords) and error messages scrubbed of the run's known secrets before anything is written.
 */
export class OperationsLog {
  readonly #registry: Registry;
  readonly logFile: string;
  #dirReady: Promise<unknown> | null = null;

  readonly #logger: Logger;

  /** @internal */
  get logger(): Logger {
    return this.#logger;
  }

  constructor(registry: Registry, logFile: string, logger: Logger = silentLogger) {
    this.#registry = registry;
    this.#logger = logger;
    this.logFile = logFile;
  }

  /**
   * Starts a run of `action` and records its `started` row. Rows of a run are written in order in the
   * background while the operation proceeds; `succeed()` / `fail()` wait until all are stored.
   */
  async begin(action: string, context: OperationContext): Promise<OperationRun> {
    const run = new OperationRun(this, action, context);
    run.enqueue({ step: null, outcome: 'started', details: context.details ?? {}, error: null, durationMs: null });
    return run;
  }

  /** Records a one-row operation (e.g. a domain added). */
  async record(
    action: string,
    outcome: OperationOutcome,
    context: OperationContext & { error?: unknown; durationMs?: number },
  ): Promise<void> {
    const run = new OperationRun(this, action, context);
    await this.write(run, [
      {
        step: null,
        outcome,
        details: context.details ?? {},
        error: context.error ?? null,
        durationMs: context.durationMs ?? null,
      },
    ]);
  }

  list(filter: OperationFilter = {}): Promise<OperationRecord[]> {
    return this.#registry.listOperations(filter);
  }

  /** @internal Stores rows of one run, in order: one registry INSERT and one appended write for all of them. */
  async write(run: OperationRun, entries: readonly OperationEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const now = new Date();
    const rows = entries.map((entry) => {
      const details = maskSecrets(entry.details) as Record<string, unknown>;
      const error = entry.error === null || entry.error === undefined ? null : run.describeError(entry.error);
      const errorCode = errorCodeOf(entry.error);
      const durationMs = entry.durationMs === null ? null : Math.round(entry.durationMs);
      const line: OperationLogLine = {
        time: now.toISOString(),
        runId: run.runId,
        tenantId: run.tenantId,
        tenant: run.tenantSlug,
        action: run.action,
        step: entry.step,
        outcome: entry.outcome,
        actor: run.actor,
        durationMs,
        error,
        ...(errorCode ? { errorCode } : {}),
        details,
      };
      const insert: OperationInsert = {
        runId: run.runId,
        tenantId: run.tenantId,
        tenantSlug: run.tenantSlug,
        action: run.action,
        step: entry.step,
        outcome: entry.outcome,
        actor: run.actor,
        details: errorCode ? { ...details, errorCode } : details,
        error,
        durationMs,
        createdAt: now,
      };
      return { line, insert };
    });
    const fileWrite = this.#append(rows.map((r) => `${JSON.stringify(r.line)}\n`).join(''));
    try {
      await this.#registry.insertOperations(rows.map((r) => r.insert));
    } catch (err) {
      // The registry may be the thing that is failing; the file still has the lines.
      const message = redact((err as Error).message);
      this.#logger.error(
        { err: message, runId: run.runId, action: run.action, tenant: run.tenantSlug, rows: rows.length },
        'operations log rows not stored in the registry',
      );
      await this.#append(
        `${JSON.stringify({ time: new Date().toISOString(), runId: run.runId, action: 'operations-log', outcome: 'failed', error: message })}\n`,
      ).catch((appendErr: unknown) =>
        this.#logger.error({ err: errorText(appendErr), file: this.logFile }, 'operations log file not written'),
      );
    } finally {
      await fileWrite.catch((err: unknown) =>
        this.#logger.error(
          { err: errorText(err), file: this.logFile, runId: run.runId, action: run.action },
          'operations log file not written',
        ),
      );
    }
  }

  async #append(text: string): Promise<void> {
    this.#dirReady ??= mkdir(dirname(this.logFile), { recursive: true, mode: PRIVATE_DIR_MODE });
    await this.#dirReady;
    // One appendFile per write (whole lines): O_APPEND writes of a single buffer do not interleave.
    await appendFile(this.logFile, text, { encoding: 'utf8', mode: PRIVATE_FILE_MODE });
  }
}

/** A step that already happened, as `OperationRun#note` / `#notes` record it. */
export interface OperationNote {
  step: string;
  outcome: OperationOutcome;
  details?: Record<string, unknown>;
  error?: unknown;
}

interface OperationEntry {
  step: string | null;
  outcome: OperationOutcome;
  details: Record<string, unknown>;
  error: unknown;
  durationMs: number | null;
}

/** One lifecycle operation in progress: records steps, then success or failure. */
export class OperationRun {
  readonly runId: string;
  readonly action: string;
  readonly actor: string;
  tenantId: number | null;
  tenantSlug: string | null;
  readonly #log: OperationsLog;
  readonly #secrets: (string | null | undefined)[];
  readonly #started = performance.now();
  #finished = false;
  #queue: Promise<void> = Promise.resolve();
  /** Rows queued and not yet handed to a write; `#draining`: a write that will take them is queued. */
  #pending: OperationEntry[] = [];
  #draining = false;

  constructor(log: OperationsLog, action: string, context: OperationContext) {
    this.#log = log;
    this.runId = context.runId ?? randomUUID();
    this.action = action;
    this.actor = context.actor;
    this.tenantId = context.tenantId ?? null;
    this.tenantSlug = context.tenantSlug ?? null;
    this.#secrets = [...(context.secrets ?? [])];
  }

  /** Adds secrets to scrub from later error messages. */
  addSecrets(...secrets: (string | null | undefined)[]): void {
    this.#secrets.push(...secrets);
  }

  setTenant(id: number | null, slug: string | null): void {
    this.tenantId = id;
    this.tenantSlug = slug;
  }

  get elapsedMs(): number {
    return performance.now() - this.#started;
  }

  /** An error as a one-line message safe to store: URL passwords and this run's secrets masked. */
  describeError(err: unknown): string {
    const message = err instanceof Error ? err.message : String(err);
    return redact(message, this.#secrets).slice(0, 2000);
  }

  /**
   * @internal Queues rows; they are written in order, and the rows queued while a write is in flight
   * go together in the next one (one INSERT, one appended write).
   */
  enqueue(...entries: OperationEntry[]): void {
    // Error messages are formatted now, while the run's secrets are known.
    for (const entry of entries)
      this.#pending.push(entry.error === null || entry.error === undefined ? entry : { ...entry, error: errorForLog(entry.error, this) });
    if (this.#draining) return;
    this.#draining = true;
    // write() reports its own failures; this keeps one unexpected throw from stopping the queue.
    this.#queue = this.#queue
      .then(() => {
        const batch = this.#pending;
        this.#pending = [];
        this.#draining = false;
        return this.#log.write(this, batch);
      })
      .catch((err: unknown) =>
        this.#log.logger.error({ err: errorText(err), runId: this.runId, action: this.action }, 'operations log entry lost'),
      );
  }

  /** Waits until every queued row is stored. */
  flush(): Promise<void> {
    return this.#queue;
  }

  /** Runs `fn` as the named step, recording its outcome and duration; rethrows its error. */
  async step<T>(name: string, fn: () => Promise<T>, details: Record<string, unknown> = {}): Promise<T> {
    const started = performance.now();
    try {
      const result = await fn();
      this.enqueue({ step: name, outcome: 'succeeded', details, error: null, durationMs: performance.now() - started });
      return result;
    } catch (err) {
      this.enqueue({ step: name, outcome: 'failed', details, error: err, durationMs: performance.now() - started });
      throw err;
    }
  }

  /** Records a step that already happened (or a note), without running anything. */
  async note(step: string, outcome: OperationOutcome, details: Record<string, unknown> = {}, error: unknown = null): Promise<void> {
    this.notes([{ step, outcome, details, error }]);
  }

  /** Records several notes at once (written together: a fleet migration's chunk of tenants). */
  notes(entries: readonly OperationNote[]): void {
    this.enqueue(
      ...entries.map((e) => ({ step: e.step, outcome: e.outcome, details: e.details ?? {}, error: e.error ?? null, durationMs: null })),
    );
  }

  async succeed(details: Record<string, unknown> = {}): Promise<void> {
    if (this.#finished) return this.flush();
    this.#finished = true;
    this.enqueue({ step: null, outcome: 'succeeded', details, error: null, durationMs: this.elapsedMs });
    await this.flush();
  }

  async fail(err: unknown, details: Record<string, unknown> = {}): Promise<void> {
    if (this.#finished) return this.flush();
    this.#finished = true;
    this.enqueue({ step: null, outcome: 'failed', details, error: err, durationMs: this.elapsedMs });
    await this.flush();
  }
}

function errorCodeOf(err: unknown): string | undefined {
  if (isSalesfleetError(err)) return err.code;
  const wrapped = err as { code?: unknown; isSalesfleet?: boolean } | null;
  return wrapped?.isSalesfleet && typeof wrapped.code === 'string' ? wrapped.code : undefined;
}

/** Keeps the stable code of our errors while scrubbing the message. */
function errorForLog(err: unknown, run: OperationRun): unknown {
  const message = run.describeError(err);
  if (isSalesfleetError(err)) return Object.assign(new Error(message), { code: err.code, isSalesfleet: true });
  return new Error(message);
}
