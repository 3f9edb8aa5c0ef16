import type { Context } from 'hono';
import { Op } from 'sequelize';
import type { TenantModels } from '@salesfleet/models';
import type { TenantUserEnv } from '../../app-env';
import { loadGrants, userSnapshot } from './tenant-sessions';
import { NotFound, PermissionDenied } from '@salesfleet/contracts';

function lacking(actor: ReadonlySet<string>, wanted: Iterable<string>): string[] {
  return [...new Set(wanted)].filter((p) => !actor.has(p)).sort();
}

/** PermissionDenied naming the first missing permission (superuser when none is missing) and all of them. */
function outranked(message: string, missing: string[]): PermissionDenied {
  return new PermissionDenied(missing[0] ?? 'superuser', message, { missing: missing.slice(0, 20) });
}

/**
 * The rule for managing accounts: nobody acts on an account with more privileges than their own. A
 * superuser may act on anyone; anyone else only on accounts that are not superusers and whose
 * permissions they hold all of (reset its password, change its email, deactivate it, set its groups).
 */
export async function assertMayManageUser(c: Context<TenantUserEnv>, targetId: number): Promise<void> {
  const actor = c.var.user;
  if (actor.user.isSuperuser) return;
  const models = c.var.db;
  const target = await models.User.findByPk(targetId);
  if (!target) throw new NotFound('User', targetId);
  if (target.isSuperuser) throw outranked('Only a superuser can act on a superuser account', []);
  const grants = await loadGrants(models, userSnapshot(target));
  const missing = lacking(actor.permissions, grants.permissions);
  if (missing.length > 0) {
    throw outranked(
      `User ${targetId} holds permissions you lack (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''})`,
      missing,
    );
  }
}

/** Granting groups gives their permissions: only someone who holds them all may (superusers always). */
export async function assertMayGrantGroups(c: Context<TenantUserEnv>, groupNames: readonly string[]): Promise<void> {
  const actor = c.var.user;
  if (actor.user.isSuperuser || groupNames.length === 0) return;
  const missing = lacking(actor.permissions, await permissionsOfGroups(c.var.db, groupNames));
  if (missing.length > 0) {
    throw outranked(
      `These groups grant permissions you lack (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''})`,
      missing,
    );
  }
}

async function permissionsOfGroups(models: TenantModels, groupNames: readonly string[]): Promise<string[]> {
  const groups = await models
    .unassociated('Group')
    .findAll({ where: { name: { [Op.in]: [...groupNames] } }, attributes: ['id'], raw: true });
  if (groups.length === 0) return [];
  const links = await models
    .unassociated('GroupPermission')
    .findAll({ where: { groupId: { [Op.in]: groups.map((g) => g.id) } }, attributes: ['permissionId'], raw: true });
  const ids = [...new Set(links.map((l) => l.permissionId as number))];
  if (ids.length === 0) return [];
  const rows = await models.unassociated('Permission').findAll({ where: { id: { [Op.in]: ids } }, attributes: ['codename'], raw: true });
  return rows.map((r) => r.codename);
}
