import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { parseBackupSchedule, type BackupSchedule } from './backup-schedule';
import { makePrivateDir } from './private-files';
import { z } from 'zod';
import { normalizeHost } from './host';
import { maskUrlsInText } from './mask';
import { ConfigError } from '@salesfleet/contracts';
import { parseTenantServers, type NewTenantServer } from './registry/server-list';
import { type DatabaseSpec, parseDatabaseUrl } from './drivers/spec';

/** How a registry or server URL is shown (password masked), for callers of loadConfig. */
export { maskUrl } from './drivers/spec';

export type NodeEnv = 'development' | 'production' | 'test';

/** Everything tenancy needs, parsed once at start-up by `loadConfig`. */
export interface Config {
  /** Absolute data directory: registry.sqlite, tenants/*.sqlite, logs/, secret.key. */
  dataDir: string;
  /** Registry database URL (`postgres://…`, `mysql://…`); `null` = `<dataDir>/registry.sqlite`. */
  registryUrl: string | null;
  /** The variable `registryUrl` came from: DATABASE_URL (the old system's) only when SALESFLEET_REGISTRY_URL is unset. */
  registryUrlFrom: 'SALESFLEET_REGISTRY_URL' | 'DATABASE_URL' | null;
  /** Server on which managed tenant databases `sales_<slug>` are created; `null` = SQLite files. */
  tenantServerUrl: string | null;
  /**
   * A connection pooler (PgBouncer in transaction mode) in front of the PostgreSQL tenant server: the
   * API's connections to tenants on that server go through it (its host and port; database, user and
   * password stay the tenant's), while provisioning, migrations and backups connect to the server.
   */
  tenantPoolerUrl: string | null;
  /**
   * Tenant servers to register when the registry does not have them yet (SALESFLEET_TENANT_SERVERS,
   * `name:capacity=url …`); from then on the registry's rows (CLI `servers`, the console) are the truth.
   */
  tenantServers: NewTenantServer[];
  /** Normalised base domains, first one used to build tenant URLs. */
  baseDomains: string[];
  /**
   * Key that encrypts stored database passwords. Not enumerable, so `JSON.stringify(config)` and
   * loggers never print it.
   */
  readonly secretKey: string;
  /** Where the key came from: the environment, `<dataDir>/secret.key`, or generated there just now. */
  secretKeySource: 'env' | 'file' | 'generated';
  /** Platform cap on the number of tenants; `null` = unlimited. */
  maxTenants: number | null;
  /** Bound of the connection cache (open tenant handles per process). */
  maxOpenTenants: number;
  /** An unused tenant handle is closed after this many milliseconds. */
  tenantIdleMs: number;
  /**
   * Connections per tenant handle (PostgreSQL/MySQL). A process holds at most
   * `maxOpenTenants × tenantPoolMax` tenant connections: its per-process connection budget.
   */
  tenantPoolMax: number;
  /**
   * Connections all API processes together may hold on one tenant database server
   * (SALESFLEET_SERVER_CONNECTIONS); `null` = no shared budget (each process: maxOpenTenants × tenantPoolMax).
   * Derived per process: the API processes alive on the registry are counted by heartbeat, and each
   * keeps at most budget ÷ tenantPoolMax ÷ live processes handles open (and never more than maxOpenTenants).
   */
  serverConnectionBudget: number | null;
  /**
   * Connections of the one pool per shared database that all `postgres-schema` tenants on it use in
   * this process (each request holds one for its transaction). Default 10.
   */
  schemaPoolMax: number;
  /**
   * Closed PostgreSQL tenant handles' Sequelize instances (with their models, without connections)
   * kept for the next handles opened on the same server (SALESFLEET_SPARE_TENANT_INSTANCES): a cache
   * miss then skips the instance and model definitions. Default 8; 0 = a new instance per handle.
   */
  spareTenantInstances: number;
  /**
   * `postgres-schema`: migrated spare schemas kept ready in each shared database this process creates
   * schema tenants in (SALESFLEET_SPARE_SCHEMAS): a creation renames one instead of running the
   * template script. Default 2; 0 = none (every creation runs the script).
   */
  spareSchemas: number;
  /** Timeout to open a database connection / to get one from a handle's pool. */
  dbConnectTimeoutMs: number;
  /** IPs / CIDR ranges of reverse proxies whose X-Forwarded-* headers are believed. */
  trustedProxies: string[];
  port: number;
  nodeEnv: NodeEnv;
  /** Backups kept per tenant in `<dataDir>/backups/<slug>/` (newest); `null` = no count limit. */
  backupKeep: number | null;
  /** Backups older than this many days are removed after a new one; `null` = no age limit. */
  backupKeepDays: number | null;
  /** When the running server backs up every active tenant (SALESFLEET_BACKUP_SCHEDULE); `null` = never. */
  backupSchedule: BackupSchedule | null;
  /** How often the running server starts a fleet health job (SALESFLEET_HEALTH_INTERVAL, default 15 min); `null` = never. */
  healthIntervalMs: number | null;
  /** A fleet job's lease (SALESFLEET_JOB_LEASE_MS, default 30 s): a job whose process stopped is resumed after it. */
  jobLeaseMs: number;
}

