/**
 * `pnpm start`: builds the console and the workspace app if needed, migrates the registry, creates the first platform admin
 * (its one-time password printed once, on one line), optionally a demo tenant, and serves the API on
 * PORT (default 8000). SIGTERM/SIGINT: stop accepting, finish in-flight requests, close every tenant
 * connection and the registry.
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import { adminDistDir } from '@salesfleet/admin';
import { workspaceDistDir } from '@salesfleet/workspace';
import type { Tenancy } from '@salesfleet/tenancy';
// Only the configuration, not the package: tenancy's index loads Sequelize, the drivers and the
// models, which a cluster's primary loads only after forking its first worker (see main).
import { type Config, loadConfig, loadDotEnv } from '@salesfleet/tenancy/config';
import { isSalesfleetError } from '@salesfleet/contracts';
import { type ApiEnv, loadApiEnv } from './env';
import type { RunningServer } from './server';
import { ensureConsoleBuilt, TENANT_WORKSPACE } from './start/ensure-console';
import { clusterChangeOrigin, primaryPrepared, relayRegistryChanges, startPrimary, workerConfig, workerCount } from './start/workers';

/** The database layer and the logger (pino), loaded once the primary has forked (at once elsewhere). */
const tenancyPackage = () => import('@salesfleet/tenancy');

const say = (line: string) => process.stdout.write(`${line}\n`);

/**
 * The demo workspaces: `demo` trades in US dollars; `demo-eu` is a Paris café trading in euros (its
 * settings are applied before its demo data, since the currency is fixed once anything is posted).
 */
const DEMO_WORKSPACES = [
  { subdomain: 'demo', name: 'Demo Company', adminEmail: 'admin@demo.example', company: undefined },
  {
    subdomain: 'demo-eu',
    name: 'Café Démo SARL',
    adminEmail: 'admin@demo-eu.example',
    company: {
      currency: 'EUR',
      locale: 'fr-FR',
      timeZone: 'Europe/Paris',
      companyAddress: '12 rue de la Paix, 75002 Paris',
      companyTaxNumber: 'FR12345678901',
    },
  },
] as const;

async function createDemoTenant(tenancy: Tenancy): Promise<void> {
  const modelsPackage = await import('@salesfleet/models');
  const hasDemoData = typeof (modelsPackage as Record<string, unknown>).seedDemoData === 'function';
  for (const demo of DEMO_WORKSPACES) {
    const existing = await tenancy.registry.findTenant(demo.subdomain);
    if (existing) {
      say(`Demo workspace:  ${tenancy.tenantUrl(demo.subdomain)}  (exists; status ${existing.status})`);
      continue;
    }
    const created = await tenancy.provisioner.createTenant(
      {
        name: demo.name,
        subdomain: demo.subdomain,
        adminEmail: demo.adminEmail,
        adminUsername: 'admin',
        demoData: hasDemoData && !demo.company,
      },
      { actor: 'system:start --demo' },
    );
    if (hasDemoData && demo.company) {
      const company = demo.company;
      await tenancy.connections.withTenant(created.tenant, ({ models }) => modelsPackage.seedDemoData(models, { company }));
    }
    say(
      `Demo workspace:  ${created.url}  user: ${created.admin.username}  initial password: ${created.admin.oneTimePassword ?? '(as given)'}` +
        ' (change it at first sign-in)' +
        (hasDemoData ? '' : ' — no demo data yet: @salesfleet/models has no seedDemoData'),
    );
  }
}

/** What `pnpm start` prints once the API answers. */
function sayRunning(config: Config, port: number, workers: number): void {
  // Production sits behind an https proxy on the standard port; elsewhere show the bound port.
  const base = config.baseDomains[0]!;
  const origin = (host: string) => (config.nodeEnv === 'production' ? `https://${host}` : `http://${host}:${port}`);
  say(`Salesfleet is running on port ${port}${workers > 1 ? ` (${workers} workers)` : ''}`);
  say(`  Platform:        ${origin(base)}/`);
  say(`  Admin console:   ${origin(base)}/admin/`);
  say(`  Workspaces:      ${origin(`<slug>.${base}`)}/`);
  say(`  API docs:        ${origin(base)}/api/docs`);
}

/**
 * The one-time start-up work (console build check, registry migrations, the first platform admin, the
 * demo workspaces) on an open tenancy; then the connection budget check in the background (it asks
 * every PostgreSQL/MySQL tenant server), which `close` waits for.
 */
