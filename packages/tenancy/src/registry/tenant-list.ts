/**
 * The tenant list's rules in one place, without the database layer: which rows a filter selects (as SQL
 * conditions, for the Registry's Sequelize reads and for the plain-driver reader of `list-tenants`),
 * the tenants table's columns, and a row → TenantRecord.
 */
import { type Engine, isTenantServerName, type TenantStatus } from '@salesfleet/contracts';
import type { TenantRecord } from './records';

export interface TenantListFilter {
  /** Substring of the slug, name or admin email, case-insensitive. */
  q?: string;
  status?: TenantStatus | readonly TenantStatus[];
  engine?: Engine | readonly Engine[];
  /** A database server as `tenantServerOf` names it: `host`, `host:port`, or `local` for SQLite files. */
  server?: string;
}

export type SqlDialect = 'sqlite' | 'postgres' | 'mysql' | 'mariadb';

/** The tenants table's columns by the Tenant model's attribute names (a test checks them against the model). */
export const TENANT_COLUMNS = {
  id: 'id',
  slug: 'slug',
  name: 'name',
  adminEmail: 'admin_email',
  status: 'status',
  suspendedReason: 'suspended_reason',
  maxUsers: 'max_users',
  multiLocation: 'multi_location',
  trialEndsAt: 'trial_ends_at',
  paidUntil: 'paid_until',
  dbEngine: 'db_engine',
  dbHost: 'db_host',
  dbPort: 'db_port',
  dbName: 'db_name',
  dbSchema: 'db_schema',
  dbUser: 'db_user',
  dbPasswordEncrypted: 'db_password_encrypted',
  dbManaged: 'db_managed',
  dbKey: 'db_key',
  serverId: 'server_id',
  provisioningOwner: 'provisioning_owner',
  provisioningLeaseUntil: 'provisioning_lease_until',
  schemaVersion: 'schema_version',
  userCount: 'user_count',
  healthReachable: 'health_reachable',
  healthLatencyMs: 'health_latency_ms',
  healthSizeBytes: 'health_size_bytes',
  healthError: 'health_error',
  healthCheckedAt: 'health_checked_at',
  version: 'version',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
} as const;

/** A tenants row by attribute name, as a `raw: true` read or a plain driver returns it. */
export type TenantRow = { [K in keyof typeof TENANT_COLUMNS]: unknown };

/** The server part of a filter, normalized; a name that may be a registered tenant server is looked up by the caller. */
export function tenantServerFilter(server: string): { server: string; lookUp: boolean } {
  const normalized = server.trim().toLowerCase();
  return { server: normalized, lookUp: isTenantServerName(normalized) };
}

/**
 * The SQL conditions (joined with AND) that select `filter`'s tenants; `value` renders a value (a bind
 * placeholder or an escaped literal). `registeredServerId`: the id of the registered tenant server the
 * filter's `server` names, when it names one (looked up beforehand).
 */
export function tenantFilterConditions(
  filter: TenantListFilter,
  options: { dialect: SqlDialect; value: (v: string | number) => string; registeredServerId: number | null },
): string[] {
  const { value } = options;
  const conditions: string[] = [];
  const oneOf = (column: string, values: readonly string[]) =>
    values.length === 0 ? '1 = 0' : `${column} IN (${values.map((v) => value(v)).join(', ')})`;
  if (filter.status !== undefined) conditions.push(oneOf('status', typeof filter.status === 'string' ? [filter.status] : filter.status));
  if (filter.engine !== undefined) conditions.push(oneOf('db_engine', typeof filter.engine === 'string' ? [filter.engine] : filter.engine));
  if (filter.server !== undefined) {
    const { server } = tenantServerFilter(filter.server);
    const port = /^(.+):(\d{1,5})$/.exec(server);
    if (options.registeredServerId !== null) conditions.push(`server_id = ${value(options.registeredServerId)}`);
    else if (server === 'local') conditions.push(`(db_engine = ${value('sqlite')} OR db_host IS NULL)`);
    else if (port)
      conditions.push(`(db_host = ${value(port[1]!)} AND db_port = ${value(Number(port[2]))} AND db_engine <> ${value('sqlite')})`);
    else conditions.push(`(db_host = ${value(server)} AND db_engine <> ${value('sqlite')})`);
  }
  const q = filter.q?.trim().toLowerCase();
  if (q) {
    // A position function instead of LIKE: no wildcard escaping, which SQLite's LIKE lacks by default.
    const position = options.dialect === 'postgres' ? 'strpos' : 'instr';
    const contains = (column: string) => `${position}(lower(${column}), ${value(q)}) > 0`;
    conditions.push(`(${contains('slug')} OR ${contains('name')} OR ${contains('admin_email')})`);
  }
  return conditions;
}

