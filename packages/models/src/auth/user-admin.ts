import { col, fn, Op, type Transaction, UniqueConstraintError, where, type WhereOptions } from 'sequelize';
import type { TenantModels, User } from '../model-types';
import { findPage, type Page, pageWindow } from '../accounting/values';
import { DEFAULT_GROUPS } from './permissions';
import { Conflict, LimitReached, NotFound, ValidationFailed, isUsername, USERNAME_MESSAGE } from '@salesfleet/contracts';

/**
 * User administration over a tenant's models, shared by the API (users screens) and the CLI
 * (`tenant-users`, `--fix-admin`): counting users against the tenant's limit, creating users within
 * it, group membership. Only active users count towards the limit.
 */

/** A page of users by username, matching `search` (case-insensitive) in username, email or name. */
export async function listUsers(
  models: TenantModels,
  filter: { search?: string; active?: boolean; limit?: number; offset?: number } = {},
): Promise<Page<User>> {
  const { limit, offset } = pageWindow(filter);
  const conditions: WhereOptions[] = [];
  if (filter.active !== undefined) conditions.push({ isActive: filter.active });
  // Case-insensitive on every dialect; LIKE wildcards typed by the user are dropped, not interpreted.
  const term = (filter.search ?? '').replace(/[\\%_]/g, '').toLowerCase();
  if (term) {
    const like = `%${term}%`;
    conditions.push({
      [Op.or]: ['username', 'email', 'first_name', 'last_name'].map((column) => where(fn('lower', col(column)), Op.like, like)),
    });
  }
  const { rows, count } = await findPage(models.User, {
    where: conditions.length ? { [Op.and]: conditions } : {},
    order: [['username', 'ASC']],
    limit,
    offset,
  });
  return { items: rows, total: count, limit, offset };
}

export interface NewTenantUser {
  username: string;
  email: string;
  /** Already hashed (hashPassword); the caller owns the password policy. */
  passwordHash: string;
  firstName?: string;
  lastName?: string;
  isSuperuser?: boolean;
  mustChangePassword: boolean;
  /** Group names; unknown names are refused. */
  groups?: readonly string[];
}

/** Active users of the tenant. */
export async function countActiveUsers(models: TenantModels, transaction?: Transaction): Promise<number> {
  return models.User.count({ where: { isActive: true }, ...(transaction ? { transaction } : {}) });
}

/** Throws `LimitReached` (naming the limit) when one more active user would exceed `maxUsers`. */
export async function assertUserCapacity(models: TenantModels, maxUsers: number, transaction?: Transaction): Promise<void> {
  // On PostgreSQL/MySQL, lock the active users first so two concurrent creations cannot both pass.
  if (transaction && models.sequelize.getDialect() !== 'sqlite') {
    await models.User.findAll({ where: { isActive: true }, attributes: ['id'], lock: transaction.LOCK.UPDATE, transaction });
  }
  const active = await countActiveUsers(models, transaction);
  if (active >= maxUsers) {
    throw new LimitReached(
      `This workspace allows at most ${maxUsers} active users (it has ${active}); deactivate a user or raise the limit`,
      {
        limit: 'maxUsers',
        maxUsers,
        activeUsers: active,
      },
    );
  }
}

/** Whether another user already has this email (case-insensitive). */
async function emailTaken(models: TenantModels, email: string, exceptId: number | null, transaction?: Transaction): Promise<boolean> {
  const conditions: WhereOptions[] = [where(fn('lower', col('email')), email.toLowerCase())];
  if (exceptId !== null) conditions.push({ id: { [Op.ne]: exceptId } });
  const n = await models.User.count({ where: { [Op.and]: conditions }, ...(transaction ? { transaction } : {}) });
  return n > 0;
}

