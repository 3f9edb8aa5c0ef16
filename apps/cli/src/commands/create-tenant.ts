import {
  parseDatabaseUrl,
  type AdoptedTenant,
  type CreateTenantInput,
  type CreatedTenant,
  type DatabaseParams,
  type DryRunResult,
  type Tenancy,
} from '@salesfleet/tenancy';
import { cliActor, withTenancy, type CommandContext } from '../context';
import { CliError, EXIT_USAGE, ReportedFailure, errorLine, exitCodeOf } from '../errors';
import { withoutInterruption } from '../interrupt';
import { formatDate, formatMs } from '../output';
import { rememberSecret } from '../secrets';
import { StepReporter } from '../step-reporter';
import { tenantJson } from '../tenant-json';

/** Flags of `create-tenant`, spelled as the Django `create_tenant` / `create_production_tenant` had them. */
export interface CreateTenantFlags {
  databaseUrl?: string;
  databaseEngine?: string;
  databaseHost?: string;
  databasePort?: number;
  databaseUser?: string;
  databasePassword?: string;
  databaseName?: string;
  /** postgres-schema: an existing empty schema to use (default t_<subdomain>). */
  databaseSchema?: string;
  maxUsers?: number;
  multiLocation?: boolean;
  adminUsername?: string;
  adminPassword?: string;
  trialDays?: number;
  demoData?: boolean;
  skipDemoData?: boolean;
  dryRun?: boolean;
  json?: boolean;
  /** A custom domain to add once the tenant exists (the old create_tenant --domain). */
  domain?: string;
  primaryDomain?: boolean;
  /** Register this existing Salesfleet database instead of creating one (the old manual_setup_tenant). */
  adoptDatabase?: string;
  /**
   * The old `create_tenant --schema X` (django-tenants): a `postgres-schema` tenant when the tenant
   * server is PostgreSQL and no database was placed (`--database-name` names the shared database);
   * else the default placement.
   */
  djangoSchema?: boolean;
}

export const STEP_LABELS: Record<string, string> = {
  validate: 'Check limits',
  register: 'Reserve the subdomain in the registry',
  create_database: 'Create the database',
  migrate: 'Migrate the schema',
  seed: 'Seed groups, permissions, chart of accounts, first location and admin',
  demo_data: 'Load demo data',
  activate: 'Activate',
};

function urlPassword(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : null;
  } catch {
    return null;
  }
}

/**
 * Maps the command line (and SALESFLEET_ADMIN_PASSWORD / SALESFLEET_DATABASE_PASSWORD) onto the
 * provisioner's input. Pure, so the flag mapping is unit-tested; `warnings` tell the user about
 * passwords typed on the command line.
 */
export function buildCreateInput(
  name: string,
  subdomain: string,
  adminEmail: string,
  flags: CreateTenantFlags,
  env: NodeJS.ProcessEnv,
): { input: CreateTenantInput; warnings: string[]; secrets: string[] } {
  const warnings: string[] = [];
  const secrets: string[] = [];
  const history = 'ends up in your shell history and the process list';

  let adminPassword = flags.adminPassword;
  if (adminPassword !== undefined) {
    warnings.push(
      `--admin-password ${history}; prefer SALESFLEET_ADMIN_PASSWORD=… in the environment, or leave it out to get a one-time password`,
    );
  } else if (env.SALESFLEET_ADMIN_PASSWORD) {
    adminPassword = env.SALESFLEET_ADMIN_PASSWORD;
  }
  if (adminPassword) secrets.push(adminPassword);

  const fromUrl = urlPassword(flags.databaseUrl);
  if (fromUrl) {
    warnings.push(`the password inside --database-url ${history}; leave it out of the URL and set SALESFLEET_DATABASE_PASSWORD instead`);
    secrets.push(fromUrl);
  }
  let databasePassword = flags.databasePassword;
  if (databasePassword !== undefined) {
    warnings.push(`--database-password ${history}; prefer SALESFLEET_DATABASE_PASSWORD=… in the environment`);
  }

  const database: DatabaseParams = {};
  if (flags.databaseUrl) database.url = flags.databaseUrl;
  if (flags.databaseEngine) database.engine = flags.databaseEngine;
  if (flags.databaseHost) database.host = flags.databaseHost;
  if (flags.databasePort !== undefined) database.port = flags.databasePort;
  if (flags.databaseUser) database.user = flags.databaseUser;
  if (flags.databaseName) database.name = flags.databaseName;
  if (flags.databaseSchema) database.schema = flags.databaseSchema;
  // The environment's password applies to a server named on the command line, never on its own
  // (a managed database on SALESFLEET_TENANT_SERVER_URL carries its password in that URL).
  const namesServer = Boolean(
    database.url || database.host || database.user || database.port !== undefined || database.name || database.engine,
  );
  if (databasePassword === undefined && !fromUrl && namesServer && env.SALESFLEET_DATABASE_PASSWORD) {
    databasePassword = env.SALESFLEET_DATABASE_PASSWORD;
  }
  if (databasePassword) {
    database.password = databasePassword;
    secrets.push(databasePassword);
  }

  const input: CreateTenantInput = {
    name,
    subdomain,
    adminEmail,
    ...(flags.adminUsername !== undefined ? { adminUsername: flags.adminUsername } : {}),
    ...(adminPassword ? { adminPassword } : {}),
    ...(Object.keys(database).length > 0 ? { database } : {}),
    maxUsers: flags.maxUsers ?? 50,
    multiLocation: flags.multiLocation === true,
    ...(flags.trialDays !== undefined ? { trialDays: flags.trialDays } : {}),
    demoData: flags.demoData === true && flags.skipDemoData !== true,
  };
  return { input, warnings, secrets };
}

