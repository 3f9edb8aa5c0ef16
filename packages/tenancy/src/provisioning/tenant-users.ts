import { seedTenant, type TenantModels } from '@salesfleet/models';
import type { TenantRecord } from '../registry/records';
import { usableTenant, type ProvisioningContext } from './context';
import { withOperation } from './operation';
import type { ActorOptions, TenantUser } from './types';
import { Conflict, TenantNotFound } from '@salesfleet/contracts';

/** The tenant's users with their group names (the CLI's `tenant-users`). */
export async function tenantUsers(ctx: ProvisioningContext, slug: string): Promise<TenantUser[]> {
  const tenant = await usableTenant(ctx, slug);
  return ctx.connections.withTenant(tenant, async ({ models }) => {
    const users = await models.User.findAll({
      include: [{ model: models.Group, as: 'groups', attributes: ['name'], through: { attributes: [] } }],
      order: [['username', 'ASC']],
    });
    await ctx.registry.setUserCount(tenant.id, users.filter((u) => u.isActive).length);
    return users.map((u) => ({
      id: u.id,
      username: u.username,
      email: u.email,
      isActive: Boolean(u.isActive),
      isSuperuser: Boolean(u.isSuperuser),
      mustChangePassword: Boolean(u.mustChangePassword),
      lastLoginAt: u.lastLoginAt ?? null,
      groups: (u.groups ?? []).map((g) => g.name).sort(),
    }));
  });
}

/**
 * Puts the tenant's admin (by `username`, else the superuser with the tenant's admin email, else
 * the first superuser) back into every default group, restoring missing default groups and
 * permissions. Returns the admin's username and groups.
 */
export async function fixAdminGroups(
  ctx: ProvisioningContext,
  slug: string,
  options: ActorOptions & { username?: string },
): Promise<{ username: string; groups: string[] }> {
  const tenant = await usableTenant(ctx, slug);
  return withOperation(
    ctx.operations,
    'fix-admin-groups',
    { actor: options.actor, tenantId: tenant.id, tenantSlug: slug, details: { username: options.username ?? null } },
    () =>
      ctx.connections.withTenant(tenant, async ({ models }) => {
        const admin = await findAdmin(models, tenant, options.username);
        // seedTenant is idempotent: for an existing user it keeps the password and only restores
        // permissions, default groups and the admin's memberships. The hash below is never stored.
        await seedTenant(models, {
          admin: { username: admin.username, email: admin.email, passwordHash: '!', mustChangePassword: false },
        });
        const groups = (
          await models.Group.findAll({
            include: [{ model: models.User, as: 'users', where: { id: admin.id }, attributes: [], through: { attributes: [] } }],
          })
        ).map((g) => g.name);
        return { username: admin.username, groups: groups.sort() };
      }),
    (result) => result,
  );
}

async function findAdmin(models: TenantModels, tenant: TenantRecord, username?: string) {
  if (username) {
    const user = await models.User.findOne({ where: { username } });
    if (!user) throw new TenantNotFound(`${tenant.slug} user ${username}`);
    return user;
  }
  const byEmail = await models.User.findOne({ where: { email: tenant.adminEmail, isSuperuser: true }, order: [['id', 'ASC']] });
  if (byEmail) return byEmail;
  const first = await models.User.findOne({ where: { isSuperuser: true }, order: [['id', 'ASC']] });
  if (first) return first;
  throw new Conflict(`Tenant "${tenant.slug}" has no admin user; pass the username`);
}