/** `SELECT` of every tenant matching the conditions, by slug, each column named by its attribute. */
export function tenantListSql(dialect: SqlDialect, conditions: readonly string[]): string {
  const quote = dialect === 'mysql' || dialect === 'mariadb' ? (name: string) => `\`${name}\`` : (name: string) => `"${name}"`;
  const columns = Object.entries(TENANT_COLUMNS).map(([attribute, column]) => `${column} AS ${quote(attribute)}`);
  return `SELECT ${columns.join(', ')} FROM tenants${whereClause(conditions)} ORDER BY slug ASC`;
}

/**
 * SQLite: the same rows as `tenantListSql`, each as one JSON object text (column `row`, keys the
 * attribute names) — JSON.parse makes 10,000 of them into objects in half the time sqlite3 takes to
 * build as many 32-column rows. Values are what sqlite3 returns (text, integers, 0/1, null), but a
 * REAL keeps 15 significant digits (latencies are stored rounded to 0.01 ms).
 */
export function tenantListJsonSqliteSql(conditions: readonly string[]): string {
  const pairs = Object.entries(TENANT_COLUMNS).map(([attribute, column]) => `'${attribute}', ${column}`);
  return `SELECT json_object(${pairs.join(', ')}) AS row FROM tenants${whereClause(conditions)} ORDER BY slug ASC`;
}

function whereClause(conditions: readonly string[]): string {
  return conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
}

/** A date column as read: a Date from instances and most drivers, a string from SQLite's raw rows. */
function asDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(value as string);
}

const asNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const asText = (value: unknown): string | null => (value === null || value === undefined ? null : (value as string));

/** A tenant row, as a model instance, the plain values of a `raw: true` read or a plain driver's row. */
export function toTenantRecord(row: TenantRow): TenantRecord {
  return Object.freeze({
    id: row.id as number,
    slug: row.slug as string,
    name: row.name as string,
    adminEmail: row.adminEmail as string,
    status: row.status as TenantStatus,
    suspendedReason: asText(row.suspendedReason),
    maxUsers: row.maxUsers as number,
    multiLocation: Boolean(row.multiLocation),
    trialEndsAt: asDate(row.trialEndsAt),
    paidUntil: asDate(row.paidUntil),
    db: Object.freeze({
      engine: row.dbEngine as Engine,
      host: asText(row.dbHost),
      port: (row.dbPort ?? null) as number | null,
      name: row.dbName as string,
      schema: asText(row.dbSchema),
      user: asText(row.dbUser),
      passwordEncrypted: asText(row.dbPasswordEncrypted),
      managed: Boolean(row.dbManaged),
      key: asText(row.dbKey),
    }),
    serverId: asNumber(row.serverId),
    provisioning:
      row.provisioningOwner && row.provisioningLeaseUntil
        ? Object.freeze({ owner: row.provisioningOwner as string, leaseUntil: asDate(row.provisioningLeaseUntil)! })
        : null,
    schemaVersion: asText(row.schemaVersion),
    userCount: asNumber(row.userCount),
    health: row.healthCheckedAt
      ? Object.freeze({
          reachable: Boolean(row.healthReachable),
          latencyMs: asNumber(row.healthLatencyMs),
          sizeBytes: asNumber(row.healthSizeBytes),
          error: asText(row.healthError),
          checkedAt: asDate(row.healthCheckedAt)!,
        })
      : null,
    version: row.version as number,
    createdAt: asDate(row.createdAt)!,
    updatedAt: asDate(row.updatedAt)!,
  });
}

/** The database server a tenant lives on: `host:port` (`host` without a port), `local` for SQLite files. */
export function tenantServerOf(tenant: Pick<TenantRecord, 'db' | 'serverId'>, names?: ReadonlyMap<number, string>): string {
  const name = tenant.serverId !== null ? names?.get(tenant.serverId) : undefined;
  if (name) return name;
  if (tenant.db.engine === 'sqlite' || !tenant.db.host) return 'local';
  return tenant.db.port ? `${tenant.db.host}:${tenant.db.port}` : tenant.db.host;
}
