import {
  createTenantUser,
  generatePassword,
  groupsOfUsers,
  hashPassword,
  listUsers,
  oneTimePassword as newOneTimePassword,
  setUserGroups,
  setUserLocations,
  updateTenantUser,
  type TenantModels,
  userLocationIds,
} from '@salesfleet/models';
import type { Registry, TenantRecord } from '@salesfleet/tenancy';
import type { TenantApiRoutes } from '../../http/api-routes';
import { assertMayGrantGroups, assertMayManageUser } from './privilege';
import { type PermissionCache, userJson } from './tenant-sessions';
import {
  assertStrongPassword,
  Conflict,
  CreateUserInputSchema,
  CreateUserResultSchema,
  GroupListSchema,
  idParam,
  NotFound,
  PasswordResetResultSchema,
  PermissionDenied,
  PermissionListSchema,
  SetUserGroupsInputSchema,
  SetUserLocationsInputSchema,
  UpdateUserInputSchema,
  UserListQuerySchema,
  UserLocationsSchema,
  UserPageSchema,
  UserResultSchema,
} from '@salesfleet/contracts';

/** Users and groups of the tenant: read with `auth.view_*`, change with `auth.manage_users`. */
export function tenantUsersRoutes(
  routes: TenantApiRoutes,
  deps: { permissions: PermissionCache; registry: Pick<Registry, 'setUserCount'> },
): TenantApiRoutes {
  const { permissions, registry } = deps;
  // The platform's tenants list shows this count from the registry, without opening the tenant's database.
  const recordUserCount = async (tenant: TenantRecord, models: TenantModels) =>
    registry.setUserCount(tenant.id, await models.User.count({ where: { isActive: true } }));

  const withGroups = async (models: TenantModels, id: number) => {
    const user = await models.User.findByPk(id);
    if (!user) throw new NotFound('User', id);
    const groups = (await groupsOfUsers(models, [id])).get(id) ?? [];
    return { ...userJson(user), groups };
  };

  routes.add(
    {
      method: 'get',
      path: '/users',
      summary: 'List users (search by username, email or name; filter active), with their groups',
      permission: 'auth.view_user',
      query: UserListQuerySchema,
      responses: {
        200: { description: 'A page of users', schema: UserPageSchema },
      },
    },
    async (c, { query }) => {
      const models = c.var.db;
      const page = await listUsers(models, {
        ...(query.search ? { search: query.search } : {}),
        ...(query.active ? { active: query.active === 'true' } : {}),
        limit: query.limit,
        offset: query.offset,
      });
      const groups = await groupsOfUsers(
        models,
        page.items.map((r) => r.id),
      );
      const users = page.items.map((r) => ({ ...userJson(r), groups: groups.get(r.id) ?? [] }));
      return c.json({ users, total: page.total, limit: page.limit, offset: page.offset });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/users/:id',
      summary: 'One user with their groups',
      permission: 'auth.view_user',
      params: idParam,
      responses: { 200: { description: 'The user', schema: UserResultSchema }, 404: { description: 'NotFound' } },
    },
    async (c, { params }) => c.json({ user: await withGroups(c.var.db, params.id) }),
  );

  routes.add(
    {
      method: 'post',
      path: '/users',
      summary: "Create a user (within the workspace's user limit); without a password a one-time password is generated",
      permission: 'auth.manage_users',
      body: CreateUserInputSchema,
      responses: {
        201: {
          description: 'Created; oneTimePassword is shown only this once',
          schema: CreateUserResultSchema,
        },
        409: { description: 'LimitReached (names the limit), Conflict (username or email taken)' },
      },
    },
    async (c, { body }) => {
      const models = c.var.db;
      const tenant = c.var.tenant;
      if (body.isSuperuser && !c.var.user.user.isSuperuser)
        throw new PermissionDenied('superuser', 'Only a superuser can grant or remove superuser status');
      await assertMayGrantGroups(c, body.groups ?? []);
      if (body.password) assertStrongPassword(body.password, body, 'password');
      const oneTimePassword = body.password ? undefined : generatePassword();
      const user = await createTenantUser(
        models,
        {
          username: body.username,
          email: body.email,
          passwordHash: await hashPassword(body.password ?? oneTimePassword!),
          ...(body.firstName !== undefined ? { firstName: body.firstName } : {}),
          ...(body.lastName !== undefined ? { lastName: body.lastName } : {}),
          isSuperuser: body.isSuperuser ?? false,
          mustChangePassword: oneTimePassword !== undefined,
          groups: body.groups ?? [],
        },
        { maxUsers: tenant.maxUsers },
      );
      await recordUserCount(tenant, models);
      const groups = (await groupsOfUsers(models, [user.id])).get(user.id) ?? [];
      return c.json({ user: { ...userJson(user), groups }, ...(oneTimePassword ? { oneTimePassword } : {}) }, 201);
    },
  );

  routes.add(
    {
      method: 'patch',
      path: '/users/:id',
      summary: 'Update a user (email, names, active, superuser); re-activating counts against the user limit',
      permission: 'auth.manage_users',
      params: idParam,
      body: UpdateUserInputSchema,
      responses: {
        200: { description: 'Updated', schema: UserResultSchema },
        404: { description: 'NotFound' },
        409: { description: 'LimitReached, Conflict' },
      },
    },
    async (c, { params, body }) => {
      const me = c.var.user.user;
      if (params.id === me.id && (body.isActive === false || body.isSuperuser === false)) {
        throw new Conflict('You cannot deactivate yourself or drop your own superuser status');
      }
      if (body.isSuperuser !== undefined && !me.isSuperuser)
        throw new PermissionDenied('superuser', 'Only a superuser can grant or remove superuser status');
      await assertMayManageUser(c, params.id);
      await updateTenantUser(c.var.db, params.id, body, { maxUsers: c.var.tenant.maxUsers });
      if (body.isActive !== undefined) await recordUserCount(c.var.tenant, c.var.db);
      permissions.forget(c.var.tenant, params.id);
      return c.json({ user: await withGroups(c.var.db, params.id) });
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/users/:id/deactivate',
      summary: 'Deactivate a user: they can no longer sign in and their sessions end',
      permission: 'auth.manage_users',
      params: idParam,
      responses: {
        200: { description: 'Deactivated', schema: UserResultSchema },
        404: { description: 'NotFound' },
      },
    },
    async (c, { params }) => {
      if (params.id === c.var.user.user.id) throw new Conflict('You cannot deactivate yourself');
      await assertMayManageUser(c, params.id);
      await updateTenantUser(c.var.db, params.id, { isActive: false }, { maxUsers: c.var.tenant.maxUsers });
      await recordUserCount(c.var.tenant, c.var.db);
      permissions.forget(c.var.tenant, params.id);
      return c.json({ user: await withGroups(c.var.db, params.id) });
    },
  );

  routes.add(
    {
      method: 'put',
      path: '/users/:id/groups',
      summary: "Set a user's groups (exactly these, by name)",
      permission: 'auth.manage_users',
      params: idParam,
      body: SetUserGroupsInputSchema,
      responses: { 200: { description: 'Groups set', schema: UserResultSchema }, 404: { description: 'NotFound' } },
    },
    async (c, { params, body }) => {
      await assertMayManageUser(c, params.id);
      await assertMayGrantGroups(c, body.groups);
      await setUserGroups(c.var.db, params.id, body.groups);
      permissions.forget(c.var.tenant, params.id);
      return c.json({ user: await withGroups(c.var.db, params.id) });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/users/:id/locations',
      summary: 'The locations a user may sell at (null: every location)',
      permission: 'auth.view_user',
      params: idParam,
      responses: {
        200: { description: 'Locations', schema: UserLocationsSchema },
        404: { description: 'NotFound' },
      },
    },
    async (c, { params }) => {
      const user = await c.var.db.User.findByPk(params.id, { attributes: ['id'] });
      if (!user) throw new NotFound('User', params.id);
      return c.json({ locationIds: await userLocationIds(c.var.db, params.id) });
    },
  );

  routes.add(
    {
      method: 'put',
      path: '/users/:id/locations',
      summary: 'Restrict the locations a user may sell at (an empty list: every location)',
      permission: 'auth.manage_users',
      params: idParam,
      body: SetUserLocationsInputSchema,
      responses: {
        200: { description: 'Set', schema: UserLocationsSchema },
        400: { description: 'ValidationFailed: an id names no location' },
        404: { description: 'NotFound' },
      },
    },
    async (c, { params, body }) => {
      await assertMayManageUser(c, params.id);
      return c.json({ locationIds: await setUserLocations(c.var.db, params.id, body.locationIds) });
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/users/:id/reset-password',
      summary: 'Give a user a new one-time password (they must change it at next sign-in); ends their sessions',
      permission: 'auth.manage_users',
      params: idParam,
      responses: {
        200: {
          description: 'The one-time password, shown only this once',
          schema: PasswordResetResultSchema,
        },
        404: { description: 'NotFound' },
      },
    },
    async (c, { params }) => {
      const models = c.var.db;
      await assertMayManageUser(c, params.id);
      const user = await models.User.findByPk(params.id);
      if (!user) throw new NotFound('User', params.id);
      // The cheap one-time hash (120 random bits need no memory-hard cost); the user must change it.
      const { password: oneTimePassword, hash } = await newOneTimePassword();
      await user.update({ passwordHash: hash, mustChangePassword: true });
      await models.Session.destroy({ where: { userId: user.id } });
      permissions.forget(c.var.tenant, user.id);
      return c.json({ user: await withGroups(models, user.id), oneTimePassword });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/groups',
      summary: 'Groups with their permission codenames',
      permission: 'auth.view_group',
      responses: { 200: { description: 'Groups', schema: GroupListSchema } },
    },
    async (c) => {
      const models = c.var.db;
      const [groups, links, perms] = await Promise.all([
        models.Group.findAll({ attributes: ['id', 'name'], order: [['name', 'ASC']], raw: true }),
        models.GroupPermission.findAll({ attributes: ['groupId', 'permissionId'], raw: true }),
        models.Permission.findAll({ attributes: ['id', 'codename'], raw: true }),
      ]);
      const codename = new Map(perms.map((p) => [p.id, p.codename]));
      return c.json({
        groups: groups.map((g) => ({
          id: g.id,
          name: g.name,
          permissions: links
            .filter((l) => l.groupId === g.id)
            .map((l) => codename.get(l.permissionId as number) ?? '')
            .sort(),
        })),
      });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/permissions',
      summary: 'Every permission codename of the workspace',
      permission: 'auth.view_permission',
      responses: {
        200: {
          description: 'Permissions',
          schema: PermissionListSchema,
        },
      },
    },
    async (c) => {
      const rows = await c.var.db.Permission.findAll({ attributes: ['codename', 'name'], order: [['codename', 'ASC']], raw: true });
      return c.json({ permissions: rows.map((r) => ({ codename: r.codename, name: r.name })) });
    },
  );

  return routes;
}