export async function createTenantCommand(
  ctx: CommandContext,
  name: string,
  subdomain: string,
  adminEmail: string,
  flags: CreateTenantFlags,
): Promise<void> {
  const { out } = ctx;
  if (flags.adoptDatabase !== undefined) return adoptDatabaseCommand(ctx, name, subdomain, adminEmail, flags);
  const { input, warnings, secrets } = buildCreateInput(name, subdomain, adminEmail, flags, process.env);
  for (const s of secrets) rememberSecret(s);
  for (const w of warnings) out.warn(w);

  await withTenancy(ctx, {}, async (tenancy) => {
    const server = tenancy.config.tenantServerUrl;
    const namesOnlyDatabase = !input.database || Object.keys(input.database).every((k) => k === 'name');
    if (flags.djangoSchema && namesOnlyDatabase && server && parseDatabaseUrl(server).engine === 'postgres') {
      input.database = { ...input.database, engine: 'postgres-schema' };
      if (!flags.json)
        out.note('note: --schema makes a schema tenant in a shared database (--database-engine postgres-schema), as django-tenants did');
    }
    if (flags.dryRun) return dryRun(ctx, tenancy, input, flags);
    const reporter = new StepReporter(out, STEP_LABELS);
    let created: CreatedTenant;
    try {
      created = await withoutInterruption(
        out,
        'Creating a tenant',
        `Run the same create-tenant again to clean up and retry (after 10 minutes, when the half-made "${subdomain}" counts as abandoned).`,
        () =>
          tenancy.provisioner.createTenant(input, {
            actor: cliActor(),
            onStep: (step) => {
              if (!flags.json) reporter.start(step);
            },
          }),
      );
      reporter.succeed();
    } catch (err) {
      reporter.fail();
      throw await explainFailure(tenancy, subdomain, reporter.lastStep, err);
    }
    await addCustomDomain(ctx, tenancy, created.tenant.slug, flags);
    if (flags.json) {
      await out.json({
        tenant: tenantJson(tenancy, created.tenant),
        admin: created.admin,
        url: created.url,
        database: created.database,
        durationMs: created.durationMs,
        steps: created.steps,
      });
      return;
    }
    printCreated(ctx, created);
  });
}

function printCreated(ctx: CommandContext, created: CreatedTenant): void {
  const { out } = ctx;
  const t = created.tenant;
  const limits = [
    `${t.maxUsers} users`,
    t.multiLocation ? 'multi-location' : 'single location',
    ...(t.trialEndsAt ? [`trial until ${formatDate(t.trialEndsAt)} UTC`] : []),
  ].join(', ');
  out.line();
  out.line(out.green(`Tenant "${t.name}" (${t.slug}) is ready in ${formatMs(created.durationMs)}.`));
  out.line(`  URL:       ${created.url}`);
  out.line(`  Admin:     ${created.admin.username} <${created.admin.email}>`);
  out.line(`  Database:  ${created.database}`);
  out.line(`  Limits:    ${limits}`);
  if (created.admin.oneTimePassword) {
    out.line(`  One-time password:  ${out.bold(created.admin.oneTimePassword)}`);
    out.line();
    out.line(out.yellow('  ! This password is shown once and stored nowhere in clear. Hand it to the admin now;'));
    out.line(out.yellow('    they must change it at first sign-in.'));
  } else {
    out.line('  Password:  as given (not shown)');
  }
}

