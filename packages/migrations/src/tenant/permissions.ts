import { QueryTypes, type QueryInterface, type Sequelize, type Transaction } from 'sequelize';

/**
 * Adds permissions to an existing tenant and grants them to its default groups (by name, where the
 * group still exists), as seedTenant does for a new tenant. Each migration lists its own permissions
 * literally, so what it does never changes when the code's permission list grows later. Idempotent.
 */
export async function grantPermissions(
  queryInterface: QueryInterface,
  sequelize: Sequelize,
  permissions: readonly { codename: string; name: string; groups: readonly string[] }[],
  transaction: Transaction | undefined,
): Promise<void> {
  const select = <T extends object>(sql: string, replacements: unknown[]) =>
    sequelize.query<T>(sql, { transaction, type: QueryTypes.SELECT, raw: true, replacements });
  const codenames = permissions.map((p) => p.codename);
  const existing = new Set(
    (await select<{ codename: string }>('SELECT codename FROM auth_permissions WHERE codename IN (?)', [codenames])).map((r) => r.codename),
  );
  const missing = permissions.filter((p) => !existing.has(p.codename));
  if (missing.length) {
    await queryInterface.bulkInsert(
      'auth_permissions',
      missing.map((p) => ({ codename: p.codename, name: p.name })),
      { transaction },
    );
  }
  const ids = new Map(
    (await select<{ id: number; codename: string }>('SELECT id, codename FROM auth_permissions WHERE codename IN (?)', [codenames])).map(
      (r) => [r.codename, r.id],
    ),
  );
  const groupNames = [...new Set(permissions.flatMap((p) => p.groups))];
  const groups = new Map(
    (await select<{ id: number; name: string }>('SELECT id, name FROM auth_groups WHERE name IN (?)', [groupNames])).map((r) => [
      r.name,
      r.id,
    ]),
  );
  const links = await select<{ group_id: number; permission_id: number }>(
    'SELECT group_id, permission_id FROM group_permissions WHERE permission_id IN (?)',
    [[...ids.values()]],
  );
  const linked = new Set(links.map((l) => `${l.group_id}:${l.permission_id}`));
  const rows = permissions.flatMap((p) =>
    p.groups
      .map((g) => ({ group_id: groups.get(g), permission_id: ids.get(p.codename)! }))
      .filter(
        (r): r is { group_id: number; permission_id: number } =>
          r.group_id !== undefined && !linked.has(`${r.group_id}:${r.permission_id}`),
      ),
  );
  if (rows.length) await queryInterface.bulkInsert('group_permissions', rows, { transaction });
}

/** Removes permissions (down migrations); their group links go with them (ON DELETE CASCADE, deleted first for MySQL's sake). */
export async function revokePermissions(
  sequelize: Sequelize,
  codenames: readonly string[],
  transaction: Transaction | undefined,
): Promise<void> {
  const run = (sql: string) => sequelize.query(sql, { transaction, raw: true, replacements: [codenames] });
  await run('DELETE FROM group_permissions WHERE permission_id IN (SELECT id FROM auth_permissions WHERE codename IN (?))');
  await run('DELETE FROM auth_permissions WHERE codename IN (?)');
}
