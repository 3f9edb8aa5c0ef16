import cluster, { type Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import type { Config, Registry, RegistryChange } from '@salesfleet/tenancy';

/**
 * `pnpm start` with several workers (node:cluster): the primary does the one-time start-up work
 * (console build check, registry migrations, the first platform admin, demo workspaces) while the
 * first worker loads the app; a worker opens the registry and listens only once the primary says that
 * work is done (`prepared`). Each worker is one full API process; they share the listening socket (the
 * primary hands connections out in turn). What workers must agree on:
 *
 * - registry changes (a suspended tenant, a moved database, a signed-out session): a PostgreSQL
 *   registry notifies every process itself (LISTEN/NOTIFY); on SQLite or MySQL the primary relays
 *   each worker's changes to the others over the cluster's IPC channel (at once), and the workers
 *   share one change-feed origin so that their polls skip each other's rows (each change arrives
 *   once) and still deliver every other process's;
 * - the sign-in throttle: counted in the registry (PostgreSQL, SQLite), which every worker shares;
 * - the connection budget per database server: `SALESFLEET_MAX_OPEN_TENANTS` is the whole server's,
 *   divided between the workers, so N workers never hold N times the tenant connections.
 */

/** A registry change sent from a worker to the primary, and from the primary to the other workers. */
const MESSAGE = 'salesfleet:registry-change';
/** Worker → primary: tell me when the one-time start-up work is done. Primary → worker: it is. */
const AWAIT_PREPARED = 'salesfleet:await-prepared';
const PREPARED = 'salesfleet:prepared';

const isMessageOf = (message: unknown, type: string): boolean =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;

/** The environment variable through which the primary hands its workers their shared change-feed origin. */
const CLUSTER_ORIGIN = 'SALESFLEET_CLUSTER_ORIGIN';

/** In a worker: the change-feed origin the primary gave every worker (undefined outside a cluster). */
export function clusterChangeOrigin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[CLUSTER_ORIGIN];
  return value && /^[0-9a-f-]{36}$/.test(value) ? value : undefined;
}

interface ChangeMessage {
  type: typeof MESSAGE;
  change: RegistryChange;
}

function isChangeMessage(message: unknown): message is ChangeMessage {
  return isMessageOf(message, MESSAGE);
}

/**
 * In a worker: resolves once the primary has done the one-time start-up work (registry migrated,
 * first admin made, console built); at once outside a cluster. Asked for rather than awaited, so a
 * worker forked later (or again after a crash) is answered too.
 */
export function primaryPrepared(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) return Promise.resolve();
  return new Promise((resolve) => {
    const receive = (message: unknown) => {
      if (!isMessageOf(message, PREPARED)) return;
      process.off('message', receive);
      resolve();
    };
    process.on('message', receive);
    send({ type: AWAIT_PREPARED });
  });
}

/**
 * The worker count asked for (SALESFLEET_WORKERS, already validated: a number, or `auto` = one per
 * core); unset means `auto`. 1: one process, no cluster.
 */
export function workerCount(requested: number | 'auto' | undefined, cores: number): number {
  if (requested === undefined || requested === 'auto') return Math.max(1, cores);
  return requested;
}

/** A worker's share of the connection budget: the open tenant handles divided between the workers. */
export function workerConfig(config: Config, workers: number): Config {
  if (workers <= 1) return config;
  // Copied with its property descriptors: the secret key is not enumerable (never printed), a spread would drop it.
  const own = Object.defineProperties({}, Object.getOwnPropertyDescriptors(config)) as Config;
  return Object.defineProperty(own, 'maxOpenTenants', {
    value: Math.max(1, Math.floor(config.maxOpenTenants / workers)),
    enumerable: true,
  });
}

/**
 * In a worker whose registry has no notification channel of its own (SQLite, MySQL): sends this
 * worker's registry changes to the primary, and applies the other workers' as remote changes.
 * Returns the unsubscribe function.
 */
