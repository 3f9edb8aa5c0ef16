/**
 * The Django system's management commands and where their jobs live now. Old names keep working
 * (hidden from the command list): `create_tenant …` runs `create-tenant …`.
 */
export interface LegacyCommand {
  old: string;
  /** The new command line to run instead of the old name (arguments follow). */
  now: string[];
  /** Shown in the help's mapping. */
  shown: string;
}

export const LEGACY_COMMANDS: readonly LegacyCommand[] = [
  { old: 'setup_main_database', now: ['init'], shown: 'init' },
  { old: 'create_tenant', now: ['create-tenant'], shown: 'create-tenant' },
  { old: 'create_production_tenant', now: ['create-tenant'], shown: 'create-tenant' },
  { old: 'delete_tenant', now: ['delete-tenant'], shown: 'delete-tenant' },
  { old: 'list_tenants', now: ['list-tenants'], shown: 'list-tenants' },
  { old: 'migrate_tenants', now: ['migrate-tenants'], shown: 'migrate-tenants' },
  { old: 'migrate_schemas', now: ['migrate-tenants'], shown: 'migrate-tenants' },
  { old: 'force_migrate_tenant', now: ['migrate-tenants', '--repair', '--tenant'], shown: 'migrate-tenants --repair --tenant <subdomain>' },
  { old: 'check_tenant_user', now: ['check-tenants'], shown: 'check-tenants (users of one tenant: tenant-users)' },
  { old: 'test_tenant_connections', now: ['check-tenants'], shown: 'check-tenants' },
  { old: 'pre_deploy_check', now: ['check-tenants'], shown: 'check-tenants' },
  { old: 'fix_tenant_domain', now: ['domains', 'add'], shown: 'domains add <subdomain> <domain>' },
  { old: 'backup_tenant_database', now: ['backup-tenant'], shown: 'backup-tenant' },
  { old: 'restore_tenant_database', now: ['restore-tenant'], shown: 'restore-tenant' },
  { old: 'migrate_tenant_database', now: ['move-tenant'], shown: 'move-tenant' },
];

/** Old commands whose job has no command here yet. */
export const UNAVAILABLE_LEGACY: Readonly<Record<string, string>> = {};

export interface RewrittenArgs {
  args: string[];
  legacy: LegacyCommand | null;
}

/** Replaces an old command name in first position by its new command line. */
export function rewriteLegacyArgs(args: readonly string[]): RewrittenArgs {
  const first = args[0];
  const legacy = LEGACY_COMMANDS.find((c) => c.old === first) ?? null;
  if (!legacy) return { args: [...args], legacy: null };
  return { args: [...legacy.now, ...args.slice(1)], legacy };
}

/** The help section that maps each old name to its command, one line each. */
export function legacyHelp(): string {
  const byTarget = new Map<string, string[]>();
  for (const c of LEGACY_COMMANDS) byTarget.set(c.shown, [...(byTarget.get(c.shown) ?? []), c.old]);
  const rows = [...byTarget].map(([shown, olds]) => [olds.join(', '), shown] as const);
  for (const [old, planned] of Object.entries(UNAVAILABLE_LEGACY)) rows.push([old, `not yet (${planned} is planned)`]);
  const width = Math.max(...rows.map(([o]) => o.length));
  return rows.map(([o, n]) => `  ${o.padEnd(width)}  → ${n}`).join('\n');
}