/** `off`, or a duration: `<n>s`, `<n>m` or `<n>h` (from 10 s to 7 days). */
export function parseHealthInterval(raw: string | undefined): number | null {
  const text = (raw ?? '').trim().toLowerCase();
  if (text === '') return 15 * 60_000;
  if (text === 'off') return null;
  const m = /^(\d{1,6})\s*([smh])$/.exec(text);
  const ms = m ? Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'] : Number.NaN;
  if (!(ms >= 10_000 && ms <= 7 * 86_400_000)) {
    throw new Error(`"${raw}" is not a duration from 10s to 7 days; use off or <n>s, <n>m or <n>h, e.g. 15m`);
  }
  return ms;
}

const intFrom = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^[0-9]+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const serverUrl = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        const u = new URL(v);
        return ['postgres:', 'postgresql:', 'mysql:', 'mariadb:'].includes(u.protocol) && u.hostname !== '';
      } catch {
        return false;
      }
    }, `must be a postgres://, postgresql://, mysql:// or mariadb:// URL of ${what}`);

const commaList = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

const envSchema = z.object({
  SALESFLEET_DATA_DIR: optional(z.string()),
  SALESFLEET_REGISTRY_URL: optional(serverUrl('the registry database')),
  DATABASE_URL: optional(z.string().trim()),
  SALESFLEET_TENANT_SERVER_URL: optional(serverUrl('the tenant database server')),
  SALESFLEET_TENANT_POOLER_URL: optional(serverUrl('the connection pooler (PgBouncer) in front of the tenant database server')),
  SALESFLEET_TENANT_SERVERS: z.string().optional(),
  SALESFLEET_BASE_DOMAINS: optional(commaList),
  SALESFLEET_SECRET_KEY: optional(z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)')),
  SALESFLEET_MAX_TENANTS: optional(intFrom(1, 10_000_000)),
  SALESFLEET_MAX_OPEN_TENANTS: optional(intFrom(1, 100_000)),
  SALESFLEET_TENANT_IDLE_MS: optional(intFrom(1_000, 86_400_000)),
  SALESFLEET_TENANT_POOL_MAX: optional(intFrom(1, 50)),
  SALESFLEET_SERVER_CONNECTIONS: optional(intFrom(1, 1_000_000)),
  SALESFLEET_SCHEMA_POOL_MAX: optional(intFrom(1, 200)),
  SALESFLEET_SPARE_TENANT_INSTANCES: optional(intFrom(0, 10_000)),
  SALESFLEET_SPARE_SCHEMAS: optional(intFrom(0, 50)),
  SALESFLEET_DB_CONNECT_TIMEOUT_MS: optional(intFrom(100, 120_000)),
  SALESFLEET_TRUSTED_PROXIES: optional(commaList),
  SALESFLEET_BACKUP_KEEP: optional(intFrom(1, 100_000)),
  SALESFLEET_BACKUP_KEEP_DAYS: optional(intFrom(1, 36_500)),
  SALESFLEET_BACKUP_SCHEDULE: z.string().optional(),
  SALESFLEET_HEALTH_INTERVAL: z.string().optional(),
  SALESFLEET_JOB_LEASE_MS: optional(intFrom(500, 3_600_000)),
  PORT: optional(intFrom(0, 65535)),
  NODE_ENV: optional(z.enum(['development', 'production', 'test'], 'must be development, production or test')),
});

