import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Op } from 'sequelize';
import type { Config } from '../config';
import { backupTenants } from '../data-safety/backup';
import { errorText, silentLogger, type Logger } from '../logger';
import type { OperationsLog } from '../operations';
import { defaultMigrationWorkers } from '../provisioning/migrate-workers';
import type { MigrationSource } from '../provisioning/migration-source';
import type { Provisioner } from '../provisioning/provisioner';
import type { MigrationResult, TenantHealth } from '../provisioning/types';
import type { Registry } from '../registry/registry';
import {
  Conflict,
  FLEET_JOB_KINDS,
  MAX_JOB_CONCURRENCY,
  type FleetJobKind,
  type FleetJobState,
  type FleetJobTenantState,
  type TenantStatus,
} from '@salesfleet/contracts';

export { FLEET_JOB_KINDS, type FleetJobKind, type FleetJobState, type FleetJobTenantState };

export interface FleetJobOptions {
  /** Tenants worked on at once (migrate and health; backups run one after another). */
  concurrency?: number;
}

export interface FleetJobCounts {
  pending: number;
  done: number;
  skipped: number;
  failed: number;
}

export interface FleetJobRecord {
  readonly id: number;
  readonly kind: FleetJobKind;
  readonly state: FleetJobState;
  readonly options: FleetJobOptions;
  readonly actor: string;
  /** The process running it (null once finished). */
  readonly owner: string | null;
  readonly leaseUntil: Date | null;
  /** 1, plus one for each time it was picked up again after its process stopped. */
  readonly attempts: number;
  readonly total: number;
  readonly counts: FleetJobCounts;
  readonly error: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly finishedAt: Date | null;
}

export interface FleetJobTenantRecord {
  readonly tenantId: number;
  readonly slug: string;
  readonly state: FleetJobTenantState;
  readonly detail: Record<string, unknown> | null;
  readonly error: string | null;
  readonly durationMs: number | null;
  readonly finishedAt: Date | null;
}

export interface FleetJobsDeps {
  config: Config;
  registry: Registry;
  operations: OperationsLog;
  provisioner: Provisioner;
  logger?: Logger;
}

export interface FleetJobsOptions {
  /** How long a job's lease lasts without renewal (default `config.jobLeaseMs`); renewed every third of it. */
  leaseMs?: number;
  /**
   * Migrate jobs start worker threads (defaultMigrationWorkers: one per tenant in progress, at most one
   * per core) for a job of at least this many tenants (default FLEET_WORKERS_FROM_TENANTS).
   */
  migrationWorkersFromTenants?: number;
  /**
   * The tenant migrations of migrate jobs, named by module so that worker threads load them too
   * (default: the list compiled into @salesfleet/migrations).
   */
  migrations?: MigrationSource;
}

/** Which tenants a job of each kind works on. */
const TENANTS_OF: Record<FleetJobKind, readonly TenantStatus[] | null> = {
  migrate: null,
  health: null,
  backup: ['active', 'suspended'],
};

const lockName = (kind: FleetJobKind) => `fleet-job:${kind}`;

/** A tenant's outcome as the job records it. */
interface TenantOutcome {
  state: Exclude<FleetJobTenantState, 'pending'>;
  detail: Record<string, unknown>;
  error: string | null;
  durationMs: number | null;
}

/**
 * Fleet jobs recorded in the registry (`fleet_jobs`, one `fleet_job_tenants` row per tenant): a fleet
 * migration, health sweep or backup started from the platform API or the CLI runs in the process that
 * started it, under the registry lock of its kind — one job of a kind at a time across every process
 * (PostgreSQL advisory lock, MySQL GET_LOCK, a lock file on SQLite). A second start while one runs gets
 * the running job back (`started: false`). Each tenant's outcome is written as it ends; the runner renews
 * the job's lease. When its process dies the database (or the OS) drops the lock and the lease runs out:
 * `resumeAbandoned()` (each API process's sweep, and its start) takes the job over and works on the
 * tenants still `pending` — a tenant is recorded done once. The operations themselves are the
 * provisioner's fleet migration and health checks and data-safety's backups.
 */