async function groupIdsByName(models: TenantModels, names: readonly string[], transaction?: Transaction): Promise<number[]> {
  const unique = [...new Set(names)];
  if (unique.length === 0) return [];
  const rows = await models.Group.findAll({
    where: { name: { [Op.in]: unique } },
    attributes: ['id', 'name'],
    raw: true,
    ...(transaction ? { transaction } : {}),
  });
  const missing = unique.filter((n) => !rows.some((r) => r.name === n));
  if (missing.length > 0) {
    throw new ValidationFailed(
      `Unknown group${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
      missing.map((name) => ({ path: 'groups', message: `no group named "${name}"` })),
    );
  }
  return rows.map((r) => r.id);
}

/** Creates a user within the tenant's active-user limit; usernames unique, emails unique ignoring case. */
export async function createTenantUser(models: TenantModels, input: NewTenantUser, limits: { maxUsers: number }): Promise<User> {
  if (!isUsername(input.username)) {
    throw new ValidationFailed('Invalid username', [{ path: 'username', message: USERNAME_MESSAGE }]);
  }
  try {
    return await models.sequelize.transaction(async (transaction) => {
      await assertUserCapacity(models, limits.maxUsers, transaction);
      const taken = await models.User.count({ where: { username: input.username }, transaction });
      if (taken > 0) throw new Conflict(`The username "${input.username}" is taken`, { field: 'username' });
      if (await emailTaken(models, input.email, null, transaction)) {
        throw new Conflict(`Another user has the email ${input.email}`, { field: 'email' });
      }
      const groupIds = await groupIdsByName(models, input.groups ?? [], transaction);
      const user = await models.User.create(
        {
          username: input.username,
          email: input.email,
          passwordHash: input.passwordHash,
          firstName: input.firstName ?? '',
          lastName: input.lastName ?? '',
          isActive: true,
          isSuperuser: input.isSuperuser ?? false,
          mustChangePassword: input.mustChangePassword,
        },
        { transaction },
      );
      if (groupIds.length)
        await models.UserGroup.bulkCreate(
          groupIds.map((groupId) => ({ userId: user.id, groupId })),
          { transaction },
        );
      return user;
    });
  } catch (err) {
    if (err instanceof UniqueConstraintError) throw new Conflict(`The username "${input.username}" is taken`, { field: 'username' });
    throw err;
  }
}

export interface TenantUserPatch {
  email?: string;
  firstName?: string;
  lastName?: string;
  isSuperuser?: boolean;
  isActive?: boolean;
}

/** Updates a user; re-activating one counts against the limit again. */
export async function updateTenantUser(
  models: TenantModels,
  userId: number,
  patch: TenantUserPatch,
  limits: { maxUsers: number },
): Promise<User> {
  return models.sequelize.transaction(async (transaction) => {
    const user = await models.User.findByPk(userId, { transaction });
    if (!user) throw new NotFound('User', userId);
    if (patch.isActive === true && !user.isActive) await assertUserCapacity(models, limits.maxUsers, transaction);
    if (patch.email !== undefined && (await emailTaken(models, patch.email, userId, transaction))) {
      throw new Conflict(`Another user has the email ${patch.email}`, { field: 'email' });
    }
    const values: Partial<TenantUserPatch> = {};
    for (const key of ['email', 'firstName', 'lastName', 'isSuperuser', 'isActive'] as const) {
      if (patch[key] !== undefined) (values as Record<string, unknown>)[key] = patch[key];
    }
    await user.update(values, { transaction });
    if (patch.isActive === false) await models.Session.destroy({ where: { userId }, transaction });
    return user;
  });
}

/** Replaces a user's groups with exactly these (by name). Returns the names, sorted. */
export async function setUserGroups(models: TenantModels, userId: number, groupNames: readonly string[]): Promise<string[]> {
  return models.sequelize.transaction(async (transaction) => {
    const user = await models.User.findByPk(userId, { attributes: ['id'], transaction });
    if (!user) throw new NotFound('User', userId);
    const ids = await groupIdsByName(models, groupNames, transaction);
    await models.UserGroup.destroy({ where: { userId }, transaction });
    if (ids.length)
      await models.UserGroup.bulkCreate(
        ids.map((groupId) => ({ userId, groupId })),
        { transaction },
      );
    return [...new Set(groupNames)].sort();
  });
}

/** Group names of each of the given users. */
export async function groupsOfUsers(models: TenantModels, userIds: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return out;
  const memberships = await models.UserGroup.findAll({
    where: { userId: { [Op.in]: [...userIds] } },
    attributes: ['userId', 'groupId'],
    raw: true,
  });
  const groupIds = [...new Set(memberships.map((m) => m.groupId as number))];
  const groups = groupIds.length
    ? await models.Group.findAll({ where: { id: { [Op.in]: groupIds } }, attributes: ['id', 'name'], raw: true })
    : [];
  const nameOf = new Map(groups.map((g) => [g.id, g.name]));
  for (const m of memberships) out.get(m.userId as number)?.push(nameOf.get(m.groupId as number) ?? '');
  for (const names of out.values()) names.sort();
  return out;
}

/**
 * Puts a user back into every default group (Admin, Managers, Cashiers), re-creating missing default
 * groups' memberships only — the CLI's `tenant-users --fix-admin`. Returns the groups added.
 */
export async function restoreDefaultGroups(models: TenantModels, userId: number): Promise<string[]> {
  return models.sequelize.transaction(async (transaction) => {
    const user = await models.User.findByPk(userId, { attributes: ['id'], transaction });
    if (!user) throw new NotFound('User', userId);
    const names = DEFAULT_GROUPS.map((g) => g.name);
    const ids = await groupIdsByName(models, names, transaction);
    const existing = await models.UserGroup.findAll({ where: { userId }, attributes: ['groupId'], raw: true, transaction });
    const have = new Set(existing.map((e) => e.groupId as number));
    const missing = ids.filter((id) => !have.has(id));
    if (missing.length)
      await models.UserGroup.bulkCreate(
        missing.map((groupId) => ({ userId, groupId })),
        { transaction },
      );
    const groups = await models.Group.findAll({
      where: { id: { [Op.in]: missing.length ? missing : [-1] } },
      attributes: ['name'],
      raw: true,
      transaction,
    });
    return groups.map((g) => g.name).sort();
  });
}
