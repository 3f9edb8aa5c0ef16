import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { DatabaseSpec } from '../drivers/spec';
import type { Registry, RegistryChange } from './registry';

const CHANNEL = 'salesfleet_registry';

/**
 * Cross-process cache invalidation when the registry is on PostgreSQL: every local change is sent
 * with `pg_notify`, and (when `listen` is set) changes made by other processes are re-emitted on the
 * local registry as `remote` changes. The router's TTL remains the fallback if a notification is lost.
 */
export async function connectRegistryNotifications(
  registry: Registry,
  spec: DatabaseSpec,
  options: { listen: boolean; connectTimeoutMs: number },
): Promise<() => Promise<void>> {
  const origin = randomUUID();
  const unsubscribe = registry.onChange((change) => {
    if (change.remote) return;
    const payload = JSON.stringify({ origin, kind: change.kind, tenantId: change.tenantId, slug: change.slug, domain: change.domain });
    registry.sequelize.query('SELECT pg_notify(:channel, :payload)', { replacements: { channel: CHANNEL, payload } }).catch(() => undefined);
  });
  let client: pg.Client | null = null;
  if (options.listen) {
    client = new pg.Client({
      host: spec.host ?? '127.0.0.1',
      port: spec.port ?? 5432,
      user: spec.user ?? undefined,
      password: spec.password ?? undefined,
      database: spec.database,
      connectionTimeoutMillis: options.connectTimeoutMs,
      application_name: 'salesfleet-listen',
    });
    client.on('error', () => undefined);
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      try {
        const data = JSON.parse(message.payload) as RegistryChange & { origin: string };
        if (data.origin === origin) return;
        registry.emit({ kind: data.kind, tenantId: data.tenantId, slug: data.slug, domain: data.domain, remote: true });
      } catch {
        // not ours
      }
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
  }
  return async () => {
    unsubscribe();
    if (client) await client.end().catch(() => undefined);
  };
}
