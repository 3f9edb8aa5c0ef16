import { errorText, silentLogger, type Logger } from '../logger';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { pgClientConfig } from '../drivers/postgres';
import type { DatabaseSpec } from '../drivers/spec';
import type { RegistryChangeFeed } from './change-feed';
import type { Registry, RegistryChange } from './registry';
import { newPgClient } from '../drivers/modules';

const CHANNEL = 'salesfleet_registry';

export interface RegistryNotificationOptions {
  /** Listen for other processes' changes (the API); senders only send. */
  listen: boolean;
  connectTimeoutMs: number;
  /** Where lost connections and unsent notifications are reported. */
  logger?: Logger;
  /** Called after the listening connection was lost and re-established: changes may have been missed. */
  onResync?: () => void;
  /**
   * How long a heartbeat on the listening connection (a `SELECT 1`) may take to answer; default 1000
   * ms. A connection that stops answering is replaced. Heartbeats go four times as often, so the feed
   * (confirmed up to the last answered one) is never more than about a quarter of this behind: the
   * API's session cache trusts it only while it is less than a second behind.
   */
  heartbeatMs?: number;
}

/**
 * Cross-process cache invalidation when the registry is on PostgreSQL: every local change is sent
 * with `pg_notify`, and (when `listen` is set) changes made by other processes are re-emitted on the
 * local registry as `remote` changes. A heartbeat on the listening connection (TCP keepalive too)
 * notices a silently dead connection within about a second; a lost connection is re-opened at once,
 * then with back-off, and `onResync` tells the caller to drop its caches. Meanwhile `confirmedAt`
 * stops advancing, and the router refuses what it cannot confirm.
 */
export async function connectRegistryNotifications(
  registry: Registry,
  spec: DatabaseSpec,
  options: RegistryNotificationOptions,
): Promise<RegistryChangeFeed> {
  const origin = randomUUID();
  const logger = options.logger ?? silentLogger;
  const heartbeatMs = options.heartbeatMs ?? 1000;
  const unsubscribe = registry.onChange((change) => {
    if (change.remote) return;
    const payload = JSON.stringify({
      origin,
      kind: change.kind,
      tenantId: change.tenantId,
      slug: change.slug,
      domain: change.domain,
      keepConnections: change.keepConnections,
      userId: change.userId,
    });
    registry.sequelize
      .query('SELECT pg_notify(:channel, :payload)', { replacements: { channel: CHANNEL, payload } })
      // Other processes then learn of the change only by their router's TTL.
      .catch((err: unknown) =>
        logger.warn(
          { err: errorText(err, [spec.password]), change: change.kind, tenantId: change.tenantId ?? null },
          'registry change notification not sent',
        ),
      );
  });

  let client: pg.Client | null = null;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  let confirmedAt = 0;

  const listen = async (): Promise<void> => {
    const c = newPgClient({
      ...pgClientConfig(spec, spec.database, options.connectTimeoutMs, 'salesfleet-listen'),
      keepAlive: true,
      keepAliveInitialDelayMillis: heartbeatMs,
    });
    c.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      try {
        const data = JSON.parse(message.payload) as RegistryChange & { origin: string };
        if (data.origin === origin) return;
        registry.emit({
          kind: data.kind,
          tenantId: data.tenantId,
          slug: data.slug,
          domain: data.domain,
          remote: true,
          ...(data.keepConnections === true ? { keepConnections: true } : {}),
          ...(typeof data.userId === 'number' ? { userId: data.userId } : {}),
        });
      } catch (err) {
        logger.warn({ err: errorText(err) }, 'unreadable registry change notification ignored');
      }
    });
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost || stopped) return;
      lost = true;
      logger.warn({ err: err ? errorText(err, [spec.password]) : 'connection ended' }, 'registry notification listener lost; reconnecting');
      if (client === c) client = null;
      c.end().catch(() => undefined);
      scheduleReconnect();
    };
    c.on('error', onLost);
    c.on('end', () => onLost());
    const started = Date.now();
    await c.connect();
    await c.query(`LISTEN ${CHANNEL}`);
    client = c;
    confirmedAt = started;
    heartbeat(c, onLost);
  };

  /** `SELECT 1` on the listening connection every quarter of `heartbeatMs`; no answer within `heartbeatMs` → lost. */
  const heartbeat = (c: pg.Client, onLost: (err?: Error) => void) => {
    clearTimeout(heartbeatTimer);
    heartbeatTimer = setTimeout(() => {
      if (stopped || client !== c) return;
      const started = Date.now();
      let timeout: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timeout = setTimeout(() => reject(new Error(`no heartbeat answer within ${heartbeatMs} ms`)), heartbeatMs);
      });
      Promise.race([c.query('SELECT 1'), late]).then(
        () => {
          clearTimeout(timeout);
          // NOTIFY messages are delivered before the answer that follows them: all sent before `started` are in.
          confirmedAt = started;
          heartbeat(c, onLost);
        },
        (err: unknown) => {
          clearTimeout(timeout);
          onLost(err instanceof Error ? err : new Error(String(err)));
        },
      );
    }, heartbeatMs / 4);
    heartbeatTimer.unref();
  };

  const scheduleReconnect = () => {
    if (stopped) return;
    // The first attempt after 100 ms, then at most a second apart: back within a second of the server.
    const delay = Math.min(1000, 100 * 2 ** Math.min(failures, 4));
    failures++;
    retryTimer = setTimeout(() => {
      listen().then(
        () => {
          failures = 0;
          options.onResync?.();
        },
        (err: unknown) => {
          logger.warn({ err: errorText(err, [spec.password]), attempt: failures }, 'registry notification listener could not reconnect');
          scheduleReconnect();
        },
      );
    }, delay);
    retryTimer.unref();
  };

  if (options.listen) await listen();

  return {
    confirmedAt: () => (options.listen ? confirmedAt : Date.now()),
    async stop() {
      stopped = true;
      unsubscribe();
      clearTimeout(retryTimer);
      clearTimeout(heartbeatTimer);
      if (client) await client.end().catch(() => undefined);
    },
  };
}