/**
 * Loads `.env` from the current directory into `process.env` when the file exists (variables already
 * set win). Apps call it once before `loadConfig()`; packages never read files on their own.
 */
export function loadDotEnv(path = '.env'): boolean {
  if (!existsSync(path)) return false;
  process.loadEnvFile(path);
  return true;
}

/**
 * Parses the environment into a `Config`. A bad value throws `ConfigError` naming the variable.
 * Without SALESFLEET_SECRET_KEY outside production, a key is generated once into
 * `<dataDir>/secret.key` (mode 0600) and reused; in production its absence is an error.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(variable, maskUrlsInText(issue.message));
  }
  const e = parsed.data;
  const nodeEnv: NodeEnv = e.NODE_ENV ?? 'development';
  const dataDir = resolve(e.SALESFLEET_DATA_DIR ?? './data');

  const baseDomains: string[] = [];
  for (const raw of e.SALESFLEET_BASE_DOMAINS ?? ['localhost']) {
    const host = normalizeHost(raw);
    if (!host || (raw.includes(':') && !host.includes(':'))) {
      throw new ConfigError('SALESFLEET_BASE_DOMAINS', `"${raw}" is not a domain name (list domains without scheme or port)`);
    }
    if (!baseDomains.includes(host)) baseDomains.push(host);
  }
  if (baseDomains.length === 0) throw new ConfigError('SALESFLEET_BASE_DOMAINS', 'must list at least one domain');

  const trustedProxies = e.SALESFLEET_TRUSTED_PROXIES ?? [];
  for (const p of trustedProxies) {
    if (!parseProxyEntry(p)) throw new ConfigError('SALESFLEET_TRUSTED_PROXIES', `"${p}" is not an IP address or CIDR range`);
  }

  let secretKey: string;
  let secretKeySource: Config['secretKeySource'];
  if (e.SALESFLEET_SECRET_KEY) {
    secretKey = e.SALESFLEET_SECRET_KEY;
    secretKeySource = 'env';
  } else if (nodeEnv === 'production') {
    throw new ConfigError('SALESFLEET_SECRET_KEY', 'is required when NODE_ENV=production (generate one with `openssl rand -base64 32`)');
  } else {
    ({ secretKey, secretKeySource } = developmentSecretKey(dataDir));
  }

  let backupSchedule: BackupSchedule | null;
  try {
    backupSchedule = parseBackupSchedule(e.SALESFLEET_BACKUP_SCHEDULE);
  } catch (err) {
    throw new ConfigError('SALESFLEET_BACKUP_SCHEDULE', (err as Error).message);
  }
  let healthIntervalMs: number | null;
  try {
    healthIntervalMs = parseHealthInterval(e.SALESFLEET_HEALTH_INTERVAL);
  } catch (err) {
    throw new ConfigError('SALESFLEET_HEALTH_INTERVAL', (err as Error).message);
  }

  let tenantServers: NewTenantServer[];
  try {
    tenantServers = parseTenantServers(e.SALESFLEET_TENANT_SERVERS ?? '');
  } catch (err) {
    const detail = (err as { details?: { message: string }[] }).details?.[0]?.message;
    throw new ConfigError('SALESFLEET_TENANT_SERVERS', maskUrlsInText(`${(err as Error).message}${detail ? ` (${detail})` : ''}`));
  }

  const config = {
    dataDir,
    registryUrl: e.SALESFLEET_REGISTRY_URL ?? registryFromDatabaseUrl(e.DATABASE_URL) ?? null,
    registryUrlFrom: e.SALESFLEET_REGISTRY_URL ? 'SALESFLEET_REGISTRY_URL' : e.DATABASE_URL ? 'DATABASE_URL' : null,
    tenantServerUrl: e.SALESFLEET_TENANT_SERVER_URL ?? null,
    tenantPoolerUrl: tenantPoolerUrl(e.SALESFLEET_TENANT_POOLER_URL, e.SALESFLEET_TENANT_SERVER_URL),
    tenantServers,
    baseDomains,
    secretKeySource,
    maxTenants: e.SALESFLEET_MAX_TENANTS ?? null,
    maxOpenTenants: e.SALESFLEET_MAX_OPEN_TENANTS ?? 100,
    tenantIdleMs: e.SALESFLEET_TENANT_IDLE_MS ?? 300_000,
    tenantPoolMax: e.SALESFLEET_TENANT_POOL_MAX ?? 3,
    serverConnectionBudget: e.SALESFLEET_SERVER_CONNECTIONS ?? null,
    schemaPoolMax: e.SALESFLEET_SCHEMA_POOL_MAX ?? 10,
    spareTenantInstances: e.SALESFLEET_SPARE_TENANT_INSTANCES ?? 8,
    spareSchemas: e.SALESFLEET_SPARE_SCHEMAS ?? 2,
    dbConnectTimeoutMs: e.SALESFLEET_DB_CONNECT_TIMEOUT_MS ?? 5_000,
    trustedProxies,
    port: e.PORT ?? 8000,
    nodeEnv,
    backupKeep: e.SALESFLEET_BACKUP_KEEP ?? null,
    backupKeepDays: e.SALESFLEET_BACKUP_KEEP_DAYS ?? null,
    backupSchedule,
    healthIntervalMs,
    jobLeaseMs: e.SALESFLEET_JOB_LEASE_MS ?? 30_000,
  } as Config;
  return hideSecrets(config, secretKey);
}

/** A pooler only makes sense in front of a PostgreSQL tenant server (PgBouncer speaks PostgreSQL). */
function tenantPoolerUrl(pooler: string | undefined, server: string | undefined): string | null {
  if (!pooler) return null;
  const isPostgres = (url: string) => /^postgres(ql)?:$/.test(new URL(url).protocol);
  if (!isPostgres(pooler)) throw new ConfigError('SALESFLEET_TENANT_POOLER_URL', 'must be a postgres:// URL (PgBouncer)');
  if (!server || !isPostgres(server)) {
    throw new ConfigError('SALESFLEET_TENANT_POOLER_URL', 'needs SALESFLEET_TENANT_SERVER_URL to name the PostgreSQL server it pools');
  }
  return pooler;
}