export class FleetJobs {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  readonly #deps: FleetJobsDeps;
  readonly #logger: Logger;
  readonly #leaseMs: number;
  readonly #options: FleetJobsOptions;
  /** Jobs this process runs: their end, and how to stop them. */
  readonly #running = new Map<number, { done: Promise<void>; abort: AbortController }>();
  #sweeper: NodeJS.Timeout | null = null;
  #sweeping: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(deps: FleetJobsDeps, options: FleetJobsOptions = {}) {
    this.#deps = deps;
    this.#logger = deps.logger?.child?.({ component: 'fleet-jobs' }) ?? deps.logger ?? silentLogger;
    this.#leaseMs = Math.max(300, options.leaseMs ?? deps.config.jobLeaseMs);
    this.#options = options;
  }

  get #models() {
    return this.#deps.registry.models;
  }

  /**
   * Starts a job of `kind` in this process, or — when one of that kind is running anywhere — answers
   * that one with `started: false`. A job left running by a stopped process is taken over (resumed) here.
   */
  async start(kind: FleetJobKind, options: FleetJobOptions, who: { actor: string }): Promise<{ job: FleetJobRecord; started: boolean }> {
    if (this.#closed) throw new Conflict('This process is shutting down; start the job elsewhere');
    let release: () => Promise<void>;
    try {
      release = await this.#deps.registry.locks.acquire(lockName(kind), { waitMs: 0, busy: `running a ${kind} job` });
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      // Held elsewhere: answer the job that process runs (its row may be a moment behind the lock).
      for (let i = 0; i < 20; i++) {
        const running = await this.#runningOf(kind);
        if (running) return { job: running, started: false };
        await sleep(100);
      }
      throw err;
    }
    try {
      const abandoned = await this.#runningOf(kind);
      if (abandoned) {
        const job = await this.#takeOver(abandoned.id);
        this.#launch(job, release);
        return { job: (await this.get(job.id))!, started: false };
      }
      const job = await this.#create(kind, options, who.actor);
      this.#launch(job, release);
      return { job: (await this.get(job.id))!, started: true };
    } catch (err) {
      await release();
      throw err;
    }
  }

  /** Jobs newest first (at most `limit`, default 50), with their counts. */
  async list(filter: { kind?: FleetJobKind; state?: FleetJobState; limit?: number; offset?: number } = {}): Promise<FleetJobRecord[]> {
    const where: Record<string, unknown> = {};
    if (filter.kind) where.kind = filter.kind;
    if (filter.state) where.state = filter.state;
    const rows = await this.#models.FleetJob.findAll({
      where,
      order: [['id', 'DESC']],
      limit: filter.limit ?? 50,
      offset: filter.offset ?? 0,
      raw: true,
    });
    const counts = await this.#counts(rows.map((r) => r.id));
    return rows.map((r) => jobRecord(r, counts.get(r.id)));
  }

  async get(id: number): Promise<FleetJobRecord | null> {
    const row = await this.#models.FleetJob.findByPk(id, { raw: true });
    if (!row) return null;
    return jobRecord(row, (await this.#counts([id])).get(id));
  }

  /** A job's tenants in slug order (optionally only those in `state`). */
  async tenants(
    id: number,
    filter: { state?: FleetJobTenantState; limit?: number; offset?: number } = {},
  ): Promise<FleetJobTenantRecord[]> {
    const rows = await this.#models.FleetJobTenant.findAll({
      where: { jobId: id, ...(filter.state ? { state: filter.state } : {}) },
      order: [['slug', 'ASC']],
      limit: filter.limit ?? 10_000,
      offset: filter.offset ?? 0,
      raw: true,
    });
    return rows.map((r) => ({
      tenantId: r.tenantId,
      slug: r.slug,
      state: r.state as FleetJobTenantState,
      detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
      error: r.error,
      durationMs: r.durationMs,
      finishedAt: r.finishedAt ? new Date(r.finishedAt) : null,
    }));
  }

  /** Resolves when a job this process runs has ended (at once for any other job). */
  async settled(id: number): Promise<void> {
    await this.#running.get(id)?.done;
  }

  /**
   * Takes over every running job whose lease ran out and whose lock is free (its process is gone) and
   * runs it here; returns their ids. Each API process calls it at start and then every half lease.
   */
  async resumeAbandoned(): Promise<number[]> {
    if (this.#closed) return [];
    const stale = await this.#models.FleetJob.findAll({
      where: { state: 'running', leaseUntil: { [Op.lt]: new Date() } },
      order: [['id', 'ASC']],
      raw: true,
    });
    const resumed: number[] = [];
    for (const row of stale) {
      if (this.#running.has(row.id)) continue;
      const kind = row.kind as FleetJobKind;
      let release: () => Promise<void>;
      try {
        release = await this.#deps.registry.locks.acquire(lockName(kind), { waitMs: 0 });
      } catch (err) {
        if (!(err instanceof Conflict)) throw err;
        continue; // its process still holds the lock (or another one took it over first)
      }
      try {
        const job = await this.#takeOver(row.id);
        if (job.state !== 'running') {
          await release();
          continue;
        }
        this.#logger.info({ job: job.id, kind, previousOwner: row.owner, attempt: job.attempts }, 'fleet job resumed');
        this.#launch(job, release);
        resumed.push(job.id);
      } catch (err) {
        await release();
        throw err;
      }
    }
    return resumed;
  }

  /** Sweeps for abandoned jobs now and every half lease until `close()`. */
  startSweeper(): void {
    if (this.#sweeper || this.#closed) return;
    const sweep = () => {
      this.#sweeping = this.resumeAbandoned().catch((err: unknown) => this.#logger.warn({ err: errorText(err) }, 'fleet job sweep failed'));
    };
    sweep();
    this.#sweeper = setInterval(sweep, Math.max(250, Math.floor(this.#leaseMs / 2)));
    this.#sweeper.unref();
  }

  /**
   * Stops sweeping and stops the jobs this process runs after the tenants in progress; their lease is
   * given up so that another process resumes them at its next sweep.
   */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#sweeper = null;
    await this.#sweeping;
    for (const run of this.#running.values()) run.abort.abort();
    await Promise.all([...this.#running.values()].map((r) => r.done));
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────────

  async #runningOf(kind: FleetJobKind): Promise<FleetJobRecord | null> {
    const row = await this.#models.FleetJob.findOne({ where: { kind, state: 'running' }, order: [['id', 'DESC']], raw: true });
    return row ? jobRecord(row, (await this.#counts([row.id])).get(row.id)) : null;
  }

  /** The job row and one pending row per tenant, in one transaction (a job never lacks its tenants). */
  async #create(kind: FleetJobKind, options: FleetJobOptions, actor: string): Promise<FleetJobRecord> {
    const statuses = TENANTS_OF[kind];
    const tenants = await this.#deps.registry.listTenants(statuses ? { status: [...statuses] } : {});
    const id = await this.#deps.registry.sequelize.transaction(async (transaction) => {
      const job = await this.#models.FleetJob.create(
        {
          kind,
          state: 'running',
          options: JSON.stringify(options),
          actor,
          owner: this.owner,
          leaseUntil: this.#leaseEnd(),
          total: tenants.length,
          error: null,
          finishedAt: null,
        },
        { transaction },
      );
      for (let i = 0; i < tenants.length; i += 500) {
        await this.#models.FleetJobTenant.bulkCreate(
          tenants.slice(i, i + 500).map((t) => ({
            jobId: job.id,
            tenantId: t.id,
            slug: t.slug,
            state: 'pending',
            detail: null,
            error: null,
            durationMs: null,
            finishedAt: null,
          })),
          { transaction },
        );
      }
      return job.id;
    });
    this.#logger.info({ job: id, kind, actor, tenants: tenants.length }, 'fleet job started');
    return (await this.get(id))!;
  }

  /** Makes this process the job's owner (the caller holds the kind's lock). */
  async #takeOver(id: number): Promise<FleetJobRecord> {
    await this.#models.FleetJob.update(
      { owner: this.owner, leaseUntil: this.#leaseEnd(), attempts: this.#deps.registry.sequelize.literal('attempts + 1') as never },
      { where: { id, state: 'running' } },
    );
    return (await this.get(id))!;
  }

  #leaseEnd(): Date {
    return new Date(Date.now() + this.#leaseMs);
  }

  #launch(job: FleetJobRecord, release: () => Promise<void>): void {
    const abort = new AbortController();
    const done = this.#run(job, abort)
      .catch((err: unknown) => this.#logger.error({ job: job.id, kind: job.kind, err: errorText(err) }, 'fleet job stopped by an error'))
      .finally(async () => {
        this.#running.delete(job.id);
        await release().catch((err: unknown) =>
          this.#logger.warn({ job: job.id, err: errorText(err) }, 'fleet job lock not released (the database drops it with the session)'),
        );
      });
    this.#running.set(job.id, { done, abort });
  }

  async #run(job: FleetJobRecord, abort: AbortController): Promise<void> {
    const renew = setInterval(
      () => {
        void this.#models.FleetJob.update(
          { leaseUntil: this.#leaseEnd() },
          { where: { id: job.id, owner: this.owner, state: 'running' } },
        ).then(
          ([changed]) => {
            if (changed === 0) {
              this.#logger.warn({ job: job.id }, 'fleet job taken over by another process; stopping here');
              abort.abort();
            }
          },
          (err: unknown) => this.#logger.warn({ job: job.id, err: errorText(err) }, 'fleet job lease not renewed'),
        );
      },
      Math.max(100, Math.floor(this.#leaseMs / 3)),
    );
    renew.unref();
    try {
      await this.#work(job, abort.signal);
      if (abort.signal.aborted) {
        // Stopped here (shutdown or taken over): the next owner goes on with the pending tenants.
        await this.#models.FleetJob.update({ leaseUntil: new Date(0) }, { where: { id: job.id, owner: this.owner, state: 'running' } });
        return;
      }
      const counts = (await this.#counts([job.id])).get(job.id) ?? emptyCounts();
      const failed = counts.failed > 0;
      await this.#models.FleetJob.update(
        {
          state: failed ? 'failed' : 'succeeded',
          error: failed ? `${counts.failed} tenant(s) failed` : null,
          owner: null,
          leaseUntil: null,
          finishedAt: new Date(),
        },
        { where: { id: job.id, owner: this.owner, state: 'running' } },
      );
      this.#logger.info({ job: job.id, kind: job.kind, ...counts }, 'fleet job finished');
    } catch (err) {
      if (abort.signal.aborted) throw err;
      // The job cannot go on (the registry answered an error): recorded as failed, if it still can be.
      await this.#models.FleetJob.update(
        { state: 'failed', error: errorText(err).slice(0, 500), owner: null, leaseUntil: null, finishedAt: new Date() },
        { where: { id: job.id, owner: this.owner, state: 'running' } },
      );
      throw err;
    } finally {
      clearInterval(renew);
    }
  }

  /** Runs the kind's fleet operation over the job's pending tenants, recording each outcome. */
  async #work(job: FleetJobRecord, signal: AbortSignal): Promise<void> {
    const pending = await this.#models.FleetJobTenant.findAll({
      where: { jobId: job.id, state: 'pending' },
      attributes: ['tenantId'],
      raw: true,
    });
    const wanted = new Set(pending.map((p) => p.tenantId));
    const tenants = (await this.#deps.registry.listTenants()).filter((t) => wanted.has(t.id));
    const gone = [...wanted].filter((id) => !tenants.some((t) => t.id === id));
    for (const tenantId of gone) {
      await this.#record(job.id, tenantId, { state: 'skipped', detail: {}, error: 'the tenant was deleted', durationMs: null });
    }
    if (tenants.length === 0) return;
    const { provisioner, registry } = this.#deps;
    const concurrency = Math.min(MAX_JOB_CONCURRENCY, Math.max(1, job.options.concurrency ?? 4));
    switch (job.kind) {
      case 'migrate': {
        // Worker threads that cannot start (or a tenantMigrations hook, which cannot cross into one)
        // fail the job with that error rather than migrating in this thread instead: a fleet large
        // enough for workers would otherwise run slower with no one told why.
        const workers = defaultMigrationWorkers(concurrency);
        const { migrationWorkersFromTenants, migrations } = this.#options;
        await provisioner.migrateTenants({
          actor: job.actor,
          tenants,
          skipUpToDate: true,
          concurrency,
          ...workers,
          ...(migrationWorkersFromTenants !== undefined ? { workersFromTenants: migrationWorkersFromTenants } : {}),
          ...(migrations ? { migrations } : {}),
          signal,
          onTenant: (result, tenant) => this.#record(job.id, tenant.id, migrationOutcome(result)),
        });
        return;
      }
      case 'health':
        await provisioner.fleetHealth({
          tenants,
          concurrency,
          signal,
          onTenant: (health, tenant) => this.#record(job.id, tenant.id, healthOutcome(health)),
        });
        if (!signal.aborted) {
          const pruned = await registry.pruneHealthSamples();
          if (pruned > 0) this.#logger.info({ job: job.id, pruned }, 'health samples older than 30 days removed');
        }
        return;
      case 'backup':
        for (const tenant of tenants) {
          if (signal.aborted) return;
          const started = Date.now();
          const { results } = await backupTenants(this.#deps, { actor: job.actor, slugs: [tenant.slug] });
          const r = results[0]!;
          await this.#record(job.id, tenant.id, {
            state: r.ok ? 'done' : 'failed',
            detail: r.ok
              ? { file: r.result.file.slice(r.result.file.lastIndexOf('/') + 1), bytes: r.result.bytes, rows: r.result.rows }
              : {},
            error: r.ok ? null : r.error,
            durationMs: Date.now() - started,
          });
        }
        return;
    }
  }

  /** A tenant's outcome; only a pending row changes, so a tenant is recorded once. */
  async #record(jobId: number, tenantId: number, outcome: TenantOutcome): Promise<void> {
    await this.#models.FleetJobTenant.update(
      {
        state: outcome.state,
        detail: JSON.stringify(outcome.detail),
        error: outcome.error?.slice(0, 500) ?? null,
        durationMs: outcome.durationMs === null ? null : Math.round(outcome.durationMs),
        finishedAt: new Date(),
      },
      { where: { jobId, tenantId, state: 'pending' } },
    );
  }

  async #counts(ids: readonly number[]): Promise<Map<number, FleetJobCounts>> {
    const out = new Map<number, FleetJobCounts>();
    if (ids.length === 0) return out;
    const [rows] = (await this.#deps.registry.sequelize.query(
      'SELECT job_id AS "jobId", state, COUNT(*) AS n FROM fleet_job_tenants WHERE job_id IN (:ids) GROUP BY job_id, state',
      { replacements: { ids: [...ids] } },
    )) as unknown as [{ jobId: number; state: FleetJobTenantState; n: number | string }[]];
    for (const r of rows) {
      const jobId = Number(r.jobId);
      const counts = out.get(jobId) ?? emptyCounts();
      if (r.state in counts) counts[r.state] = Number(r.n);
      out.set(jobId, counts);
    }
    return out;
  }
}

