import { cliActor, loadTenancyPackage, withTenancy, type CommandContext } from '../context';
import { UsageError } from '../errors';
import { formatDate, printTable } from '../output';

const ACTIONS = ['list', 'add', 'reset-password', 'disable'] as const;

/** `platform-admins list|add|reset-password|disable [username]`. */
export async function platformAdminsCommand(
  ctx: CommandContext,
  action: string,
  username: string | undefined,
  flags: { email?: string; json?: boolean },
): Promise<void> {
  const { out } = ctx;
  if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`unknown action "${action}" (use ${ACTIONS.join(', ')})`);
  if (action !== 'list' && !username) throw new UsageError(`platform-admins ${action} needs a username`);
  if (action === 'add' && !flags.email) throw new UsageError('platform-admins add needs --email <address>');
  await withTenancy(ctx, {}, async (tenancy) => {
    const pkg = await loadTenancyPackage();
    const actor = { actor: cliActor() };
    if (action === 'list') {
      const admins = await pkg.listPlatformAdmins(tenancy);
      if (flags.json)
        return out.json({
          admins: admins.map(({ id, username: u, email, isActive, mustChangePassword, lastLoginAt }) => ({
            id,
            username: u,
            email,
            isActive,
            mustChangePassword,
            lastLoginAt,
          })),
        });
      await printTable(
        out,
        [
          { header: 'USERNAME' },
          { header: 'EMAIL' },
          { header: 'ACTIVE' },
          { header: 'MUST CHANGE PASSWORD' },
          { header: 'LAST LOGIN (UTC)' },
        ],
        admins.map((a) => [
          a.username,
          a.email,
          a.isActive ? 'yes' : 'no',
          a.mustChangePassword ? 'yes' : 'no',
          a.lastLoginAt ? formatDate(a.lastLoginAt) : '',
        ]),
      );
      return;
    }
    if (action === 'disable') {
      const admin = await pkg.disablePlatformAdmin(tenancy, username!, actor);
      if (flags.json) return out.json({ username: admin.username, isActive: admin.isActive });
      out.line(`Disabled platform admin ${admin.username}; their console sessions ended.`);
      return;
    }
    const { admin, oneTimePassword } =
      action === 'add'
        ? await pkg.addPlatformAdmin(tenancy, { username: username!, email: flags.email! }, actor)
        : await pkg.resetPlatformAdminPassword(tenancy, username!, actor);
    if (flags.json) return out.json({ username: admin.username, email: admin.email, oneTimePassword, mustChangePassword: true });
    out.line(
      action === 'add'
        ? `Added platform admin ${admin.username} <${admin.email}>.`
        : `Reset the password of platform admin ${admin.username}; their sessions ended.`,
    );
    out.line(`  One-time password: ${oneTimePassword}`);
    out.line('  It is shown once and must be changed at the first sign-in.');
    out.line(`  Console: ${tenancy.platformUrl()}admin/`);
  });
}
