import { cliActor, withTenancy, type CommandContext } from '../context';
import { UsageError } from '../errors';
import { plural } from '../output';
import { ask, askHidden } from '../prompt';
import { rememberSecret } from '../secrets';

export interface InitFlags {
  adminUsername?: string;
  adminEmail?: string;
  adminPassword?: string;
  json?: boolean;
}

/**
 * Migrates the registry and creates the first platform admin. The password comes from
 * `--admin-password`, SALESFLEET_PLATFORM_ADMIN_PASSWORD, a hidden prompt on a terminal (empty =
 * generate), or is generated and printed once. Running it again changes nothing.
 */
export async function initCommand(ctx: CommandContext, flags: InitFlags): Promise<void> {
  const { out } = ctx;
  if (flags.adminPassword !== undefined) {
    rememberSecret(flags.adminPassword);
    out.warn(
      '--admin-password ends up in your shell history and the process list; prefer SALESFLEET_PLATFORM_ADMIN_PASSWORD=… or the prompt',
    );
  }
  const envPassword = process.env.SALESFLEET_PLATFORM_ADMIN_PASSWORD || undefined;
  rememberSecret(envPassword);

  await withTenancy(ctx, { migrateRegistry: true, createRegistry: true }, async (tenancy) => {
    const { initRegistry } = await import('@salesfleet/tenancy');
    const admin = { username: flags.adminUsername, email: flags.adminEmail, password: flags.adminPassword ?? envPassword };
    const needsAdmin = (await tenancy.registry.countPlatformAdmins()) === 0;
    if (needsAdmin && admin.password === undefined && out.interactive && !flags.json) {
      out.note(`Create the first platform admin (the admin console at ${tenancy.platformUrl()}admin/).`);
      admin.username ??= await ask('Username', { default: 'admin' });
      admin.email ??= await ask('Email', { default: defaultEmail(tenancy.config.baseDomains[0]!) });
      const password = await askHidden('Password (empty: generate a one-time password)');
      if (password) {
        const again = await askHidden('Password again');
        if (again !== password) throw new UsageError('the passwords do not match; nothing was created');
        rememberSecret(password);
        admin.password = password;
      }
    }
    const result = await initRegistry(tenancy, {
      actor: cliActor(),
      admin: {
        ...(admin.username ? { username: admin.username } : {}),
        ...(admin.email ? { email: admin.email } : {}),
        ...(admin.password ? { password: admin.password } : {}),
      },
    });

    if (flags.json) {
      await out.json({
        migrated: result.migrated,
        admin: result.admin
          ? {
              username: result.admin.username,
              email: result.admin.email,
              mustChangePassword: result.admin.mustChangePassword,
              ...(result.admin.oneTimePassword ? { oneTimePassword: result.admin.oneTimePassword } : {}),
            }
          : null,
        platformAdmins: result.platformAdmins,
        dataDir: tenancy.config.dataDir,
        consoleUrl: `${tenancy.platformUrl()}admin/`,
      });
      return;
    }
    if (result.migrated.length === 0 && !result.admin) {
      out.line('registry already up to date; platform admin exists');
      return;
    }
    out.line(
      result.migrated.length > 0
        ? `Registry migrated: ${plural(result.migrated.length, 'migration')} applied (${result.migrated.join(', ')})`
        : 'Registry already up to date',
    );
    if (!result.admin) {
      out.line(`Platform admin exists (${plural(result.platformAdmins, 'admin')}); none created.`);
      return;
    }
    out.line(`Platform admin created: ${result.admin.username} <${result.admin.email}>`);
    out.line(`  Console:  ${tenancy.platformUrl()}admin/`);
    if (result.admin.oneTimePassword) {
      out.line(`  One-time password:  ${out.bold(result.admin.oneTimePassword)}`);
      out.line(out.yellow('  ! Shown once and stored nowhere in clear; it must be changed at first sign-in.'));
    }
  });
}

function defaultEmail(baseDomain: string): string {
  return `admin@${baseDomain.includes('.') ? baseDomain : 'salesfleet.local'}`;
}