function emptyCounts(): FleetJobCounts {
  return { pending: 0, done: 0, skipped: 0, failed: 0 };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type FleetJobRow = InstanceType<Registry['models']['FleetJob']>;

function jobRecord(r: FleetJobRow, counts: FleetJobCounts = emptyCounts()): FleetJobRecord {
  return {
    id: r.id,
    kind: r.kind as FleetJobKind,
    state: r.state as FleetJobState,
    options: JSON.parse(r.options) as FleetJobOptions,
    actor: r.actor,
    owner: r.owner,
    leaseUntil: r.leaseUntil ? new Date(r.leaseUntil) : null,
    attempts: r.attempts,
    total: r.total,
    counts,
    error: r.error,
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.updatedAt),
    finishedAt: r.finishedAt ? new Date(r.finishedAt) : null,
  };
}

function migrationOutcome(r: MigrationResult): TenantOutcome {
  return {
    state: !r.ok ? 'failed' : r.skipped ? 'skipped' : 'done',
    detail: { applied: r.applied, schemaVersion: r.schemaVersion, ...(r.skipped ? { skipped: r.skipped } : {}) },
    error: r.error ?? null,
    durationMs: r.durationMs,
  };
}

function healthOutcome(h: TenantHealth): TenantOutcome {
  return {
    state: h.reachable ? 'done' : 'failed',
    detail: { latencyMs: h.latencyMs, sizeBytes: h.sizeBytes, schemaVersion: h.schemaVersion, userCount: h.userCount },
    error: h.error ?? null,
    durationMs: h.latencyMs,
  };
}