export function relayRegistryChanges(registry: Pick<Registry, 'onChange' | 'emit'>): () => void {
  const send = process.send?.bind(process);
  if (!send) return () => undefined;
  const off = registry.onChange((change) => {
    if (!change.remote) send({ type: MESSAGE, change } satisfies ChangeMessage);
  });
  const receive = (message: unknown) => {
    if (isChangeMessage(message)) registry.emit({ ...message.change, remote: true });
  };
  process.on('message', receive);
  return () => {
    off();
    process.off('message', receive);
  };
}

export interface PrimaryOptions {
  workers: number;
  /** The machine's cores: all but one get a worker at once, the primary's one-time work takes the last. */
  cores: number;
  /** Where a worker's death is logged (the primary forks before it has loaded pino: any `error` method). */
  logger: { error(fields: object, message: string): void };
  say: (line: string) => void;
}

export interface Primary {
  /** The port the workers listen on, once every worker listens; rejects when one exits before it ever listened. */
  ready: Promise<number>;
  /** The one-time start-up work is done: the waiting workers open the registry and listen, the rest are forked. */
  prepared(): void;
  /**
   * Stops every worker, listening or still starting (SIGTERM: each drains its requests), and resolves
   * when all have exited. `ready` then never settles.
   */
  stop(): Promise<void>;
}

/**
 * Forks the workers (this module's process re-run with `cluster.isWorker`), relays registry changes
 * between them and replaces a worker that dies (after a second; not while stopping). Every core but
 * one gets a worker at once (at least one), which loads the app while the primary does the one-time
 * work on the last core; the other workers are forked at `prepared()` (on two cores the first worker,
 * which answers the first request, does not share a core with a second one loading). `ready` resolves once every worker
 * listens; it rejects when one exits before it ever listened (a start-up error: the worker said why on
 * stderr), after stopping the others.
 */
export function startPrimary(options: PrimaryOptions): Primary {
  const { workers, logger } = options;
  let stopping = false;
  const listening = new Set<number>();
  const everListened = new Set<number>();
  const origin = randomUUID();
  let isPrepared = false;
  const waiting = new Set<Worker>();

  const fork = (): Worker => {
    const worker = cluster.fork({ [CLUSTER_ORIGIN]: origin });
    worker.on('message', (message: unknown) => {
      if (isMessageOf(message, AWAIT_PREPARED)) {
        if (isPrepared) worker.send({ type: PREPARED });
        else waiting.add(worker);
        return;
      }
      if (!isChangeMessage(message)) return;
      for (const other of Object.values(cluster.workers ?? {})) {
        if (other && other.id !== worker.id && other.isConnected()) other.send(message);
      }
    });
    worker.on('exit', () => waiting.delete(worker));
    return worker;
  };

  const early = Math.max(1, Math.min(workers, options.cores - 1));
  const prepared = (): void => {
    if (isPrepared || stopping) return;
    isPrepared = true;
    for (const worker of waiting) if (worker.isConnected()) worker.send({ type: PREPARED });
    waiting.clear();
    for (let i = early; i < workers; i++) fork();
  };

  const stop = (): Promise<void> => {
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    return Promise.all(
      alive.map(
        (w) =>
          new Promise<void>((done) => {
            w.once('exit', () => done());
            w.process.kill('SIGTERM');
          }),
      ),
    ).then(() => undefined);
  };

  const ready = new Promise<number>((resolve, reject) => {
    let settled = false;
    cluster.on('listening', (worker, address) => {
      listening.add(worker.id);
      everListened.add(worker.id);
      if (!settled && !stopping && listening.size === workers) {
        settled = true;
        resolve(address.port);
      }
    });
    cluster.on('exit', (worker, code, signal) => {
      listening.delete(worker.id);
      if (stopping) return;
      if (!everListened.has(worker.id)) {
        if (!settled) {
          settled = true;
          void stop().then(() => reject(new Error(`a worker stopped before serving (exit ${code ?? signal})`)));
        }
        return;
      }
      logger.error({ worker: worker.process.pid, code, signal }, 'API worker died; starting another');
      setTimeout(() => {
        if (!stopping) fork();
      }, 1000).unref();
    });
  });
  for (let i = 0; i < early; i++) fork();
  return { ready, prepared, stop };
}
