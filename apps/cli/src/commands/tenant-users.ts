import { cliActor, withTenancy, type CommandContext } from '../context';
import { formatDate, printTable } from '../output';

export interface TenantUsersFlags {
  fixAdmin?: boolean;
  username?: string;
  json?: boolean;
}

/** A tenant's users and their groups; `--fix-admin` first puts the admin back into every default group. */
export async function tenantUsersCommand(ctx: CommandContext, slug: string, flags: TenantUsersFlags): Promise<void> {
  const { out } = ctx;
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
      out.json({
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
