/**
 * The Django system's management commands and where their jobs live now. Old names keep working
 * (hidden from the command list): `create_tenant …` runs `create-tenant …`, and the old flag
 * spellings (`--schema-name X --tenant-name N --domain D`) become the new command's arguments.
 */
export interface LegacyCommand {
  old: string;
  /** The new command line to run instead of the old name (arguments follow). */
  now: string[];
  /** The new command as an operator types it: shown in the help's mapping and in the note an old name prints. */
  shown: string;
  /** What differs from the old command, in parentheses after `shown` (help and note). */
  detail?: string;
  /** Turns the old command's own flags into the new command's arguments (default: passed on as they are). */
  translate?: (rest: string[]) => string[];
}

/** An old command line that cannot be run as it is; the message names what to type instead. */
export class LegacyUsage extends Error {}

export const LEGACY_COMMANDS: readonly LegacyCommand[] = [
  { old: 'setup_main_database', now: ['init'], shown: 'init' },
  {
    old: 'create_tenant',
    now: ['create-tenant'],
    shown: 'create-tenant',
    detail: '--schema X on a PostgreSQL server: --database-engine postgres-schema',
    translate: (rest) => tenantFlags('create_tenant', rest),
  },
  {
    old: 'create_production_tenant',
    now: ['create-tenant'],
    shown: 'create-tenant',
    detail: '--schema X on a PostgreSQL server: --database-engine postgres-schema',
    translate: (rest) => tenantFlags('create_production_tenant', rest),
  },
  {
    old: 'manual_setup_tenant',
    now: ['create-tenant'],
    shown: 'create-tenant --adopt-database <url>',
    translate: (rest) => tenantFlags('manual_setup_tenant', rest, { adopt: true }),
  },
  { old: 'delete_tenant', now: ['delete-tenant'], shown: 'delete-tenant' },
  { old: 'list_tenants', now: ['list-tenants'], shown: 'list-tenants' },
  { old: 'migrate_tenants', now: ['migrate-tenants'], shown: 'migrate-tenants' },
  {
    old: 'migrate_schemas',
    now: ['migrate-tenants'],
    shown: 'migrate-tenants',
    detail: '--shared: --registry-only',
    translate: migrateSchemasFlags,
  },
  { old: 'migrate_tenant', now: ['migrate-tenants', '--tenant'], shown: 'migrate-tenants --tenant <subdomain>' },
  { old: 'force_migrate_tenant', now: ['migrate-tenants', '--repair', '--tenant'], shown: 'migrate-tenants --repair --tenant <subdomain>' },
  { old: 'check', now: ['check-tenants'], shown: 'check-tenants' },
  { old: 'check_tenant_user', now: ['check-tenants'], shown: 'check-tenants', detail: 'users of one tenant: tenant-users' },
  { old: 'test_tenant_connections', now: ['check-tenants'], shown: 'check-tenants' },
  { old: 'pre_deploy_check', now: ['check-tenants'], shown: 'check-tenants' },
  { old: 'clean_main_database', now: ['clean-registry'], shown: 'clean-registry' },
  { old: 'fix_tenant_domain', now: ['domains', 'add'], shown: 'domains add <subdomain> <domain>' },
  { old: 'backup_tenant_database', now: ['backup-tenant'], shown: 'backup-tenant' },
  { old: 'restore_tenant_database', now: ['restore-tenant'], shown: 'restore-tenant' },
  {
    old: 'migrate_tenant_database',
    now: ['move-tenant'],
    shown: 'move-tenant',
    translate: (rest) => renameFlags(rest, { '--new-url': '--database-url', '--new_url': '--database-url' }),
  },
];

export interface RewrittenArgs {
  args: string[];
  legacy: LegacyCommand | null;
}

/** Replaces an old command name in first position by its new command line. Throws LegacyUsage. */
export function rewriteLegacyArgs(args: readonly string[]): RewrittenArgs {
  const first = args[0];
  const legacy = LEGACY_COMMANDS.find((c) => c.old === first) ?? null;
  if (!legacy) return { args: [...args], legacy: null };
  const rest = args.slice(1);
  if (rest.includes('--help') || rest.includes('-h')) return { args: [...legacy.now, '--help'], legacy };
  return { args: [...legacy.now, ...(legacy.translate ? legacy.translate(rest) : rest)], legacy };
}

/** `shown`, and `(detail)` after it when there is one. */
export function legacyTarget(c: LegacyCommand): string {
  return c.detail ? `${c.shown} (${c.detail})` : c.shown;
}

/** The help section that maps each old name to its command, one line each. */
export function legacyHelp(): string {
  const byTarget = new Map<string, string[]>();
  for (const c of LEGACY_COMMANDS) byTarget.set(legacyTarget(c), [...(byTarget.get(legacyTarget(c)) ?? []), c.old]);
  const rows = [...byTarget].map(([shown, olds]) => [olds.join(', '), shown] as const);
  const width = Math.max(...rows.map(([o]) => o.length));
  return rows.map(([o, n]) => `  ${o.padEnd(width)}  → ${n}`).join('\n');
}