async function prepare(config: Config, env: ApiEnv, logger: Logger, options: { listen: boolean }): Promise<Tenancy> {
  if (!env.SALESFLEET_SKIP_CONSOLE_BUILD) {
    ensureConsoleBuilt(adminDistDir, say);
    ensureConsoleBuilt(workspaceDistDir, say, TENANT_WORKSPACE);
  }
  const { initRegistry, openTenancy } = await tenancyPackage();
  const tenancy = await openTenancy(config, {
    migrateRegistry: true,
    listen: options.listen,
    logger: logger.child({ component: 'tenancy' }),
  });
  try {
    const init = await initRegistry(tenancy, { actor: 'system:start' });
    if (init.admin?.oneTimePassword) {
      say(`Platform admin: ${init.admin.username}  one-time password: ${init.admin.oneTimePassword}`);
    } else if (init.admin) {
      say(`Platform admin: ${init.admin.username}`);
    }
    if (env.SALESFLEET_DEMO || process.argv.slice(2).includes('--demo')) await createDemoTenant(tenancy);
  } catch (err) {
    await tenancy.close().catch(() => undefined);
    throw err;
  }
  return tenancy;
}

/** Open tenants × pool max above a tenant server's max_connections shows up later as 503s under load. */
async function warnAboutConnectionBudget(tenancy: Tenancy, config: Config, logger: Logger): Promise<void> {
  const { connectionBudgetWarnings, registrySpec } = await tenancyPackage();
  return connectionBudgetWarnings(tenancy, { registrySpec: registrySpec(config) }).then(
    (warnings) => warnings.forEach((warning) => say(`warning: ${warning}`)),
    (err: unknown) => logger.warn({ err }, 'could not check the connection budget'),
  );
}

/**
 * SIGTERM/SIGINT, handled from the first moment of start-up (a signal that found no handler would kill
 * the process outright: no drain, workers left behind). The first signal waits for the start-up step
 * in progress to end (start-up starts nothing new once `stopping`), then runs every registered stop,
 * last registered first, and exits 0; a second signal exits at once (in a worker: the primary decides).
 */
class Lifecycle {
  stopping = false;
  private readonly stops: (() => Promise<void>)[] = [];
  private startup: Promise<unknown> = Promise.resolve();
  private stopRequested!: () => void;
  /** Resolves at the first signal: a start-up step that waits on something else races with it. */
  readonly stopSignal = new Promise<void>((resolve) => (this.stopRequested = resolve));

  constructor(
    /** Loaded after start-up began (a cluster's primary forks first). */
    private readonly logger: Promise<Logger>,
    private readonly worker: boolean,
    private readonly announce: (signal: string) => void,
  ) {
    process.on('SIGTERM', () => this.handle('SIGTERM'));
    process.on('SIGINT', () => this.handle('SIGINT'));
  }

  /** The start-up, which a signal waits for before stopping what it started. */
  starting(startup: Promise<unknown>): Promise<unknown> {
    this.startup = startup;
    return startup;
  }

  /** What closes a part once started (run in reverse order at shutdown). */
  onStop(stop: () => Promise<void>): void {
    this.stops.push(stop);
  }

  private handle(signal: string): void {
    if (this.stopping) {
      if (this.worker) return;
      say(`${signal} again: exiting now`);
      process.exit(1);
    }
    this.stopping = true;
    this.stopRequested();
    this.announce(signal);
    this.startup
      .catch(() => undefined)
      .then(async () => {
        for (const stop of this.stops.reverse()) await stop();
      })
      .then(
        () => process.exit(0),
        async (err: unknown) => {
          await this.logger.then((logger) => logger.error({ err }, 'shutdown failed')).catch(() => undefined);
          process.exit(1);
        },
      );
  }
}

/** One full API process: serves on the configured port (shared with the other workers in a cluster). */
async function serve(config: Config, env: ApiEnv, logger: Logger, tenancy: Tenancy, lifecycle: Lifecycle): Promise<RunningServer | null> {
  const { startHealthSchedule, startScheduledBackups } = await tenancyPackage();
  // Every process runs the schedule; a registry lock lets one at a time take each time's backups.
  const backups = config.backupSchedule ? startScheduledBackups({ ...tenancy, logger }, config.backupSchedule) : null;
  if (backups) lifecycle.onStop(() => backups.stop());
  // Fleet jobs left by a stopped process are resumed here (at start, then every half lease); every
  // process runs the health schedule, a registry lock lets one job run at a time.
  tenancy.jobs.startSweeper();
  const health = config.healthIntervalMs ? startHealthSchedule(tenancy.jobs, config.healthIntervalMs, logger) : null;
  if (health) lifecycle.onStop(async () => health.stop());
  // Loaded here: a cluster's primary serves nothing and never loads the app.
  const [{ createApp }, { startServer }] = await Promise.all([import('./app'), import('./server')]);
  if (lifecycle.stopping) return null;
  const { app } = createApp(config, { tenancy, logger, bodyLimitBytes: env.SALESFLEET_BODY_LIMIT_BYTES });
  const server = await startServer(app, { port: config.port });
  lifecycle.onStop(() => server.close({ graceMs: 5000 }));
  return server;
}

