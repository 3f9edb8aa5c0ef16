import { QueryTypes } from 'sequelize';
import type { MigrationContext } from '../types';

export interface GrantedPermission {
  codename: string;
  name: string;
  /** Default groups (by name) that receive it in an existing tenant; a group that is missing is skipped. */
  groups: readonly string[];
}

/**
 * Adds permissions to an existing tenant and grants them to its default groups, as seedTenant does for
 * a new one (a new tenant has no groups yet when its migrations run; seedTenant links them after).
 * Written with plain SQL through the query interface: a migration must not depend on today's models.
 * Idempotent: permissions and links that exist are left alone.
 */
export async function grantPermissions(
  { queryInterface, sequelize, transaction }: MigrationContext,
  permissions: readonly GrantedPermission[],
): Promise<void> {
  const q = (name: string) => queryInterface.quoteIdentifier(name);
  const t = transaction ? { transaction } : {};
  const existing = await sequelize.query<{ codename: string }>(`SELECT ${q('codename')} FROM ${q('auth_permissions')}`, {
    type: QueryTypes.SELECT,
    ...t,
  });
  const have = new Set(existing.map((p) => p.codename));
  const missing = permissions.filter((p) => !have.has(p.codename));
  if (missing.length)
    await queryInterface.bulkInsert(
      'auth_permissions',
      missing.map((p) => ({ codename: p.codename, name: p.name })),
      t,
    );

  // One statement at a time: a transaction's connection runs one query at once.
  const select = <R extends object>(sql: string) => sequelize.query<R>(sql, { type: QueryTypes.SELECT, ...t });
  const permissionRows = await select<{ id: number; codename: string }>(
    `SELECT ${q('id')}, ${q('codename')} FROM ${q('auth_permissions')}`,
  );
  const groupRows = await select<{ id: number; name: string }>(`SELECT ${q('id')}, ${q('name')} FROM ${q('auth_groups')}`);
  const links = await select<{ group_id: number; permission_id: number }>(
    `SELECT ${q('group_id')}, ${q('permission_id')} FROM ${q('group_permissions')}`,
  );
  const permissionId = new Map(permissionRows.map((p) => [p.codename, Number(p.id)]));
  const groupId = new Map(groupRows.map((g) => [g.name, Number(g.id)]));
  const linked = new Set(links.map((l) => `${Number(l.group_id)}:${Number(l.permission_id)}`));
  const rows: { group_id: number; permission_id: number }[] = [];
  for (const p of permissions) {
    for (const group of p.groups) {
      const g = groupId.get(group);
      const id = permissionId.get(p.codename)!;
      if (g === undefined || linked.has(`${g}:${id}`)) continue;
      rows.push({ group_id: g, permission_id: id });
    }
  }
  if (rows.length) await queryInterface.bulkInsert('group_permissions', rows, t);
}

/** Removes permissions and their group links: the `down` of grantPermissions. */
export async function revokePermissions(
  { queryInterface, sequelize, transaction }: MigrationContext,
  codenames: readonly string[],
): Promise<void> {
  if (codenames.length === 0) return;
  const q = (name: string) => queryInterface.quoteIdentifier(name);
  const t = transaction ? { transaction } : {};
  const list = codenames.map(() => '?').join(', ');
  await sequelize.query(
    `DELETE FROM ${q('group_permissions')} WHERE ${q('permission_id')} IN (SELECT ${q('id')} FROM ${q('auth_permissions')} WHERE ${q('codename')} IN (${list}))`,
    { replacements: [...codenames], ...t },
  );
  await sequelize.query(`DELETE FROM ${q('auth_permissions')} WHERE ${q('codename')} IN (${list})`, { replacements: [...codenames], ...t });
}
