import { cliActor, loadTenancyPackage, withTenancy, type CommandContext } from '../context';
import { UsageError } from '../errors';
import { formatDate, printTable } from '../output';

export interface TenantUsersFlags {
  fixAdmin?: boolean;
  username?: string;
  resetPassword?: string;
  createAdmin?: string;
  email?: string;
  json?: boolean;
}

/** `--reset-password USER` / `--create-admin USER --email E`: a one-time password, printed once. */
async function recover(ctx: CommandContext, slug: string, flags: TenantUsersFlags): Promise<void> {
  const { out } = ctx;
  if (flags.resetPassword && flags.createAdmin) throw new UsageError('--reset-password and --create-admin exclude each other');
  if (flags.createAdmin && !flags.email) throw new UsageError('--create-admin needs --email <address>');
  await withTenancy(ctx, {}, async (tenancy) => {
    const pkg = await loadTenancyPackage();
    const result = flags.resetPassword
      ? await pkg.resetTenantUserPassword(tenancy, slug, flags.resetPassword, { actor: cliActor() })
      : await pkg.createTenantAdmin(tenancy, slug, { username: flags.createAdmin!, email: flags.email! }, { actor: cliActor() });
    if (flags.json) return out.json({ slug, ...result, mustChangePassword: true });
    out.line(
      flags.resetPassword
        ? `Reset the password of ${result.username} on ${slug}; their sessions ended.`
        : `Created admin ${result.username} on ${slug} (every default group).`,
    );
    out.line(`  One-time password: ${result.oneTimePassword}`);
    out.line('  It is shown once and must be changed at the first sign-in.');
    out.line(`  Sign in at ${tenancy.tenantUrl(slug)}`);
  });
}

/** A tenant's users and their groups; `--fix-admin` first puts the admin back into every default group. */
export async function tenantUsersCommand(ctx: CommandContext, slug: string, flags: TenantUsersFlags): Promise<void> {
  const { out } = ctx;
  if (flags.resetPassword || flags.createAdmin) return recover(ctx, slug, flags);
  await withTenancy(ctx, {}, async (tenancy) => {
    let fixed: { username: string; groups: string[] } | null = null;
    if (flags.fixAdmin) {
      fixed = await tenancy.provisioner.fixAdminGroups(slug, {
        actor: cliActor(),
        ...(flags.username ? { username: flags.username } : {}),
      });
    }
    const users = await tenancy.provisioner.tenantUsers(slug);
    if (flags.json) {
      await out.json({
        ...(fixed ? { fixedAdmin: fixed } : {}),
        users: users.map((u) => ({ ...u, lastLoginAt: u.lastLoginAt ? new Date(u.lastLoginAt).toISOString() : null })),
      });
      return;
    }
    if (fixed) out.line(`Admin ${fixed.username} is in: ${fixed.groups.join(', ')} (default groups and permissions restored).`);
    if (users.length === 0) {
      out.line(`Tenant ${slug} has no users.`);
      return;
    }
    await printTable(
      out,
      [
        { header: 'Username' },
        { header: 'Email' },
        { header: 'Active' },
        { header: 'Superuser' },
        { header: 'Groups' },
        { header: 'Last login (UTC)' },
      ],
      users.map((u) => [
        u.username,
        u.email,
        u.isActive ? 'yes' : 'no',
        u.isSuperuser ? 'yes' : 'no',
        u.groups.join(', ') || '(none)',
        formatDate(u.lastLoginAt) || 'never',
      ]),
    );
  });
}
