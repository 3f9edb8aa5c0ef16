/**
 * `pnpm start`: builds the console and the workspace app if needed, migrates the registry, creates the first platform admin
 * (its one-time password printed once, on one line), optionally a demo tenant, and serves the API on
 * PORT (default 8000). SIGTERM/SIGINT: stop accepting, finish in-flight requests, close every tenant
 * connection and the registry.
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import * as modelsPackage from '@salesfleet/models';
import type { Logger } from 'pino';
import { adminDistDir } from '@salesfleet/admin';
import { workspaceDistDir } from '@salesfleet/workspace';
import {
  connectionBudgetWarnings,
  initRegistry,
  loadConfig,
  loadDotEnv,
  openTenancy,
  startScheduledBackups,
  registrySpec,
  type Config,
  type Tenancy,
} from '@salesfleet/tenancy';
import { createApp } from './app';
import { type ApiEnv, loadApiEnv } from './env';
import { createApiLogger } from './logger';
import { startServer, type RunningServer } from './server';
import { ensureConsoleBuilt, TENANT_WORKSPACE } from './start/ensure-console';
import { type Primary, relayRegistryChanges, startPrimary, workerConfig, workerCount } from './start/workers';
import { isSalesfleetError } from '@salesfleet/contracts';

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
function warnAboutConnectionBudget(tenancy: Tenancy, config: Config, logger: Logger): Promise<void> {
  return connectionBudgetWarnings(tenancy, { registrySpec: registrySpec(config) }).then(
    (warnings) => warnings.forEach((warning) => say(`warning: ${warning}`)),
    (err: unknown) => logger.warn({ err }, 'could not check the connection budget'),
  );
}

/** SIGTERM/SIGINT run `stop` once; a second signal exits at once (in a worker: the primary decides). */
function onSignals(stop: (signal: string) => Promise<void>, logger: Logger, worker: boolean): void {
  let stopping = false;
  const handle = (signal: string) => {
    if (stopping) {
      if (worker) return;
      say(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    stop(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => handle('SIGTERM'));
  process.on('SIGINT', () => handle('SIGINT'));
}

/** One full API process: serves on the configured port (shared with the other workers in a cluster). */
async function serve(config: Config, env: ApiEnv, logger: Logger, tenancy: Tenancy, workers: number): Promise<RunningServer> {
  let server: RunningServer | null = null;
  // Every process runs the schedule; a registry lock lets one at a time take each time's backups.
  const backups = config.backupSchedule ? startScheduledBackups({ ...tenancy, logger }, config.backupSchedule) : null;
  onSignals(
    async (signal) => {
      if (workers === 1) say(`${signal}: shutting down (finishing requests, closing tenant connections)…`);
      await server?.close({ graceMs: 5000 });
      await backups?.stop();
      await tenancy.close();
    },
    logger,
    cluster.isWorker,
  );
  const { app } = createApp(config, { tenancy, logger, bodyLimitBytes: env.SALESFLEET_BODY_LIMIT_BYTES });
  server = await startServer(app, { port: config.port });
  return server;
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const env = loadApiEnv();
  const logger = createApiLogger({ level: env.LOG_LEVEL });
  const workers = workerCount(env.SALESFLEET_WORKERS, availableParallelism());

  if (workers === 1) {
    const tenancy = await prepare(config, env, logger, { listen: true });
    const server = await serve(config, env, logger, tenancy, 1);
    sayRunning(config, server.port, 1);
    void warnAboutConnectionBudget(tenancy, config, logger);
    return;
  }

  if (cluster.isWorker) {
    // A worker: the primary has migrated the registry and made the first admin.
    const own = workerConfig(config, workers);
    const tenancy = await openTenancy(own, { listen: true, logger: logger.child({ component: 'tenancy' }) });
    // PostgreSQL registries notify every process themselves; otherwise the primary relays changes.
    if (tenancy.registry.sequelize.getDialect() !== 'postgres') relayRegistryChanges(tenancy.registry);
    await serve(own, env, logger, tenancy, workers);
    return;
  }

  // The primary: start-up work once, then the workers; it serves nothing itself.
  const tenancy = await prepare(config, env, logger, { listen: false });
  let primary: Primary | null = null;
  onSignals(
    async (signal) => {
      say(`${signal}: shutting down ${workers} workers (finishing requests, closing tenant connections)…`);
      await primary?.stop();
      await tenancy.close();
    },
    logger,
    false,
  );
  primary = await startPrimary({ workers, logger, say });
  sayRunning(config, primary.port, workers);
  await warnAboutConnectionBudget(tenancy, config, logger);
}

main().catch((err: unknown) => {
  // One clear line, never a stack trace with internals (messages of our errors carry no secrets).
  const message = isSalesfleetError(err) ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
  process.stderr.write(`Salesfleet could not start: ${message}\n`);
  process.exit(1);
});