/**
 * One line that names the failing step and what was left behind. The provisioner undoes every step
 * it completed; a row still in the registry means the undo itself failed (status `failed`), which a
 * retry of the same command cleans up.
 */
async function explainFailure(tenancy: Tenancy, slug: string, step: string | null, err: unknown): Promise<Error> {
  const code = (err as { code?: string }).code;
  if (step === null || code === 'ProvisioningFailed') return err as Error;
  let tail: string;
  if (step === 'validate' || code === 'SlugTaken') {
    tail = 'nothing was created';
  } else {
    const leftover = await tenancy.registry.findTenant(slug).catch((lookupErr: unknown) => {
      tenancy.logger.warn({ err: lookupErr, tenant: slug }, 'could not look up what the failed create-tenant left behind');
      return undefined;
    });
    if (leftover === null) tail = 'everything it created was removed; nothing was left behind';
    else if (leftover?.status === 'failed')
      tail = 'cleanup was incomplete: the tenant is marked failed; run the same command again to clean up and retry';
    else tail = 'check `list-tenants` for what was left';
  }
  const message = `creating tenant "${slug}" failed at step "${step}" (${STEP_LABELS[step] ?? step}): ${errorLine(err)}; ${tail}`;
  return new CliError(message, exitCodeOf(err), { cause: err });
}

async function dryRun(ctx: CommandContext, tenancy: Tenancy, input: CreateTenantInput, flags: CreateTenantFlags): Promise<void> {
  const { out } = ctx;
  const result: DryRunResult = await tenancy.provisioner.createTenant(input, { actor: cliActor(), dryRun: true });
  if (flags.json) {
    await out.json(result);
  } else {
    out.line(`Dry run for "${input.subdomain}" — nothing was changed.`);
    const width = Math.max(...result.checks.map((c) => c.name.length));
    for (const c of result.checks) {
      out.line(`  ${c.ok ? out.green('ok  ') : out.red('FAIL')}  ${c.name.padEnd(width)}  ${c.message}`);
    }
    out.line(
      result.ok
        ? 'All checks passed: the same command without --dry-run would create the tenant.'
        : 'Some checks failed: fix them before creating the tenant.',
    );
  }
  if (!result.ok) throw new ReportedFailure();
}

const ADOPT_LABELS: Record<string, string> = {
  copy: 'Copy the SQLite file into the data directory',
  inspect: 'Check it is a Salesfleet tenant database and its schema version',
  register: 'Register it (one database, one tenant)',
  migrate: 'Migrate it up',
  activate: 'Activate',
};

/** Flags that make a new database or its admin, meaningless when the database and its users exist. */
const NOT_WITH_ADOPT: [keyof CreateTenantFlags, string][] = [
  ['databaseUrl', '--database-url'],
  ['databaseEngine', '--database-engine'],
  ['databaseHost', '--database-host'],
  ['databasePort', '--database-port'],
  ['databaseUser', '--database-user'],
  ['databaseName', '--database-name'],
  ['databaseSchema', '--database-schema'],
  ['adminUsername', '--admin-username'],
  ['adminPassword', '--admin-password'],
  ['demoData', '--demo-data'],
  ['dryRun', '--dry-run'],
];

/** The database an `--adopt-database` value names: a URL, or a plain path to a SQLite file. */
export function adoptedDatabaseParams(value: string, flags: CreateTenantFlags, env: NodeJS.ProcessEnv): DatabaseParams {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(value)) return { engine: 'sqlite', name: value };
  const params: DatabaseParams = { url: value };
  const password = flags.databasePassword ?? (urlPassword(value) ? undefined : env.SALESFLEET_DATABASE_PASSWORD);
  if (password && !/^sqlite3?:/i.test(value)) params.password = password;
  return params;
}

