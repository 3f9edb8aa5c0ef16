import { DEFAULT_GROUPS, createTenantUser, generatePassword, oneTimePassword } from '@salesfleet/models';
import type { TenantConnections } from '../connections';
import type { PlatformAdminRecord } from '../registry/records';
import type { DataSafetyDeps } from './backup';
import { Conflict, EMAIL_MESSAGE, isEmail, NotFound, ValidationFailed } from '@salesfleet/contracts';

/**
 * Getting locked-out people back in without editing a database by hand: a tenant user's password
 * reset, a new tenant admin, and the platform's own admins. Every password made here is a one-time
 * password — returned once, stored only as a hash, to be changed at the next sign-in — and every
 * action is in the operations log with who did it (never the password).
 */
export interface RecoveryDeps extends DataSafetyDeps {
  connections: Pick<TenantConnections, 'withTenant'>;
}

/** The tenant, when it is active or suspended (a user can be managed then). */
export async function workingTenant(deps: RecoveryDeps, slug: string) {
  const tenant = await deps.registry.getTenant(slug);
  if (tenant.status !== 'active' && tenant.status !== 'suspended') throw new Conflict(`Tenant "${slug}" is ${tenant.status}`);
  return tenant;
}

/** A new one-time password for a tenant user; their sessions end, and they must change it at sign-in. */
export async function resetTenantUserPassword(
  deps: RecoveryDeps,
  slug: string,
  username: string,
  options: { actor: string },
): Promise<{ username: string; oneTimePassword: string }> {
  const tenant = await workingTenant(deps, slug);
  const run = await deps.operations.begin('reset-tenant-user-password', {
    actor: options.actor,
    tenantId: tenant.id,
    tenantSlug: slug,
    details: { username },
  });
  try {
    const { password, hash } = await oneTimePassword();
    run.addSecrets(password);
    const userId = await deps.connections.withTenant(tenant, async ({ models }) => {
      const user = await models.User.findOne({ where: { username } });
      if (!user) throw new NotFound('User', username);
      await models.sequelize.transaction(async (transaction) => {
        await user.update({ passwordHash: hash, mustChangePassword: true }, { transaction });
        await models.Session.destroy({ where: { userId: user.id }, transaction });
      });
      return user.id;
    });
    // API processes keep a session they read for up to a second: announced, they drop it now (as
    // the API's own sign-out and password change do), whether this runs in the CLI or the console.
    deps.registry.emit({ kind: 'tenant-users-changed', tenantId: tenant.id, slug: tenant.slug, userId });
    await run.succeed({ username });
    return { username, oneTimePassword: password };
  } catch (err) {
    await run.fail(err);
    throw err;
  }
}

/** A new superuser in every default group with a one-time password (within the tenant's user limit). */
export async function createTenantAdmin(
  deps: RecoveryDeps,
  slug: string,
  input: { username: string; email: string },
  options: { actor: string },
): Promise<{ username: string; email: string; oneTimePassword: string }> {
  const tenant = await workingTenant(deps, slug);
  const email = input.email.trim().toLowerCase();
  if (!isEmail(email)) throw new ValidationFailed('Invalid email', [{ path: 'email', message: EMAIL_MESSAGE }]);
  const run = await deps.operations.begin('create-tenant-admin', {
    actor: options.actor,
    tenantId: tenant.id,
    tenantSlug: slug,
    details: { username: input.username, email },
  });
  try {
    const { password, hash } = await oneTimePassword();
    run.addSecrets(password);
    await deps.connections.withTenant(tenant, ({ models }) =>
      createTenantUser(
        models,
        {
          username: input.username,
          email,
          passwordHash: hash,
          isSuperuser: true,
          mustChangePassword: true,
          groups: DEFAULT_GROUPS.map((g) => g.name),
        },
        { maxUsers: tenant.maxUsers },
      ),
    );
    await run.succeed({ username: input.username });
    return { username: input.username, email, oneTimePassword: password };
  } catch (err) {
    await run.fail(err);
    throw err;
  }
}

export function listPlatformAdmins(deps: DataSafetyDeps): Promise<PlatformAdminRecord[]> {
  return deps.registry.listPlatformAdmins();
}

/** A new platform admin with a one-time password (shown once, to be changed at first sign-in). */
export async function addPlatformAdmin(
  deps: DataSafetyDeps,
  input: { username: string; email: string },
  options: { actor: string },
): Promise<{ admin: PlatformAdminRecord; oneTimePassword: string }> {
  const email = input.email.trim().toLowerCase();
  if (!isEmail(email)) throw new ValidationFailed('Invalid email', [{ path: 'email', message: EMAIL_MESSAGE }]);
  const run = await deps.operations.begin('add-platform-admin', { actor: options.actor, details: { username: input.username, email } });
  try {
    const password = generatePassword();
    run.addSecrets(password);
    const admin = await deps.registry.createPlatformAdmin({ username: input.username, email, password, mustChangePassword: true });
    await run.succeed({ id: admin.id });
    return { admin, oneTimePassword: password };
  } catch (err) {
    await run.fail(err);
    throw err;
  }
}

export interface PlatformAdminActionOptions {
  actor: string;
  /** The console admin doing it, who may not disable or reset themself (the CLI has none). */
  actingAdminId?: number;
}

async function platformAdmin(deps: DataSafetyDeps, login: string): Promise<PlatformAdminRecord> {
  const admin = await deps.registry.findPlatformAdmin(login);
  if (!admin) throw new NotFound('Platform admin', login);
  return admin;
}

/** A one-time password for a platform admin; their console sessions end. */
export async function resetPlatformAdminPassword(
  deps: DataSafetyDeps,
  login: string,
  options: PlatformAdminActionOptions,
): Promise<{ admin: PlatformAdminRecord; oneTimePassword: string }> {
  const run = await deps.operations.begin('reset-platform-admin-password', { actor: options.actor, details: { admin: login } });
  try {
    const admin = await platformAdmin(deps, login);
    if (admin.id === options.actingAdminId)
      throw new Conflict('You cannot reset your own password here; change it on your account page, or ask another admin');
    const password = generatePassword();
    run.addSecrets(password);
    const updated = await deps.registry.setPlatformAdminPassword(admin.id, password, { mustChange: true });
    await deps.registry.revokePlatformSessionsOf(admin.id);
    await run.succeed({ id: admin.id });
    return { admin: updated, oneTimePassword: password };
  } catch (err) {
    await run.fail(err);
    throw err;
  }
}

/** Disables a platform admin (sessions end); the last active one cannot be disabled, nor can the acting one. */
export async function disablePlatformAdmin(
  deps: DataSafetyDeps,
  login: string,
  options: PlatformAdminActionOptions,
): Promise<PlatformAdminRecord> {
  const run = await deps.operations.begin('disable-platform-admin', { actor: options.actor, details: { admin: login } });
  try {
    const admin = await platformAdmin(deps, login);
    if (admin.id === options.actingAdminId) throw new Conflict('You cannot disable yourself; another admin can');
    const others = (await deps.registry.listPlatformAdmins()).filter((a) => a.id !== admin.id && a.isActive);
    if (others.length === 0) throw new Conflict(`${admin.username} is the last active platform admin; add another before disabling it`);
    const updated = await deps.registry.setPlatformAdminActive(admin.id, false);
    await deps.registry.revokePlatformSessionsOf(admin.id);
    await run.succeed({ id: admin.id });
    return updated;
  } catch (err) {
    await run.fail(err);
    throw err;
  }
}