/** Reads `--name value` / `--name=value` (any of `names`, `_` or `-` inside) out of `args`, removing it. */
function takeValue(args: string[], names: readonly string[]): string | undefined {
  const wanted = new Set(names.map(normalFlag));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    const flag = normalFlag(eq === -1 ? arg : arg.slice(0, eq));
    if (!wanted.has(flag)) continue;
    if (eq !== -1) {
      args.splice(i, 1);
      return arg.slice(eq + 1);
    }
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) throw new LegacyUsage(`${arg} needs a value`);
    args.splice(i, 2);
    return value;
  }
  return undefined;
}

function takeSwitch(args: string[], names: readonly string[]): boolean {
  const wanted = new Set(names.map(normalFlag));
  const at = args.findIndex((a) => a.startsWith('--') && !a.includes('=') && wanted.has(normalFlag(a)));
  if (at === -1) return false;
  args.splice(at, 1);
  return true;
}

const normalFlag = (flag: string) => flag.replace(/_/g, '-').toLowerCase();

function renameFlags(rest: readonly string[], names: Record<string, string>): string[] {
  return rest.map((arg) => {
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const renamed = names[flag];
    return renamed ? `${renamed}${eq === -1 ? '' : arg.slice(eq)}` : arg;
  });
}

/**
 * `create_tenant --name N --schema X --domain D [--is-primary]`, `create_production_tenant
 * --schema-name X --tenant-name N --domain D`, `manual_setup_tenant … --database-url URL`: the old
 * schema name is the subdomain, the domain becomes the tenant's custom domain (nothing to add when
 * it is the subdomain's own host), and the admin email, which the old commands did not ask for, is
 * `--admin-email` or admin@<domain>. The new positional form (`create_tenant "Acme" acme a@acme.test`)
 * passes through as it is. The django-tenants spelling (`--schema` / `--schema-name`) without any
 * `--database-*` flag but `--database-name` adds the hidden `--django-schema`: a `postgres-schema` tenant when the tenant
 * server is PostgreSQL, as django-tenants made it (issue 17).
 */
function tenantFlags(old: string, rest: readonly string[], options: { adopt?: boolean } = {}): string[] {
  const args = [...rest];
  const schemaName = takeValue(args, ['--schema-name', '--schema']);
  const slug = schemaName ?? takeValue(args, ['--subdomain']);
  const name = takeValue(args, ['--tenant-name', '--name']);
  const domain = takeValue(args, ['--domain', '--domain-domain']);
  const primary = takeSwitch(args, ['--is-primary', '--domain-is-primary']);
  let adminEmail = takeValue(args, ['--admin-email', '--email']);
  if (options.adopt) {
    const url = takeValue(args, ['--database-url', '--adopt-database', '--db-url']);
    if (url === undefined && !args.some((a) => a.startsWith('--adopt-database'))) {
      throw new LegacyUsage(
        `${old} registers an existing database: give it with --database-url URL (it runs create-tenant <name> <subdomain> <admin email> --adopt-database URL)`,
      );
    }
    if (url !== undefined) args.push('--adopt-database', url);
  }
  if (slug === undefined && name === undefined && domain === undefined) return args;
  if (slug === undefined || name === undefined) {
    throw new LegacyUsage(`${old} needs both --schema-name (the subdomain) and --tenant-name (the organisation's name)`);
  }
  const host = domain?.trim().toLowerCase().replace(/\.$/, '');
  adminEmail ??= host ? `admin@${host}` : undefined;
  if (adminEmail === undefined) throw new LegacyUsage(`${old} without --domain needs --admin-email (the tenant admin's email)`);
  // django-tenants made every tenant a schema: on a PostgreSQL tenant server so does the old spelling,
  // unless the command line places the database itself (create-tenant decides once the config is read;
  // --database-name alone then names the shared database).
  const placed = args.some((a) => a.startsWith('--database-') && !a.startsWith('--database-name')) || options.adopt === true;
  return [
    name,
    slug,
    adminEmail,
    ...(host ? ['--domain', host] : []),
    ...(primary ? ['--primary-domain'] : []),
    ...(schemaName !== undefined && !placed ? ['--django-schema'] : []),
    ...args,
  ];
}

/** `migrate_schemas --shared` migrates the registry only; `--schema X` / `--schema-name X` one tenant; nothing: all. */
function migrateSchemasFlags(rest: readonly string[]): string[] {
  const args = [...rest];
  const shared = takeSwitch(args, ['--shared']);
  const schema = takeValue(args, ['--schema', '--schema-name']);
  if (shared && schema !== undefined) throw new LegacyUsage('migrate_schemas takes --shared or --schema, not both');
  if (shared) return ['--registry-only', ...args];
  if (schema !== undefined) return ['--tenant', schema, ...args];
  return args;
}