async function adoptDatabaseCommand(
  ctx: CommandContext,
  name: string,
  subdomain: string,
  adminEmail: string,
  flags: CreateTenantFlags,
): Promise<void> {
  const { out } = ctx;
  const clash = NOT_WITH_ADOPT.filter(([key]) => flags[key] !== undefined && flags[key] !== false).map(([, flag]) => flag);
  if (clash.length > 0) {
    throw new CliError(
      `--adopt-database registers a database that already holds its users and data; it does not take ${clash.join(', ')}`,
      EXIT_USAGE,
    );
  }
  const value = flags.adoptDatabase ?? '';
  const database = adoptedDatabaseParams(value, flags, process.env);
  for (const secret of [urlPassword(value), database.password]) if (secret) rememberSecret(secret);
  if (urlPassword(value)) {
    out.warn(
      'the password inside --adopt-database ends up in your shell history and the process list; leave it out of the URL and set SALESFLEET_DATABASE_PASSWORD instead',
    );
  }

  await withTenancy(ctx, {}, async (tenancy) => {
    const reporter = new StepReporter(out, ADOPT_LABELS);
    let adopted: AdoptedTenant;
    try {
      adopted = await withoutInterruption(
        out,
        'Adopting a database',
        'Run the same command again: nothing half-registered stays behind.',
        () =>
          tenancy.provisioner.adoptTenant(
            {
              name,
              subdomain,
              adminEmail,
              database,
              maxUsers: flags.maxUsers ?? 50,
              multiLocation: flags.multiLocation === true,
              ...(flags.trialDays !== undefined ? { trialDays: flags.trialDays } : {}),
            },
            {
              actor: cliActor(),
              onStep: (step) => {
                if (!flags.json) reporter.start(step);
              },
            },
          ),
      );
      reporter.succeed();
    } catch (err) {
      reporter.fail();
      throw err;
    }
    await addCustomDomain(ctx, tenancy, adopted.tenant.slug, flags);
    if (flags.json) {
      await out.json({ ...adopted, tenant: tenantJson(tenancy, adopted.tenant) });
      return;
    }
    const t = adopted.tenant;
    out.line();
    out.line(out.green(`Tenant "${t.name}" (${t.slug}) adopted its database in ${formatMs(adopted.durationMs)}.`));
    out.line(`  URL:       ${adopted.url}`);
    out.line(
      `  Database:  ${adopted.database}${adopted.copiedFrom ? ` (copied from ${adopted.copiedFrom}, which is left as it was)` : ''}`,
    );
    out.line(
      `  Schema:    ${adopted.applied.length > 0 ? `migrated from ${adopted.schemaVersionBefore} (${adopted.applied.length} applied)` : `up to date (${adopted.schemaVersionBefore})`}`,
    );
    out.line(`  Users:     ${adopted.activeUsers} active; they sign in with their existing passwords`);
    if (adopted.activeUsers === 0) {
      out.line(out.yellow(`  ! No active user: \`${ctx.invokedAs} tenant-users ${t.slug} --create-admin <username> --email <address>\``));
    }
  });
}

/**
 * `--domain D`: the old commands named the tenant's domain. Its own subdomain host is served already;
 * any other domain is added as a custom domain (primary with --primary-domain). A domain that cannot
 * be added fails the command, with the tenant kept (the message says how to add it later).
 */
async function addCustomDomain(ctx: CommandContext, tenancy: Tenancy, slug: string, flags: CreateTenantFlags): Promise<void> {
  const domain = flags.domain?.trim().toLowerCase().replace(/\.$/, '');
  if (!domain) return;
  if (tenancy.config.baseDomains.some((base) => domain === `${slug}.${base}`)) return;
  try {
    await tenancy.provisioner.addDomain(slug, domain, { actor: cliActor(), primary: flags.primaryDomain === true });
  } catch (err) {
    throw new CliError(
      `tenant "${slug}" was created, but its domain ${domain} was not added: ${errorLine(err)}; add it with \`${ctx.invokedAs} domains add ${slug} <domain>\``,
      exitCodeOf(err),
      { cause: err },
    );
  }
  if (!flags.json) ctx.out.note(`domain ${domain} added${flags.primaryDomain ? ' as the primary domain' : ''}`);
}