/** One process serving everything (SALESFLEET_WORKERS=1). */
async function single(config: Config, env: ApiEnv, logger: Logger, lifecycle: Lifecycle): Promise<void> {
  const tenancy = await prepare(config, env, logger, { listen: true });
  lifecycle.onStop(() => tenancy.close());
  if (lifecycle.stopping) return;
  const server = await serve(config, env, logger, tenancy, lifecycle);
  if (!server) return;
  sayRunning(config, server.port, 1);
  void warnAboutConnectionBudget(tenancy, config, logger);
}

/** A cluster worker: loads the app, then waits until the primary has migrated the registry and made the first admin. */
async function worker(config: Config, env: ApiEnv, logger: Logger, lifecycle: Lifecycle, workers: number): Promise<void> {
  const own = workerConfig(config, workers);
  // Compiled while the primary works (serve() awaits the same modules; a failure surfaces there).
  Promise.all([import('./app'), import('./server')]).catch(() => undefined);
  await Promise.race([primaryPrepared(), lifecycle.stopSignal]);
  if (lifecycle.stopping) return;
  const changeOrigin = clusterChangeOrigin();
  const { openTenancy } = await tenancyPackage();
  const tenancy = await openTenancy(own, {
    listen: true,
    logger: logger.child({ component: 'tenancy' }),
    ...(changeOrigin ? { changeOrigin } : {}),
  });
  lifecycle.onStop(() => tenancy.close());
  // PostgreSQL registries notify every process themselves; otherwise the primary relays changes.
  if (tenancy.registry.sequelize.getDialect() !== 'postgres') relayRegistryChanges(tenancy.registry);
  if (lifecycle.stopping) return;
  await serve(own, env, logger, tenancy, lifecycle);
}

/**
 * The cluster's primary: it serves nothing itself. The first worker is forked at once and loads the
 * app while the primary does the one-time start-up work; then the workers open the registry and
 * listen (see startPrimary). Its start-up ends once that work is done (a signal then stops the workers
 * whether they listen yet or not); "running" is said once every worker listens.
 */
async function primary(config: Config, env: ApiEnv, loading: Promise<Logger>, lifecycle: Lifecycle, workers: number): Promise<void> {
  // Forked before this process loads the database layer or pino: the worker loads the app meanwhile.
  const cluster = startPrimary({
    workers,
    cores: availableParallelism(),
    logger: { error: (fields, message) => void loading.then((logger) => logger.error(fields, message)) },
    say,
  });
  let tenancy: Tenancy | undefined;
  lifecycle.onStop(async () => {
    await cluster.stop();
    await tenancy?.close();
  });
  let logger: Logger | undefined;
  void cluster.ready.then(
    async (port) => {
      sayRunning(config, port, workers);
      if (tenancy && logger) await warnAboutConnectionBudget(tenancy, config, logger);
    },
    (err: unknown) => {
      if (lifecycle.stopping) return;
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`Salesfleet could not start: ${message}\n`);
      void (tenancy?.close() ?? Promise.resolve()).finally(() => process.exit(1));
    },
  );
  try {
    logger = await loading;
    tenancy = await prepare(config, env, logger, { listen: false });
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  if (lifecycle.stopping) return;
  cluster.prepared();
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const env = loadApiEnv();
  const workers = workerCount(env.SALESFLEET_WORKERS, availableParallelism());
  // pino loads while a cluster's primary forks (it starts no worker after loading it).
  const logger = import('./logger').then(({ createApiLogger }) => createApiLogger({ level: env.LOG_LEVEL }));
  const lifecycle = new Lifecycle(logger, cluster.isWorker, (signal) => {
    if (cluster.isWorker) return;
    say(
      workers === 1
        ? `${signal}: shutting down (finishing requests, closing tenant connections)…`
        : `${signal}: shutting down ${workers} workers (finishing requests, closing tenant connections)…`,
    );
  });
  if (workers > 1 && cluster.isPrimary) await lifecycle.starting(primary(config, env, logger, lifecycle, workers));
  else {
    const run = logger.then((loaded) =>
      workers === 1 ? single(config, env, loaded, lifecycle) : worker(config, env, loaded, lifecycle, workers),
    );
    await lifecycle.starting(run);
  }
}

main().catch((err: unknown) => {
  // One clear line, never a stack trace with internals (messages of our errors carry no secrets).
  const message = isSalesfleetError(err) ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
  process.stderr.write(`Salesfleet could not start: ${message}\n`);
  process.exit(1);
});
