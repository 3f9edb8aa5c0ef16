/**
 * The baseline: the same `createApp` — the same middleware, the same tenant routes and session
 * check, the same query code — over ONE fixed tenant database opened once at start-up, with no host
 * router, no registry lookup and no connection cache. The database is opened with tenancy's
 * `openSequelize` and the same options its connection cache uses (timeouts, SQLite pragmas; the pool
 * size is BENCH_POOL_MAX, default 3 like a tenant handle), and its models come from `defineTenantModels`, so the only difference from the subject is
 * the tenancy layer: host → tenant resolution, the handle cache, one Sequelize instance per tenant.
 *
 * Env: the tenancy config (SALESFLEET_*), plus BENCH_DB_ENGINE (sqlite | postgres) and BENCH_DB_NAME
 * (SQLite: path in the data dir; PostgreSQL: database name on BENCH_PG_URL).
 * IPC: `capture-start` / `capture-stop` record the SQL the app sends (what the bare server replays).
 */
import { createApiLogger, createApp, LoginThrottle, startServer, type AppTenancy } from '@salesfleet/api';
import { defineTenantModels } from '@salesfleet/models';
import { loadConfig, openSequelize, parseDatabaseUrl, type DatabaseSpec, type TenantRecord } from '@salesfleet/tenancy';
import { tenantRecord } from '@salesfleet/tenancy/testing';
import { serveRequests } from '../lib/child';

const config = loadConfig(process.env);
const engine = process.env.BENCH_DB_ENGINE;
const name = process.env.BENCH_DB_NAME ?? '';
const spec: DatabaseSpec =
  engine === 'postgres'
    ? { ...parseDatabaseUrl(process.env.BENCH_PG_URL ?? ''), database: name }
    : { engine: 'sqlite', database: name, host: null, port: null, user: null, password: null };

const sequelize = openSequelize(spec, {
  dataDir: config.dataDir,
  tenant: true,
  poolMax: Number(process.env.BENCH_POOL_MAX ?? 3),
  connectTimeoutMs: config.dbConnectTimeoutMs,
  acquireTimeoutMs: config.dbConnectTimeoutMs,
});
let captured: string[] | null = null;
let server: Awaited<ReturnType<typeof startServer>> | null = null;
const options = (sequelize as unknown as { options: { logging: false | ((sql: string, query?: { bind?: unknown }) => void) } }).options;

/**
 * A logged statement as the bare server can replay it: bound values (`$1` … — the session lookup
 * binds the token hash) written into the text as literals, since the bare server sends no parameters.
 */
function replayable(sql: string, bind: unknown): string {
  const text = sql.replace(/^Executing \([^)]*\): /, '');
  if (!Array.isArray(bind)) return text;
  return text.replace(/\$(\d+)\b/g, (whole, n: string) => (Number(n) <= bind.length ? sequelize.escape(bind[Number(n) - 1]) : whole));
}

const child = serveRequests(
  {
    'capture-start': () => {
      captured = [];
      options.logging = (sql, query) => captured?.push(replayable(sql, query?.bind));
      return null;
    },
    'capture-stop': () => {
      const sql = captured ?? [];
      captured = null;
      options.logging = false;
      return sql;
    },
  },
  async () => {
    await server?.close({ graceMs: 2000 });
    await sequelize.close();
  },
);

await sequelize.authenticate().catch((err: unknown) => child.fail(err));
const models = defineTenantModels(sequelize);
const now = new Date();
const tenant = tenantRecord('baseline', {
  id: 1,
  name: 'Baseline',
  adminEmail: 'admin@baseline.example.com',
  db: {
    engine: spec.engine,
    host: spec.host,
    port: spec.port,
    name: spec.database,
    user: spec.user,
    passwordEncrypted: null,
    managed: true,
    key: null,
  },
  createdAt: now,
  updatedAt: now,
});
// `run` is the tenant's scope around a request (a transaction only for postgres-schema tenants): a plain call here.
const handle = { tenant, version: 1, sequelize, models, run: <T>(fn: () => Promise<T> | T): Promise<T> => Promise.resolve().then(fn) };
const lease = { handle, release: () => undefined };

// Every host is the one tenant; the handle is always open. Platform routes are not exercised.
const tenancy = {
  // Only its change events are used (by the session cache), and nothing changes here.
  registry: { onChange: () => () => undefined, emit: () => undefined } as unknown as AppTenancy['registry'],
  provisioner: {} as AppTenancy['provisioner'],
  router: {
    resolveHost: async (host: string | null | undefined) => ({
      kind: 'tenant' as const,
      host: String(host),
      tenant,
      via: 'subdomain' as const,
    }),
  },
  connections: {
    acquire: async () => lease,
    withTenant: async <T>(_t: TenantRecord, fn: (h: typeof handle) => Promise<T> | T) => fn(handle),
  },
  tenantUrl: (slug: string) => `http://${slug}.localhost/`,
  // As a listening `pnpm start` whose feed is up: no other process changes anything here, so every
  // change is always delivered and the session cache reuses entries as the subject's does.
  changeFeed: { confirmedAt: () => Date.now(), onResync: () => () => undefined },
} as unknown as AppTenancy;

// The API's own logger (as `pnpm start`): request lines to stdout (discarded by the runner, as a log
// shipper would take them); errors also to stderr, which lands in the run's log directory.
const logger = createApiLogger({ level: process.env.LOG_LEVEL ?? 'info', errorsToStderr: true });
// No registry here: the sign-in throttle counts in memory (sign-in is not exercised).
const { app } = createApp(config, { tenancy, logger, loginThrottle: new LoginThrottle() });
server = await startServer(app, { port: 0, hostname: '127.0.0.1' }).catch((err: unknown) => child.fail(err));
child.ready({ port: server.port, pid: process.pid });