/**
 * The old system's DATABASE_URL names the registry when SALESFLEET_REGISTRY_URL is unset; it must be a
 * PostgreSQL or MySQL URL (the registry of a SQLite set-up is `<dataDir>/registry.sqlite`).
 */
function registryFromDatabaseUrl(url: string | undefined): string | null {
  if (!url) return null;
  const checked = serverUrl('the registry database (it is used because SALESFLEET_REGISTRY_URL is unset)').safeParse(url);
  if (!checked.success) throw new ConfigError('DATABASE_URL', maskUrlsInText(checked.error.issues[0]!.message));
  return checked.data;
}

/**
 * The key is not enumerable, and JSON / `util.inspect` show `describeConfig` (URL passwords masked),
 * so a config that ends up in a log line leaks nothing.
 */
function hideSecrets(config: Config, secretKey: string): Config {
  Object.defineProperty(config, 'secretKey', { value: secretKey, enumerable: false });
  Object.defineProperty(config, 'toJSON', { value: () => describeConfig(config), enumerable: false });
  Object.defineProperty(config, Symbol.for('nodejs.util.inspect.custom'), { value: () => describeConfig(config), enumerable: false });
  return config;
}

/** Builds a Config from explicit values (tests, embedding). Same defaults as `loadConfig`. */
export function makeConfig(values: Partial<Omit<Config, 'secretKey'>> & { dataDir: string; secretKey?: string }): Config {
  const base = loadConfig({
    SALESFLEET_DATA_DIR: values.dataDir,
    NODE_ENV: values.nodeEnv ?? 'test',
    ...(values.secretKey ? { SALESFLEET_SECRET_KEY: values.secretKey } : {}),
  });
  const { secretKey: _ignored, ...rest } = values;
  return hideSecrets({ ...base, ...rest } as Config, base.secretKey);
}

