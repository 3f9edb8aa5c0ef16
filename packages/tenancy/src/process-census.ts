import { randomUUID } from 'node:crypto';
import { Op } from 'sequelize';
import { errorText, silentLogger, type Logger } from './logger';
import type { Registry } from './registry/registry';

export interface ProcessCensusOptions {
  /** Between heartbeats; a process is live while its last heartbeat is younger than 3 of them. Default 5 s. */
  beatMs?: number;
  /** Called with the number of live processes (this one included) after every heartbeat that changed it. */
  onCount: (live: number) => void;
  logger?: Logger;
}

/**
 * How many API processes share this registry: each keeps a row in `api_processes` with a heartbeat,
 * counts the rows with a recent one, and deletes rows whose heartbeat stopped (a killed process).
 * This is what divides a per-server connection budget between the processes (`serverConnectionBudget`).
 */
export class ProcessCensus {
  readonly id = randomUUID();
  readonly #registry: Registry;
  readonly #beatMs: number;
  readonly #onCount: (live: number) => void;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | null = null;
  #live = 0;
  #stopped = false;
  /** A recount was asked while a count ran: one more right after it. */
  #again = false;

  constructor(registry: Registry, options: ProcessCensusOptions) {
    this.#registry = registry;
    this.#beatMs = options.beatMs ?? 5000;
    this.#onCount = options.onCount;
    this.#logger = options.logger ?? silentLogger;
  }

  /** Live processes at the last heartbeat (this one included). */
  get live(): number {
    return this.#live;
  }

  /**
   * Registers this process and counts (before serving: the budget is divided from the first request
   * on), then tells the other processes, which count again at once (`recount`).
   */
  async start(): Promise<void> {
    const now = new Date();
    await this.#registry.models.ApiProcessRow.create({ id: this.id, startedAt: now, heartbeatAt: now });
    await this.#beat();
    this.#announce();
    this.#schedule();
  }

  /** Another process started or stopped: count now instead of at the next heartbeat. */
  recount(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#run();
  }

  #announce(): void {
    this.#registry.emit({ kind: 'processes-changed', tenantId: 0, slug: '' });
  }

  async #beat(): Promise<void> {
    const { ApiProcessRow } = this.#registry.models;
    const now = Date.now();
    await ApiProcessRow.update({ heartbeatAt: new Date(now) }, { where: { id: this.id } });
    const live = await ApiProcessRow.count({ where: { heartbeatAt: { [Op.gte]: new Date(now - 3 * this.#beatMs) } } });
    await ApiProcessRow.destroy({ where: { heartbeatAt: { [Op.lt]: new Date(now - 10 * this.#beatMs) } } });
    const count = Math.max(1, live);
    if (count !== this.#live) {
      this.#live = count;
      this.#onCount(count);
    }
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => this.#run(), this.#beatMs);
    this.#timer.unref();
  }

  #run(): void {
    if (this.#stopped) return;
    this.#running = this.#beat()
      .catch((err: unknown) => this.#logger.warn({ err: errorText(err) }, 'process heartbeat failed; the budget share stays as it was'))
      .finally(() => {
        this.#running = null;
        if (this.#again) {
          this.#again = false;
          this.#run();
        } else this.#schedule();
      });
  }

  /** Stops the heartbeat and removes this process's row; the others count again at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    if (this.#running) await this.#running;
    try {
      await this.#registry.models.ApiProcessRow.destroy({ where: { id: this.id } });
      this.#announce();
    } catch (err) {
      this.#logger.warn({ err: errorText(err) }, 'could not remove this process from the registry (it ages out)');
    }
  }
}

/**
 * Open tenant handles one process may keep when `budget` connections on a tenant server are shared by
 * `live` processes whose handles hold up to `poolMax` connections each; never above `maxOpen`, at least 1.
 */
export function shareOfBudget(budget: number, poolMax: number, live: number, maxOpen: number): number {
  return Math.max(1, Math.min(maxOpen, Math.floor(budget / poolMax / Math.max(1, live))));
}
