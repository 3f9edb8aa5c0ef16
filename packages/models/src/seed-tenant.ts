import { DEFAULT_CHART_OF_ACCOUNTS, DEFAULT_LOCATION, DEFAULT_TAX_RATE } from './accounting/chart-of-accounts';
import { hashPassword } from './auth/passwords';
import { DEFAULT_GROUPS, PERMISSIONS } from './auth/permissions';
import type { TenantModels } from './model-types';
import { SETTINGS_ROW_ID } from './settings/settings';
import { DEFAULT_UNITS } from './sales/unit';

interface SeedAdminBase {
  username: string;
  email: string;
  firstName?: string;
  lastName?: string;
  mustChangePassword: boolean;
}

/**
 * The tenant's first admin. Give `password` (hashed here: one full-cost Argon2id on the password pool) or a
 * `passwordHash` from hashPassword() — a provisioner can hash while it creates and migrates the
 * database, and keep the seed itself in the tens of milliseconds.
 */
export type SeedAdmin = SeedAdminBase & ({ password: string; passwordHash?: never } | { passwordHash: string; password?: never });

export interface SeedTenantInput {
  admin: SeedAdmin;
  /** The first location; default `MAIN` "Main store". */
  location?: { code: string; name: string };
  /** The company name on invoices (settings); set only while the settings have none. */
  companyName?: string;
}

export interface SeedTenantResult {
  adminUserId: number;
}

/**
 * Seeds a freshly migrated tenant database: permissions, the default groups with their permissions,
 * the chart of accounts, the default tax rate, the first location and the admin user (superuser, member
 * of Admin, Managers and Cashiers). One transaction, bulk inserts. Idempotent: rows that exist (by
 * codename, name, code, username) are left as they are, so a second run changes nothing — in
 * particular an existing admin keeps their password.
 */
export async function seedTenant(models: TenantModels, input: SeedTenantInput): Promise<SeedTenantResult> {
  const { admin } = input;
  const location = input.location ?? DEFAULT_LOCATION;
  const { sequelize, User, Group, Permission, GroupPermission, UserGroup, Account, TaxRate, Location, Unit } = models;

  return sequelize.transaction(async (transaction) => {
    const existing = await User.findOne({ where: { username: admin.username }, attributes: ['id'], transaction });

    // Hash while the other rows are written; the hash runs on the password pool's workers.
    let pendingHash: Promise<string> | undefined;
    if (!existing) {
      pendingHash = admin.passwordHash !== undefined ? Promise.resolve(admin.passwordHash) : hashPassword(admin.password);
      pendingHash.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile
    }

    const insert = { ignoreDuplicates: true, transaction } as const;
    await Permission.bulkCreate(
      PERMISSIONS.map((p) => ({ codename: p.codename, name: p.name })),
      insert,
    );
    await Group.bulkCreate(
      DEFAULT_GROUPS.map((g) => ({ name: g.name })),
      insert,
    );
    await Account.bulkCreate(
      DEFAULT_CHART_OF_ACCOUNTS.map((a) => ({ ...a })),
      insert,
    );
    await TaxRate.bulkCreate([{ ...DEFAULT_TAX_RATE }], insert);
    await Location.bulkCreate([{ code: location.code, name: location.name }], insert);
    // The migration that made the table created the row; a schema built by sync() has none yet.
    await models.TenantSettings.bulkCreate([{ id: SETTINGS_ROW_ID }], insert);
    if (input.companyName?.trim()) {
      await models.TenantSettings.update(
        { companyName: input.companyName.trim().slice(0, 200) },
        { where: { id: SETTINGS_ROW_ID, companyName: '' }, transaction },
      );
    }
    await Unit.bulkCreate(
      DEFAULT_UNITS.map((u) => ({ ...u })),
      insert,
    );

    // One query at a time: a transaction is one connection (node-postgres deprecates concurrent queries on it).
    const permissionRows = await Permission.findAll({ attributes: ['id', 'codename'], raw: true, transaction });
    const groupRows = await Group.findAll({ attributes: ['id', 'name'], raw: true, transaction });
    const permissionId = new Map(permissionRows.map((p) => [p.codename, p.id]));
    const groupId = new Map(groupRows.map((g) => [g.name, g.id]));

    await GroupPermission.bulkCreate(
      DEFAULT_GROUPS.flatMap((g) =>
        g.permissions.map((codename) => ({ groupId: groupId.get(g.name)!, permissionId: permissionId.get(codename)! })),
      ),
      insert,
    );

    let adminUserId: number;
    if (existing) {
      adminUserId = existing.id;
    } else {
      const user = await User.create(
        {
          username: admin.username,
          email: admin.email,
          passwordHash: await pendingHash!,
          firstName: admin.firstName ?? '',
          lastName: admin.lastName ?? '',
          isActive: true,
          isSuperuser: true,
          mustChangePassword: admin.mustChangePassword,
        },
        { transaction },
      );
      adminUserId = user.id;
    }

    await UserGroup.bulkCreate(
      DEFAULT_GROUPS.map((g) => ({ userId: adminUserId, groupId: groupId.get(g.name)! })),
      insert,
    );
    return { adminUserId };
  });
}