function developmentSecretKey(dataDir: string): { secretKey: string; secretKeySource: 'file' | 'generated' } {
  const path = join(dataDir, 'secret.key');
  try {
    makePrivateDir(dataDir);
    try {
      // 'wx' fails when the file exists: two processes starting at once agree on the first one's key.
      const generated = randomBytes(32).toString('base64url');
      writeFileSync(path, `${generated}\n`, { flag: 'wx', mode: 0o600 });
      return { secretKey: generated, secretKeySource: 'generated' };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    const key = readFileSync(path, 'utf8').trim();
    if (key.length < 32) {
      throw new ConfigError('SALESFLEET_SECRET_KEY', `${path} holds no usable key (under 32 characters); remove it or set the variable`);
    }
    return { secretKey: key, secretKeySource: 'file' };
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError('SALESFLEET_DATA_DIR', `cannot keep the development secret key in ${dataDir}: ${(err as Error).message}`);
  }
}

function parseProxyEntry(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address = '', prefixText] = entry.split('/');
  const v = isIP(address);
  if (v === 0) return null;
  const max = v === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (prefixText !== undefined && !/^[0-9]+$/.test(prefixText))) return null;
  return { address, prefix, family: v === 4 ? 'ipv4' : 'ipv6' };
}

/**
 * A predicate telling whether a socket peer address is one of the trusted proxies (IPs or CIDR ranges;
 * IPv4-mapped IPv6 peers such as `::ffff:10.0.0.1` match their IPv4 entries).
 */
export function trustedProxyMatcher(entries: readonly string[]): (peer: string | undefined | null) => boolean {
  if (entries.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    const p = parseProxyEntry(entry);
    if (!p) throw new ConfigError('SALESFLEET_TRUSTED_PROXIES', `"${entry}" is not an IP address or CIDR range`);
    list.addSubnet(p.address, p.prefix, p.family);
  }
  return (peer) => {
    if (!peer) return false;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(peer);
    const address = mapped ? mapped[1]! : peer;
    const v = isIP(address);
    if (v === 0) return false;
    return list.check(address, v === 4 ? 'ipv4' : 'ipv6');
  };
}

/** The configuration with secrets masked, for `doctor` and start-up logs. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    dataDir: config.dataDir,
    registry: config.registryUrl ? maskUrlsInText(config.registryUrl) : `sqlite:${join(config.dataDir, 'registry.sqlite')}`,
    registryFrom: config.registryUrlFrom ?? 'default',
    tenantServer: config.tenantServerUrl ? maskUrlsInText(config.tenantServerUrl) : null,
    tenantPooler: config.tenantPoolerUrl ? maskUrlsInText(config.tenantPoolerUrl) : null,
    tenantServers: config.tenantServers.map((s) => `${s.name}:${s.capacity}=${maskUrlsInText(s.url)}`),
    baseDomains: config.baseDomains,
    secretKey: `set (${config.secretKeySource})`,
    maxTenants: config.maxTenants,
    maxOpenTenants: config.maxOpenTenants,
    tenantIdleMs: config.tenantIdleMs,
    tenantPoolMax: config.tenantPoolMax,
    serverConnectionBudget: config.serverConnectionBudget,
    schemaPoolMax: config.schemaPoolMax,
    spareTenantInstances: config.spareTenantInstances,
    spareSchemas: config.spareSchemas,
    dbConnectTimeoutMs: config.dbConnectTimeoutMs,
    trustedProxies: config.trustedProxies,
    port: config.port,
    nodeEnv: config.nodeEnv,
    backupKeep: config.backupKeep,
    backupKeepDays: config.backupKeepDays,
    backupSchedule: config.backupSchedule?.text ?? 'off',
    healthInterval: config.healthIntervalMs === null ? 'off' : `${config.healthIntervalMs / 1000}s`,
    jobLeaseMs: config.jobLeaseMs,
  };
}

/** The registry's database: SALESFLEET_REGISTRY_URL, or `<dataDir>/registry.sqlite`. */
export function registrySpec(config: Config): DatabaseSpec {
  if (config.registryUrl) return parseDatabaseUrl(config.registryUrl);
  return { engine: 'sqlite', database: 'registry.sqlite', host: null, port: null, user: null, password: null };
}

export function tenantUrl(config: Config, slug: string): string {
  return `${platformOrigin(config, `${slug}.${config.baseDomains[0]}`)}/`;
}

export function platformUrl(config: Config): string {
  return `${platformOrigin(config, config.baseDomains[0]!)}/`;
}

function platformOrigin(config: Config, host: string): string {
  const production = config.nodeEnv === 'production';
  const showPort = !production && config.port !== 80 && config.port !== 0;
  return `${production ? 'https' : 'http'}://${host}${showPort ? `:${config.port}` : ''}`;
}
