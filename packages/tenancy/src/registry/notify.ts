import { errorText, silentLogger, type Logger } from '../logger';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { pgClientConfig } from '../drivers/postgres';
import type { DatabaseSpec } from '../drivers/spec';
import type { Registry, RegistryChange } from './registry';

const CHANNEL = 'salesfleet_registry';

export interface RegistryNotificationOptions {
  /** Listen for other processes' changes (the API); senders only send. */
  listen: boolean;
  connectTimeoutMs: number;
  /** Where lost connections and unsent notifications are reported. */
  logger?: Logger;
  /** Called after the listening connection was lost and re-established: changes may have been missed. */
  onResync?: () => void;
}

/**
 * Cross-process cache invalidation when the registry is on PostgreSQL: every local change is sent
 * with `pg_notify`, and (when `listen` is set) changes made by other processes are re-emitted on the
 * local registry as `remote` changes. A lost listening connection is re-opened with back-off, and
 * `onResync` tells the caller to drop its caches; the router's TTL covers the gap meanwhile.
 */
export async function connectRegistryNotifications(
  registry: Registry,
  spec: DatabaseSpec,
  options: RegistryNotificationOptions,
): Promise<() => Promise<void>> {
  const origin = randomUUID();
  const logger = options.logger ?? silentLogger;
  const unsubscribe = registry.onChange((change) => {
    if (change.remote) return;
    const payload = JSON.stringify({
      origin,
      kind: change.kind,
      tenantId: change.tenantId,
      slug: change.slug,
      domain: change.domain,
      keepConnections: change.keepConnections,
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
  let failures = 0;

  const listen = async (): Promise<void> => {
    const c = new pg.Client(pgClientConfig(spec, spec.database, options.connectTimeoutMs, 'salesfleet-listen'));
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
    await c.connect();
    await c.query(`LISTEN ${CHANNEL}`);
    client = c;
  };

  const scheduleReconnect = () => {
    if (stopped) return;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
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

  return async () => {
    stopped = true;
    unsubscribe();
    clearTimeout(retryTimer);
    if (client) await client.end().catch(() => undefined);
  };
}
