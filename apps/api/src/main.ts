/**
 * `pnpm start`: builds the console and the workspace app if needed, migrates the registry, creates the first platform admin
 * (its one-time password printed once, on one line), optionally a demo tenant, and serves the API on
 * PORT (default 8000). SIGTERM/SIGINT: stop accepting, finish in-flight requests, close every tenant
 * connection and the registry.
 */
import * as modelsPackage from '@salesfleet/models';
import { adminDistDir } from '@salesfleet/admin';
import { workspaceDistDir } from '@salesfleet/workspace';
import {
  connectionBudgetWarnings,
  initRegistry,
  loadConfig,
  loadDotEnv,
  openTenancy,
  registrySpec,
  type Tenancy,
} from '@salesfleet/tenancy';
import { createApp } from './app';
import { loadApiEnv } from './env';
import { createApiLogger } from './logger';
import { startServer, type RunningServer } from './server';
import { ensureConsoleBuilt, TENANT_WORKSPACE } from './start/ensure-console';
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

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const env = loadApiEnv();
  const demo = env.SALESFLEET_DEMO || process.argv.slice(2).includes('--demo');
  const logger = createApiLogger({ level: env.LOG_LEVEL });

  if (!env.SALESFLEET_SKIP_CONSOLE_BUILD) {
    ensureConsoleBuilt(adminDistDir, say);
    ensureConsoleBuilt(workspaceDistDir, say, TENANT_WORKSPACE);
  }

  const tenancy = await openTenancy(config, { migrateRegistry: true, listen: true, logger: logger.child({ component: 'tenancy' }) });
  let server: RunningServer | null = null;
  let stopping: Promise<void> | null = null;
  const shutdown = (signal: string) => {
    if (stopping) {
      say(`${signal} again: exiting now`);
      process.exit(1);
    }
    say(`${signal}: shutting down (finishing requests, closing tenant connections)…`);
    stopping = (async () => {
      await server?.close({ graceMs: 5000 });
      await tenancy.close();
    })().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  const init = await initRegistry(tenancy, { actor: 'system:start' });
  if (init.admin?.oneTimePassword) {
    say(`Platform admin: ${init.admin.username}  one-time password: ${init.admin.oneTimePassword}`);
  } else if (init.admin) {
    say(`Platform admin: ${init.admin.username}`);
  }
  if (demo) await createDemoTenant(tenancy);

  const { app } = createApp(config, { tenancy, logger, bodyLimitBytes: env.SALESFLEET_BODY_LIMIT_BYTES });
  server = await startServer(app, { port: config.port });
  // Production sits behind an https proxy on the standard port; elsewhere show the bound port.
  const base = config.baseDomains[0]!;
  const origin = (host: string) => (config.nodeEnv === 'production' ? `https://${host}` : `http://${host}:${server!.port}`);
  say(`Salesfleet is running on port ${server.port}`);
  say(`  Platform:        ${origin(base)}/`);
  say(`  Admin console:   ${origin(base)}/admin/`);
  say(`  Workspaces:      ${origin(`<slug>.${base}`)}/`);
  say(`  API docs:        ${origin(base)}/api/docs`);

  // Open tenants × pool max above a tenant server's max_connections shows up later as 503s under
  // load; say so now, without holding up start-up (it asks every PostgreSQL/MySQL tenant server).
  void connectionBudgetWarnings(tenancy, { registrySpec: registrySpec(config) }).then(
    (warnings) => warnings.forEach((warning) => say(`warning: ${warning}`)),
    (err: unknown) => logger.warn({ err }, 'could not check the connection budget'),
  );
}

main().catch((err: unknown) => {
  // One clear line, never a stack trace with internals (messages of our errors carry no secrets).
  const message = isSalesfleetError(err) ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
  process.stderr.write(`Salesfleet could not start: ${message}\n`);
  process.exit(1);
});
