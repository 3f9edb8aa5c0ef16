import type { Config } from './config';
import { mysqlConnectionConfig, pgClientConfig, type DatabaseSpec } from './drivers/index';
import { redact } from './mask';
import type { TenantRecord } from './registry/records';
import type { Registry } from './registry/registry';
import { registrySpec } from './tenancy';
import { mysqlConnection, newPgClient } from './drivers/modules';

/** One tenant database server measured against this process's connection budget. */
export interface ServerBudget {
  /** `postgres://host:port` / `mysql://host:port` (no credentials). */
  server: string;
  engine: 'postgres' | 'mysql';
  /** Tenants whose database lives on this server. */
  tenants: number;
  /**
   * Connections one process may hold on this server: min(SALESFLEET_MAX_OPEN_TENANTS, tenants there)
   * × SALESFLEET_TENANT_POOL_MAX, plus the registry's pool when the registry is on the same server.
   */
  budget: number;
  /** Connections the server grants ordinary roles (PG: max_connections − reserved; MySQL: max_connections); null when unreadable. */
  serverLimit: number | null;
  /** The budget fits the server's limit (true when the limit could not be read: see `error`). */
  ok: boolean;
  /** One line for an operator: the figures and, when it does not fit, the fix. */
  message: string;
  error?: string;
}

/** What the budget check needs (a `Tenancy` satisfies it). */
export interface BudgetSource {
  readonly config: Config;
  readonly registry: Pick<Registry, 'listTenants' | 'databaseSpecOf'>;
}

/** The registry's own pool (see `openTenancyWith`): counted when the registry shares a tenant server. */
const REGISTRY_POOL_MAX = 5;

function serverKey(engine: string, host: string | null, port: number | null): string {
  const defaultPort = engine === 'postgres' ? 5432 : 3306;
  return `${engine}://${host ?? '127.0.0.1'}:${port ?? defaultPort}`;
}

/**
 * Compares the per-process connection budget (SALESFLEET_MAX_OPEN_TENANTS × SALESFLEET_TENANT_POOL_MAX)
 * with the connection limit of every PostgreSQL/MySQL server that holds tenants. A budget above the
 * server's limit means a process under churn can make the server refuse new connections ("too many
 * clients"), which reaches users as 503s. Each server is asked once, with one of its tenants'
 * credentials; a server that cannot be asked is reported, not failed.
 */
export async function checkConnectionBudget(source: BudgetSource, options: { registrySpec?: DatabaseSpec } = {}): Promise<ServerBudget[]> {
  const { config, registry } = source;
  const tenants = await registry.listTenants({ status: ['active', 'suspended', 'provisioning'] });
  const byServer = new Map<string, TenantRecord[]>();
  for (const tenant of tenants) {
    if (tenant.db.engine === 'sqlite') continue;
    const key = serverKey(tenant.db.engine, tenant.db.host, tenant.db.port);
    let list = byServer.get(key);
    if (!list) byServer.set(key, (list = []));
    list.push(tenant);
  }
  const registryDb = options.registrySpec ?? registrySpec(config);
  const registryKey = registryDb.engine !== 'sqlite' ? serverKey(registryDb.engine, registryDb.host, registryDb.port) : null;

  const results: ServerBudget[] = [];
  for (const [server, list] of byServer) {
    const engine = list[0]!.db.engine as 'postgres' | 'mysql';
    const handles = Math.min(config.maxOpenTenants, list.length);
    const budget = handles * config.tenantPoolMax + (server === registryKey ? REGISTRY_POOL_MAX : 0);
    const arithmetic =
      `${handles} open tenant handle(s) × pool ${config.tenantPoolMax}` +
      (server === registryKey ? ` + registry pool ${REGISTRY_POOL_MAX}` : '') +
      ` = ${budget} connections per process`;
    let serverLimit: number | null = null;
    let error: string | undefined;
    let spec: DatabaseSpec | undefined;
    try {
      spec = registry.databaseSpecOf(list[0]!);
      serverLimit = await readServerLimit(spec, config.dbConnectTimeoutMs);
    } catch (err) {
      error = redact((err as Error).message, [spec?.password]);
    }
    let ok = true;
    let message: string;
    if (serverLimit === null) {
      message = `${server}: ${arithmetic}; could not read the server's connection limit (${error ?? 'no answer'})`;
    } else if (budget > serverLimit) {
      ok = false;
      message =
        `${server}: ${arithmetic} can exceed the server's ${serverLimit} available connections ` +
        `(${engine === 'postgres' ? 'max_connections minus reserved' : 'max_connections'}), and the server then refuses new ones ` +
        `("too many clients" → 503); lower SALESFLEET_MAX_OPEN_TENANTS or SALESFLEET_TENANT_POOL_MAX so that their product fits ` +
        `(with every API process and other clients counted), raise max_connections, or put PgBouncer (session mode) in front`;
    } else {
      message = `${server}: ${arithmetic} fits the server's ${serverLimit} available connections (per process: several API processes add up)`;
    }
    results.push({ server, engine, tenants: list.length, budget, serverLimit, ok, message, ...(error ? { error } : {}) });
  }
  return results;
}

/** The one-line warnings for servers the budget can exceed (for the API's start-up log). */
export async function connectionBudgetWarnings(source: BudgetSource, options: { registrySpec?: DatabaseSpec } = {}): Promise<string[]> {
  return (await checkConnectionBudget(source, options)).filter((r) => !r.ok).map((r) => `connection budget: ${r.message}`);
}

/** max_connections minus the slots ordinary roles cannot use (PG), or max_connections (MySQL). */
async function readServerLimit(spec: DatabaseSpec, connectTimeoutMs: number): Promise<number> {
  if (spec.engine === 'postgres') {
    const client = newPgClient(pgClientConfig(spec, spec.database, connectTimeoutMs));
    await client.connect();
    try {
      // reserved_connections (PostgreSQL 16+) is missing on older servers: current_setting(…, true) → NULL.
      const r = await client.query<{ max: string; superuser: string; reserved: string | null }>(
        `SELECT current_setting('max_connections') AS max, current_setting('superuser_reserved_connections') AS superuser,
                current_setting('reserved_connections', true) AS reserved`,
      );
      const row = r.rows[0]!;
      return Number(row.max) - Number(row.superuser) - Number(row.reserved ?? 0);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (spec.engine === 'mysql') {
    const connection = await mysqlConnection(mysqlConnectionConfig(spec, spec.database, connectTimeoutMs));
    try {
      const [rows] = await connection.query('SELECT @@max_connections AS max');
      return Number((rows as { max: number | string }[])[0]!.max);
    } finally {
      await connection.end().catch(() => undefined);
    }
  }
  throw new Error(`no connection limit for ${spec.engine}`);
}
