import { randomUUID } from 'node:crypto';
import { Op } from 'sequelize';
import { errorText, silentLogger, type Logger } from '../logger';
import type { Registry, RegistryChange } from './registry';

/**
 * How one process learns of the registry changes other processes make: PostgreSQL's LISTEN/NOTIFY
 * (`notify.ts`) or, on SQLite and MySQL/MariaDB registries, the polled `registry_changes` table
 * (`connectPolledChangeFeed`). Either way `confirmedAt` says up to when this process is known to have
 * received every change: the router serves a cached tenant past its TTL only while that is recent.
 */
export interface RegistryChangeFeed {
  /** Epoch ms: every change committed before this moment has been delivered (0: never confirmed). */
  confirmedAt(): number;
  stop(): Promise<void>;
}

export interface PolledChangeFeedOptions {
  /** Poll for other processes' changes (the API); senders only append. */
  listen: boolean;
  /** Between polls; default 500 ms, so a change reaches every process within about a second. */
  pollMs?: number;
  /** Rows older than this are deleted (by whichever process prunes first); default 10 minutes. */
  keepMs?: number;
  /** A missing id (a row committed out of order) is waited for this long, then given up; default 5 s. */
  gapWaitMs?: number;
  logger?: Logger;
  now?: () => number;
  /**
   * What this process writes as the origin of its changes, and skips when polling (default: its own
   * random id). The workers of one `pnpm start` share one: they already hand each other their changes
   * over the cluster's IPC channel (at once, with the user id), so polling them too delivered every
   * change twice.
   */
  origin?: string;
}

/**
 * Kinds carried to other processes. A `tenant-users-changed` row has no user id (the table has no
 * column for it): the receiver drops the cached sessions of all the tenant's users, which is safe.
 */
const KINDS = new Set<RegistryChange['kind']>([
  'tenant-changed',
  'tenant-deleted',
  'domain-changed',
  'tenant-users-changed',
  'processes-changed',
]);
const PRUNE_EVERY_MS = 60_000;
const BATCH = 1000;

/**
 * The change feed of a registry without LISTEN/NOTIFY: every change made through this process is
 * appended to `registry_changes`; when listening, rows of other origins after the last id seen are
 * polled and re-emitted on the local registry as `remote` changes.
 *
 * Ids are taken at insert and may commit out of order (MySQL, concurrent writers): a poll reads from
 * the oldest id still missing, so a row that commits after a higher one is not skipped; a gap that
 * stays (a rolled-back insert) is given up after `gapWaitMs`.
 */
export async function connectPolledChangeFeed(registry: Registry, options: PolledChangeFeedOptions): Promise<RegistryChangeFeed> {
  const origin = options.origin ?? randomUUID();
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 500;
  const keepMs = options.keepMs ?? 10 * 60_000;
  const gapWaitMs = options.gapWaitMs ?? 5000;
  const { RegistryChangeRow } = registry.models;

  // Changes made here are appended in batches (a fleet migration emits one per tenant): one insert
  // per event-loop turn.
  let queued: RegistryChange[] = [];
  let flushing: Promise<void> | null = null;
  const flush = async () => {
    const batch = queued;
    queued = [];
    const createdAt = new Date(now());
    try {
      await RegistryChangeRow.bulkCreate(
        batch.map((change) => ({
          origin,
          kind: change.kind,
          tenantId: change.tenantId,
          slug: change.slug,
          domain: change.domain ?? null,
          keepConnections: change.keepConnections === true,
          createdAt,
        })),
      );
    } catch (err) {
      // Other processes then learn of these changes only when their router's TTL runs out.
      logger.warn({ err: errorText(err), changes: batch.length }, 'registry changes not recorded for other processes');
    }
  };
  const unsubscribe = registry.onChange((change) => {
    if (change.remote) return;
    queued.push(change);
    if (queued.length > 1) return;
    const previous = flushing ?? Promise.resolve();
    const current: Promise<void> = previous
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(flush)
      .finally(() => {
        if (flushing === current) flushing = null;
      });
    flushing = current;
  });

  /** Every id ≤ `floor` has been seen or given up. */
  let floor = 0;
  /** Ids above `floor` already delivered. */
  const seen = new Set<number>();
  /** Missing ids above `floor` → when first noticed. */
  const gaps = new Map<number, number>();
  let confirmedAt = 0;
  let lastPrune = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;

  const advanceFloor = () => {
    for (;;) {
      const next = floor + 1;
      if (seen.delete(next)) {
        floor = next;
      } else if (gaps.has(next) && now() - (gaps.get(next) ?? 0) >= gapWaitMs) {
        gaps.delete(next);
        floor = next;
      } else {
        return;
      }
    }
  };

  const poll = async () => {
    const started = now();
    const rows = await RegistryChangeRow.findAll({
      where: { id: { [Op.gt]: floor } },
      order: [['id', 'ASC']],
      limit: BATCH,
      raw: true,
    });
    let highest = floor;
    for (const row of rows) {
      highest = Math.max(highest, row.id);
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      gaps.delete(row.id);
      if (row.origin === origin || !KINDS.has(row.kind as RegistryChange['kind'])) continue;
      registry.emit({
        kind: row.kind as RegistryChange['kind'],
        tenantId: row.tenantId,
        slug: row.slug,
        ...(row.domain ? { domain: row.domain } : {}),
        ...(row.keepConnections ? { keepConnections: true } : {}),
        remote: true,
      });
    }
    for (let id = floor + 1; id < highest; id++) if (!seen.has(id) && !gaps.has(id)) gaps.set(id, started);
    advanceFloor();
    // A full batch may have more behind it: confirmed only once a poll reached the end.
    if (rows.length < BATCH) confirmedAt = started;
    if (started - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = started;
      await RegistryChangeRow.destroy({ where: { createdAt: { [Op.lt]: new Date(started - keepMs) } } });
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = poll()
        .catch((err: unknown) => logger.warn({ err: errorText(err) }, 'registry change feed poll failed; retrying'))
        .finally(() => {
          running = null;
          schedule();
        });
    }, pollMs);
    timer.unref();
  };

  if (options.listen) {
    // Start after what is already there: older changes are already reflected in the registry's rows.
    const last = (await RegistryChangeRow.max<number | null, InstanceType<typeof RegistryChangeRow>>('id')) ?? 0;
    floor = last;
    confirmedAt = now();
    schedule();
  }

  return {
    confirmedAt: () => (options.listen ? confirmedAt : now()),
    async stop() {
      stopped = true;
      unsubscribe();
      clearTimeout(timer);
      if (running) await running;
      if (flushing) await flushing;
    },
  };
}
