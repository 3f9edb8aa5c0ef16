import { FLEET_WORKERS_FROM_TENANTS } from '@salesfleet/tenancy/migrate-workers';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CommandContext } from './context';
import { legacyHelp } from './legacy-names';

/**
 * The command tree. Only commander (and tenancy's migrate-workers, which loads no database layer, for
 * the help's threshold) is loaded here: each action imports its module (and with it the
 * tenancy package, Sequelize and the database drivers) when it runs, so `--help` and usage errors
 * answer at once.
 */
export function buildProgram(ctx: CommandContext, version: string): Command {
  const $ = ctx.invokedAs;
  const program = new Command(ctx.invokedAs.includes(' ') ? 'cli' : ctx.invokedAs);
  program
    .usage('<command> [options]')
    .description('Operate Salesfleet from a shell: the registry, tenants, their databases and migrations.')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand(false)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureHelp({
      sortSubcommands: false,
      showGlobalOptions: false,
      // Names only in the command list: each command's --help shows its arguments.
      subcommandTerm: (cmd) => [cmd.name(), ...cmd.aliases()].join(', '),
    });
  // Show the command the way the user typed it (`pnpm cli create-tenant …`).
  if (ctx.invokedAs.includes(' ')) program.name(ctx.invokedAs);

  program.addHelpText(
    'after',
    `
Examples:
  $ ${$} init
  $ ${$} create-tenant "Acme Ltd" acme admin@acme.test
  $ ${$} list-tenants
  $ ${$} migrate-tenants --check
  $ pnpm -s cli list-tenants --json | jq '.tenants[].slug'   (-s keeps pnpm's banner out of the JSON)

Old command names (the Django system's management commands still work, with their flags):
${legacyHelp()}

Environment: SALESFLEET_DATA_DIR (default ./data), SALESFLEET_REGISTRY_URL, SALESFLEET_TENANT_SERVER_URL,
SALESFLEET_TENANT_SERVERS (name:capacity=url …, registered at start), SALESFLEET_BASE_DOMAINS, SALESFLEET_SECRET_KEY (.env in the current directory is read).
SALESFLEET_DEBUG=1 prints stack traces. Exit status: 0 success, 1 failure, 2 bad usage or invalid input.`,
  );

  const examples = (cmd: Command, lines: [string, string?][]) =>
    cmd.addHelpText(
      'after',
      `\nExamples:\n${lines.map(([line, comment]) => `  $ ${$} ${line}${comment ? `\n      ${comment}` : ''}`).join('\n')}`,
    );
  const json = () => new Option('--json', 'print the result as JSON');

  // ── Setup ───────────────────────────────────────────────────────────────────────────────────────
  program.commandsGroup('Setup:');
  examples(
    program
      .command('init')
      .description('migrate the registry and create the first platform admin (idempotent)')
      .option('--admin-username <name>', 'platform admin username (default admin)')
      .option('--admin-email <email>', 'platform admin email')
      .option(
        '--admin-password <password>',
        'platform admin password (prefer SALESFLEET_PLATFORM_ADMIN_PASSWORD or the prompt; default: a generated one-time password)',
      )
      .addOption(json())
      .action(async (flags) => (await import('./commands/init')).initCommand(ctx, flags)),
    [
      ['init', 'asks for the admin on a terminal; otherwise prints a one-time password once'],
      ['init --admin-username ops --admin-email ops@example.com', 'generated one-time password, shown once'],
      ['init', 'again: "registry already up to date; platform admin exists"'],
    ],
  );

  // ── Tenants ─────────────────────────────────────────────────────────────────────────────────────
  program.commandsGroup('Tenants:');
  examples(
    program
      .command('create-tenant')
      .description('create a tenant: database, schema, groups, admin user')
      .argument('<name>', 'organisation name, e.g. "Acme Ltd"')
      .argument('<subdomain>', 'the tenant slug: 1–63 of a-z, 0-9 and -')
      .argument('<admin-email>', "the tenant admin's email")
      .option('--database-url <url>', 'postgres://user@host:5432/name or mysql://…; no name = sales_<subdomain> on that server')
      .option(
        '--database-engine <engine>',
        'sqlite, postgres/postgresql, postgres-schema (a schema t_<subdomain> in a shared database), mysql/mariadb (or django.db.backends.*)',
      )
      .option('--database-host <host>', 'database server host')
      .option('--database-port <port>', 'database server port', wholeNumber(1, 65535))
      .option('--database-user <user>', 'database user')
      .option('--database-password <password>', 'database password (prefer SALESFLEET_DATABASE_PASSWORD)')
      .option('--database-name <name>', 'an existing empty database to use (created when missing)')
      .option('--database-schema <schema>', 'postgres-schema: an existing empty schema to use instead of t_<subdomain>')
      .option('--max-users <n>', 'active user limit', wholeNumber(1, 1_000_000), 50)
      .option('--multi-location', 'allow several locations')
      .option('--admin-username <name>', 'tenant admin username (default admin)')
      .option(
        '--admin-password <password>',
        'tenant admin password (prefer SALESFLEET_ADMIN_PASSWORD; default: a one-time password shown once)',
      )
      .option('--trial-days <days>', 'trial length in days', wholeNumber(0, 3650))
      .addOption(new Option('--demo-data', 'add demo locations, products, customers and invoices').conflicts('skipDemoData'))
      .option('--skip-demo-data', 'no demo data (the default; accepted for create_production_tenant)')
      .option('--dry-run', 'validate and check connectivity; change nothing')
      .option('--domain <domain>', 'also serve the tenant on this custom domain (its own subdomain host needs nothing)')
      .option('--primary-domain', 'make --domain the primary domain')
      .option(
        '--adopt-database <url>',
        'register a database that already holds a Salesfleet tenant (postgres://…/name, mysql://…/name, or a SQLite file, which is copied in); migrated up',
      )
      // Added by the old create_tenant / create_production_tenant --schema spelling (legacy-names.ts).
      .addOption(new Option('--django-schema', 'a postgres-schema tenant when the tenant server is PostgreSQL').hideHelp())
      .addOption(json())
      .action(async (name, subdomain, email, flags) =>
        (await import('./commands/create-tenant')).createTenantCommand(ctx, name, subdomain, email, flags),
      ),
    [
      ['create-tenant "Acme Ltd" acme admin@acme.test', 'managed database: SQLite file, or sales_acme on SALESFLEET_TENANT_SERVER_URL'],
      [
        'create-tenant "Acme Ltd" acme admin@acme.test --database-url postgres://sales@db1:5432/',
        'sales_acme on that PostgreSQL server (password: SALESFLEET_DATABASE_PASSWORD)',
      ],
      [
        'create-tenant "Beta" beta admin@beta.test --database-engine mysql --database-host db2 --database-user root --database-name beta_sales',
        'an existing empty MySQL/MariaDB database',
      ],
      [
        'create-tenant "Delta" delta admin@delta.test --database-engine postgres-schema --database-url postgres://sales@db3:5432/tenants',
        'the schema t_delta in the shared database tenants (one pool per process for all its schemas)',
      ],
      ['create-tenant "Gamma" gamma admin@gamma.test --max-users 10 --multi-location --trial-days 30 --demo-data'],
      ['create-tenant "Gamma" gamma admin@gamma.test --dry-run', 'checks only'],
      [
        'create-tenant "Delta" delta admin@delta.test --adopt-database postgres://sales@db1:5432/delta_restored',
        'a database restored by other tools (the old manual_setup_tenant): checked, migrated up, its users keep their passwords',
      ],
    ],
  );
  examples(
    program
      .command('delete-tenant')
      .description('delete a tenant and drop its database (asks you to type its subdomain)')
      .argument('<subdomain>', 'the tenant to delete')
      .option('--force', 'do not ask (required without a terminal)')
      .option('--keep-database', 'keep the database / SQLite file')
      .addOption(json())
      .action(async (slug, flags) => (await import('./commands/delete-tenant')).deleteTenantCommand(ctx, slug, flags)),
    [
      ['delete-tenant acme', 'asks you to type "acme"'],
      ['delete-tenant acme --force --keep-database', 'scripts: no question, database kept'],
    ],
  );
  examples(
    program
      .command('remove-orphans')
      .description('drop databases named like tenant databases that no tenant owns, and delete tenants stuck in provisioning')
      .option('--force', 'do not ask (required without a terminal)')
      .addOption(json())
      .action(async (flags) => (await import('./commands/remove-orphans')).removeOrphansCommand(ctx, flags)),
    [
      ['remove-orphans', 'lists them, asks you to type "remove"'],
      ['check-tenants', 'reports them first'],
    ],
  );
  examples(
    program
      .command('clean-registry')
      .description('delete the registry rows of tenants whose database is gone (lists them first)')
      .option('--yes', 'do not ask (required without a terminal)')
      .addOption(json())
      .action(async (flags) => (await import('./commands/clean-registry')).cleanRegistryCommand(ctx, flags)),
    [
      ['clean-registry', 'lists them, asks you to type "remove"'],
      ['clean-registry --yes --json', 'scripts'],
    ],
  );
  examples(
    program
      .command('list-tenants')
      .description('tenants with status, engine, users, schema version, pending migrations (from the registry alone)')
      .option('--active-only', 'only active tenants')
      .option('--status <status...>', 'only these statuses (active, suspended, failed, provisioning, deleting)')
      .option('--engine <engine...>', 'only these engines (sqlite, postgres, mysql)')
      .option('--server <server>', 'only tenants on this server: a tenant server name (see servers list), host:port, or local')
      .option('--health', "check every listed tenant's database now (opens each one)")
      .addOption(json())
      .action(async (flags) => (await import('./commands/list-tenants')).listTenantsCommand(ctx, flags)),
    [
      ['list-tenants'],
      ['list-tenants --active-only'],
      ['list-tenants --status suspended failed --engine postgres'],
      ['list-tenants --server db1.internal:5432 --health', 'connect to each of those tenants and report its health'],
      ['list-tenants --json', 'with pnpm: pnpm -s cli list-tenants --json'],
    ],
  );
  examples(
    program
      .command('suspend-tenant')
      .description('suspend a tenant: its users are refused, nothing is deleted')
      .argument('<subdomain>', 'the tenant')
      .option('--reason <text>', 'why (shown to operators)')
      .addOption(json())
      .action(async (slug, flags) => (await import('./commands/tenant-status')).suspendTenantCommand(ctx, slug, flags)),
    [['suspend-tenant acme --reason "unpaid invoice 2026-11"']],
  );
  examples(
    program
      .command('resume-tenant')
      .description('resume a suspended tenant')
      .argument('<subdomain>', 'the tenant')
      .addOption(json())
      .action(async (slug, flags) => (await import('./commands/tenant-status')).resumeTenantCommand(ctx, slug, flags)),
    [['resume-tenant acme']],
  );
  examples(
    program
      .command('tenant-users')
      .description("a tenant's users and groups; --fix-admin restores the admin's groups")
      .argument('<subdomain>', 'the tenant')
      .option('--fix-admin', 'put the admin back into every default group (restoring missing groups and permissions)')
      .option('--username <name>', 'the admin to fix (default: the superuser with the tenant admin email)')
      .option('--reset-password <username>', 'give this user a one-time password (shown once; their sessions end)')
      .option('--create-admin <username>', 'add an admin in every default group with a one-time password (with --email)')
      .option('--email <address>', "the new admin's email")
      .addOption(json())
      .action(async (slug, flags) => (await import('./commands/tenant-users')).tenantUsersCommand(ctx, slug, flags)),
    [
      ['tenant-users acme'],
      ['tenant-users acme --fix-admin'],
      ['tenant-users acme --reset-password alice', 'a locked-out user: one-time password, shown once'],
      ['tenant-users acme --create-admin rescue --email ops@acme.test'],
    ],
  );

  examples(
    program
      .command('import-users')
      .description("import the old system's users and groups from its Django database, keeping their passwords")
      .argument('<subdomain>', 'the tenant')
      .requiredOption('--from-django <url>', 'the Django database (postgres://, mysql:// or sqlite:/path/db.sqlite3); only read')
      .option('--dry-run', 'report what would be imported, write nothing')
      .addOption(json())
      .action(async (slug, flags) => (await import('./commands/import-users')).importUsersCommand(ctx, slug, flags)),
    [
      ['import-users acme --from-django postgres://django@old-db/shop --dry-run', 'what would happen'],
      ['import-users acme --from-django sqlite:/srv/old/db.sqlite3'],
    ],
  );

  const domains = program.command('domains').description('custom domains of a tenant: list, add, remove');
  domains.helpCommand(false);
  examples(
    domains
      .command('list')
      .description("list a tenant's custom domains")
      .argument('<subdomain>', 'the tenant')
      .addOption(json())
      .action(async (slug, flags) => (await import('./commands/domains')).listDomainsCommand(ctx, slug, flags)),
    [['domains list acme']],
  );
  examples(
    domains
      .command('add')
      .description('add a custom domain')
      .argument('<subdomain>', 'the tenant')
      .argument('<domain>', 'e.g. shop.acme.com')
      .option('--primary', 'make it the primary domain')
      .addOption(json())
      .action(async (slug, domain, flags) => (await import('./commands/domains')).addDomainCommand(ctx, slug, domain, flags)),
    [['domains add acme shop.acme.com --primary']],
  );
  examples(
    domains
      .command('remove')
      .description('remove a custom domain')
      .argument('<subdomain>', 'the tenant')
      .argument('<domain>', 'the domain to remove')
      .addOption(json())
      .action(async (slug, domain, flags) => (await import('./commands/domains')).removeDomainCommand(ctx, slug, domain, flags)),
    [['domains remove acme shop.acme.com']],
  );
  examples(domains, [['domains list acme'], ['domains add acme shop.acme.com --primary'], ['domains remove acme shop.acme.com']]);

  // ── Schema and health ───────────────────────────────────────────────────────────────────────────
  program.commandsGroup('Schema and health:');
  examples(
    program
      .command('migrate-tenants')
      .description('migrate the registry, then every tenant (bounded parallelism, progress)')
      .option('--tenant <subdomain>', 'only this tenant')
      .option('--check', 'change nothing; exit 1 when any migration is pending')
      .option('--dry-run', 'show what would be applied; change nothing')
      .option('--concurrency <n>', 'tenants migrated at once', wholeNumber(1, 64), 4)
      .option(
        '--threads <n>',
        `worker threads running the tenants' migrations (0: all in this process; default: the lower of --concurrency and the CPU cores for a fleet of ${FLEET_WORKERS_FROM_TENANTS} tenants or more, else 0; 0 with --concurrency 1)`,
        wholeNumber(0, 64),
      )
      .option(
        '--job',
        'run it as a fleet job recorded in the registry (followed with a progress bar; a running API server resumes it if this process stops; attaches to a migrate job already running)',
      )
      .option('--registry-only', 'migrate the registry only (the old migrate_schemas --shared)')
      .option('--repair', "recreate what is missing from a tenant's schema (tables, columns, indexes), no row touched; with --tenant")
      .addOption(new Option('--app <label>', "Django's --app (ignored: one migration set)").hideHelp())
      .addOption(json())
      .action(async (flags) => (await import('./commands/migrate-tenants')).migrateTenantsCommand(ctx, flags)),
    [
      ['migrate-tenants', 'registry, then all tenants, 4 at a time'],
      ['migrate-tenants --tenant acme'],
      ['migrate-tenants --check', 'in CI / before a deploy: exit 1 when something is pending'],
      ['migrate-tenants --concurrency 8 --json'],
      ['migrate-tenants --job', 'as a fleet job the console and `jobs attach` can follow'],
      ['migrate-tenants --repair --tenant acme', 'after check-tenants reported schema drift (the old force_migrate_tenant)'],
    ],
  );
  examples(
    program
      .command('check-tenants')
      .alias('doctor')
      .description('check registry, secret key and every tenant (reachable, schema, users)')
      .argument('[subdomains...]', 'only these tenants (default all)')
      .option('--concurrency <n>', 'tenants checked at once', wholeNumber(1, 64), 8)
      .option('--server <server>', 'only tenants on this server: a tenant server name (see servers list), host:port, or local')
      .addOption(json())
      .action(async (slugs, flags) => (await import('./commands/check-tenants')).checkTenantsCommand(ctx, slugs, flags)),
    [
      ['check-tenants', 'exit 1 when anything is wrong'],
      ['doctor acme beta'],
      ['check-tenants --server pg-2', 'the tenants on one tenant server'],
      ['check-tenants --json'],
    ],
  );

  const servers = program.command('servers').description('tenant servers new tenants are placed on: list, add, set-state, remove');
  servers.helpCommand(false);
  examples(
    servers
      .command('list')
      .description('registered tenant servers with their load (tenants / capacity) and state')
      .addOption(json())
      .action(async (flags) => (await import('./commands/servers')).listServersCommand(ctx, flags)),
    [['servers list']],
  );
  examples(
    servers
      .command('add')
      .description('register a tenant server (its password is stored encrypted, never shown)')
      .argument('<name>', 'lower-case letters, digits and hyphens')
      .argument('<url>', 'postgres://user:password@host:5432/postgres or mysql://…; the path is the maintenance database')
      .requiredOption('--capacity <n>', 'how many tenants it may hold', wholeNumber(1, 1_000_000))
      .addOption(new Option('--state <state>', 'open (default), draining or full').choices(['open', 'draining', 'full']))
      .addOption(json())
      .action(async (name, url, flags) => (await import('./commands/servers')).addServerCommand(ctx, name, url, flags)),
    [['servers add pg-2 postgres://sales:secret@db2.internal:5432/postgres --capacity 500']],
  );
  examples(
    servers
      .command('set-state')
      .description('open (takes new tenants), draining or full (takes none); --capacity changes its capacity')
      .argument('<name>', 'the server')
      .argument('[state]', 'open, draining or full')
      .option('--capacity <n>', 'a new capacity', wholeNumber(1, 1_000_000))
      .addOption(json())
      .action(async (name, state, flags) => (await import('./commands/servers')).setServerStateCommand(ctx, name, state, flags)),
    [
      ['servers set-state pg-1 draining', 'then move its tenants: move-tenant acme --to-server pg-2'],
      ['servers set-state pg-2 open --capacity 800'],
    ],
  );
  examples(
    servers
      .command('remove')
      .description('unregister a server that holds no tenant')
      .argument('<name>', 'the server')
      .addOption(json())
      .action(async (name, flags) => (await import('./commands/servers')).removeServerCommand(ctx, name, flags)),
    [['servers remove pg-1']],
  );
  examples(servers, [
    ['servers list'],
    ['servers add pg-2 postgres://sales:secret@db2:5432/postgres --capacity 500'],
    ['servers set-state pg-1 draining'],
  ]);

  examples(
    program
      .command('platform-admins')
      .description("the console's admins: list, add, reset-password, disable")
      .argument('<action>', 'list | add | reset-password | disable')
      .argument('[username]', 'the admin (add, reset-password, disable)')
      .option('--email <address>', "the new admin's email (add)")
      .addOption(json())
      .action(async (action, username, flags) =>
        (await import('./commands/platform-admins')).platformAdminsCommand(ctx, action, username, flags),
      ),
    [
      ['platform-admins list'],
      ['platform-admins add ops2 --email ops2@example.com', 'one-time password, shown once'],
      ['platform-admins reset-password admin'],
      ['platform-admins disable ops2'],
    ],
  );

  // ── Backups ─────────────────────────────────────────────────────────────────────────────────────
  program.commandsGroup('Backups:');
  const keep = () =>
    new Option('--keep <n>', 'keep the newest n backups of each tenant (default SALESFLEET_BACKUP_KEEP)').argParser(
      wholeNumber(1, 100_000),
    );
  const keepDays = () =>
    new Option('--keep-days <days>', 'remove backups older than this (default SALESFLEET_BACKUP_KEEP_DAYS)').argParser(
      wholeNumber(1, 36_500),
    );
  examples(
    program
      .command('backup-tenant')
      .description("back up a tenant's data into one engine-neutral archive (a consistent snapshot)")
      .argument('<subdomain>', 'the tenant')
      .option('--output <file>', 'the archive to write (default <data dir>/backups/<subdomain>/<subdomain>-<time>.sfbackup.gz)')
      .addOption(keep())
      .addOption(keepDays())
      .addOption(json())
      .action(async (slug, flags) => (await import('./commands/backups')).backupTenantCommand(ctx, slug, flags)),
    [['backup-tenant acme'], ['backup-tenant acme --output /srv/backups/acme.sfbackup.gz'], ['backup-tenant acme --keep 7']],
  );
  examples(
    program
      .command('backup-tenants')
      .description('back up several tenants, one after another')
      .option('--all', 'every active or suspended tenant')
      .option('--tenant <subdomain>', 'this tenant (repeatable)', (v: string, list: string[] = []) => [...list, v])
      .addOption(keep())
      .addOption(keepDays())
      .addOption(json())
      .action(async (flags) => (await import('./commands/backups')).backupTenantsCommand(ctx, flags)),
    [['backup-tenants --all --keep-days 30'], ['backup-tenants --tenant acme --tenant beta']],
  );
  examples(
    program
      .command('list-backups')
      .description('backups in <data dir>/backups, newest first')
      .argument('[subdomain]', 'only this tenant')
      .addOption(json())
      .action(async (slug, flags) => (await import('./commands/backups')).listBackupsCommand(ctx, slug, flags)),
    [['list-backups'], ['list-backups acme --json']],
  );
  examples(
    program
      .command('restore-tenant')
      .description('restore a backup into a new database (verified before anything is created)')
      .argument('<subdomain>', 'the tenant the archive is of')
      .requiredOption('--from <file>', 'the archive')
      .option('--as <subdomain>', 'restore as a new tenant with this subdomain')
      .option('--database-engine <engine>', 'sqlite, postgres or mysql (the configured server of that engine)')
      .option('--database-url <url>', 'postgres://… or mysql://…; no name = sales_<subdomain> on that server')
      .option('--to-server <name>', 'a registered tenant server (servers list): sales_<subdomain> on it')
      .option(
        '--replace',
        "replace an existing tenant's data: restored into a new database, switched to once verified; the old one is kept",
      )
      .addOption(json())
      .action(async (slug, flags) => (await import('./commands/backups')).restoreTenantCommand(ctx, slug, flags)),
    [
      ['restore-tenant acme --from data/backups/acme/acme-20261207T010000000Z.sfbackup.gz --as acme-copy'],
      ['restore-tenant acme --from acme.sfbackup.gz --as acme-pg --database-url postgres://sales@db1:5432/'],
      ['restore-tenant acme --from acme.sfbackup.gz --replace'],
    ],
  );

  examples(
    program
      .command('move-tenant')
      .description("move a tenant's data to another database or engine (maintenance, copy, verify, switch)")
      .argument('<subdomain>', 'the tenant')
      .option('--to-engine <engine>', 'sqlite, or postgres/mysql on SALESFLEET_TENANT_SERVER_URL')
      .option('--database-url <url>', 'postgres://… or mysql://…; no name = sales_<subdomain> on that server')
      .option('--to-server <name>', 'a registered tenant server (servers list): sales_<subdomain> on it')
      .option('--drop-old', 'drop the old database once switched (default: kept until delete-old-database)')
      .option('--drain-seconds <n>', "how long to wait for other processes' requests to end (default 5)", wholeNumber(0, 600))
      .addOption(json())
      .action(async (slug, flags) => (await import('./commands/move-tenant')).moveTenantCommand(ctx, slug, flags)),
    [
      ['move-tenant acme --to-engine postgres', 'onto the configured PostgreSQL server'],
      ['move-tenant acme --database-url mysql://sales@db2:3306/', 'sales_acme on that MariaDB server'],
      ['move-tenant acme --to-server pg-2', 'onto a registered tenant server'],
      ['move-tenant acme', 'again after a crash: finishes or undoes the interrupted move'],
    ],
  );
  examples(
    program
      .command('delete-old-database')
      .description('drop the database a finished move kept')
      .argument('<subdomain>', 'the tenant')
      .addOption(json())
      .action(async (slug, flags) => (await import('./commands/move-tenant')).deleteOldDatabaseCommand(ctx, slug, flags)),
    [['delete-old-database acme']],
  );

  // ── Fleet jobs ──────────────────────────────────────────────────────────────────────────────────
  program.commandsGroup('Fleet jobs:');
  const jobs = program.command('jobs').description('fleet jobs (migrate, health, backup) recorded in the registry');
  jobs.helpCommand(false);
  examples(
    jobs
      .command('list')
      .description('fleet jobs, newest first')
      .addOption(new Option('--kind <kind>', 'only this kind').choices(['migrate', 'health', 'backup']))
      .option('--limit <n>', 'jobs to show', wholeNumber(1, 200), 20)
      .addOption(json())
      .action(async (flags) => (await import('./commands/jobs')).jobsListCommand(ctx, flags)),
    [['jobs list'], ['jobs list --kind migrate --json']],
  );
  examples(
    jobs
      .command('show <id>')
      .description('a job and its tenants that failed or are not done yet (--all: every tenant)')
      .option('--all', 'every tenant')
      .addOption(json())
      .action(async (id, flags) => (await import('./commands/jobs')).jobsShowCommand(ctx, id, flags)),
    [['jobs show 12'], ['jobs show 12 --all --json']],
  );
  examples(
    jobs
      .command('attach <id>')
      .description('follow a job with a progress bar until it ends (exit 1 when a tenant failed); Ctrl-C leaves it running')
      .addOption(json())
      .action(async (id, flags) => (await import('./commands/jobs')).jobsAttachCommand(ctx, id, flags)),
    [['jobs attach 12']],
  );
  examples(jobs, [
    ['jobs list', 'the newest fleet jobs and their states'],
    ['jobs show 12'],
    ['jobs attach 12', 'follow a running job to its end'],
  ]);

  // ── Audit ───────────────────────────────────────────────────────────────────────────────────────
  program.commandsGroup('Audit:');
  examples(
    program
      .command('operations')
      .description('the recent lifecycle operations log, newest first')
      .option('--tenant <subdomain>', 'only this tenant')
      .option('--action <action>', 'only this action (create-tenant, delete-tenant, migrate-tenants, …)')
      .addOption(new Option('--outcome <outcome>', 'only this outcome').choices(['started', 'succeeded', 'failed']))
      .option('--limit <n>', 'rows to show', wholeNumber(1, 1000), 20)
      .addOption(json())
      .action(async (flags) => (await import('./commands/operations')).operationsCommand(ctx, flags)),
    [['operations'], ['operations --tenant acme --limit 50'], ['operations --outcome failed --json']],
  );

  return program;
}

/** An option parser for whole numbers within a range (commander reports a bad value as usage). */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\s*[0-9]+\s*$/.test(value)) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}.`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`must be from ${min} to ${max}.`);
    return n;
  };
}
