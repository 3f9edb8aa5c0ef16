import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { QueryTypes, Sequelize } from 'sequelize';
import sqlite3 from 'sqlite3';
import { isDjangoPasswordHash } from '@salesfleet/models';
import { isEmail, isUsername, LimitReached, ValidationFailed } from '@salesfleet/contracts';
import { closeSequelize, describeSpec, openSequelize, parseDatabaseUrl, type DatabaseSpec } from '../drivers/index';
import { workingTenant, type RecoveryDeps } from './recovery';

/**
 * `import-users <slug> --from-django URL`: the old system's people (Django's auth_user, auth_group,
 * auth_user_groups on PostgreSQL, MySQL or SQLite) become the tenant's users.
 *
 * - Passwords: a `pbkdf2_sha256$…` hash is kept as it is, so the old password signs in (the one
 *   verifier, verifyPassword in @salesfleet/models, accepts it) and the first successful sign-in
 *   replaces it with the product's Argon2id hash (passwordNeedsRehash). Any other algorithm, and
 *   Django's unusable `!…` passwords, are imported as "must reset": an unusable hash, reported, for
 *   `tenant-users <slug> --reset-password USER`.
 * - Groups: Django groups named like the tenant's groups (Admin, Managers, Cashiers; case ignored)
 *   give that membership. Other groups are skipped and reported with their members, not created: a
 *   Django group's permissions are the old system's (content types and codenames) and do not map onto
 *   this product's permissions, so a created group would look like a migrated role yet grant nothing.
 * - Idempotent: a Django user whose username, or email (case ignored), is already the tenant's is
 *   left alone (reported as existing), so a second run adds nothing. Inactive users stay inactive
 *   and do not count towards the tenant's user limit; the active ones must fit in it, or nothing is
 *   imported. Users without a valid email or username are skipped and reported.
 * - One transaction on the tenant's database: all of it or none. `dryRun` reports the same without writing.
 */

export interface DjangoImportProgress {
  done: number;
  total: number;
}

export interface DjangoImportOptions {
  actor: string;
  dryRun?: boolean;
  onProgress?: (progress: DjangoImportProgress) => void;
}

export interface DjangoImportedUser {
  username: string;
  email: string;
  isActive: boolean;
  isSuperuser: boolean;
  groups: string[];
  /** Django's password kept (pbkdf2_sha256), or "must reset" (another algorithm, or unusable). */
  password: 'kept' | 'must-reset';
  /** Why the password must be reset: the Django algorithm, or "unusable". */
  mustResetReason?: string;
}

export interface DjangoImportResult {
  slug: string;
  /** The Django database, password masked. */
  source: string;
  dryRun: boolean;
  /** Imported (or, in a dry run, that would be). */
  created: DjangoImportedUser[];
  /** Already in the tenant (same username, or same email): left as they are. */
  existing: { username: string; matchedBy: 'username' | 'email' }[];
  /** Not imported, with the reason. */
  skippedUsers: { username: string; reason: string }[];
  /** Django groups with no tenant group of that name, and how many imported users were in each. */
  skippedGroups: { name: string; members: number }[];
  /** Django groups mapped onto the tenant's (Django name → tenant name). */
  mappedGroups: { django: string; tenant: string }[];
}

interface DjangoUserRow {
  id: number;
  password: string;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  is_superuser: unknown;
  is_active: unknown;
}

/**
 * The Django database from its URL. A SQLite file may be anywhere and is opened read-only, without
 * the tenant pragmas (WAL would be written into the old system's file).
 */
function djangoSource(url: string): { spec: DatabaseSpec; open: () => Sequelize } {
  const spec = parseDatabaseUrl(url);
  if (spec.engine === 'sqlite') {
    const storage = resolve(spec.database);
    const open = () =>
      new Sequelize({
        dialect: 'sqlite',
        dialectModule: sqlite3,
        storage,
        logging: false,
        dialectOptions: { mode: sqlite3.OPEN_READONLY },
      });
    return { spec: { ...spec, database: storage }, open };
  }
  return { spec, open: () => openSequelize(spec, { dataDir: process.cwd(), poolMax: 1 }) };
}

const truthy = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 't' || v === 'true';

async function readDjango(db: Sequelize, source: string) {
  try {
    const users = await db.query<DjangoUserRow>(
      'SELECT id, password, username, email, first_name, last_name, is_superuser, is_active FROM auth_user ORDER BY id',
      { type: QueryTypes.SELECT },
    );
    const groups = await db.query<{ id: number; name: string }>('SELECT id, name FROM auth_group ORDER BY id', { type: QueryTypes.SELECT });
    const links = await db.query<{ user_id: number; group_id: number }>('SELECT user_id, group_id FROM auth_user_groups', {
      type: QueryTypes.SELECT,
    });
    return { users, groups, links };
  } catch (err) {
    throw new ValidationFailed(`${source} is not a readable Django database (auth_user, auth_group, auth_user_groups)`, [
      { path: 'fromDjango', message: err instanceof Error ? err.message : String(err) },
    ]);
  }
}

/** Why a Django password cannot be kept (null: it can). */
function mustResetReason(hash: string): string | null {
  if (isDjangoPasswordHash(hash)) return null;
  if (!hash || hash.startsWith('!')) return 'unusable';
  const algorithm = hash.split('$', 1)[0] ?? '';
  return /^[a-z0-9_]{1,40}$/.test(algorithm) ? algorithm : 'unknown format';
}

export async function importDjangoUsers(
  deps: RecoveryDeps,
  slug: string,
  url: string,
  options: DjangoImportOptions,
): Promise<DjangoImportResult> {
  const tenant = await workingTenant(deps, slug);
  const { spec, open } = djangoSource(url);
  const source = describeSpec(spec);
  const dryRun = options.dryRun ?? false;
  const run = await deps.operations.begin('import-django-users', {
    actor: options.actor,
    tenantId: tenant.id,
    tenantSlug: slug,
    details: { source, dryRun },
  });
  try {
    const db = open();
    let django: Awaited<ReturnType<typeof readDjango>>;
    try {
      django = await readDjango(db, source);
    } finally {
      await closeSequelize(db);
    }
    const result = await deps.connections.withTenant(tenant, ({ models }) =>
      models.sequelize.transaction(async (transaction) => {
        const tenantGroups = await models.Group.findAll({ attributes: ['id', 'name'], raw: true, transaction });
        const groupByName = new Map(tenantGroups.map((g) => [g.name.toLowerCase(), g]));
        const djangoGroups = new Map(django.groups.map((g) => [Number(g.id), String(g.name)]));
        const groupsOf = new Map<number, string[]>();
        for (const link of django.links) {
          const name = djangoGroups.get(Number(link.group_id));
          if (name === undefined) continue;
          const list = groupsOf.get(Number(link.user_id)) ?? [];
          list.push(name);
          groupsOf.set(Number(link.user_id), list);
        }
        const existingUsers = await models.User.findAll({ attributes: ['username', 'email', 'isActive'], raw: true, transaction });
        const usernames = new Set(existingUsers.map((u) => u.username));
        const emails = new Set(existingUsers.map((u) => u.email.toLowerCase()));
        let activeUsers = existingUsers.filter((u) => u.isActive).length;

        const out: DjangoImportResult = {
          slug,
          source,
          dryRun,
          created: [],
          existing: [],
          skippedUsers: [],
          skippedGroups: [],
          mappedGroups: [],
        };
        const skippedGroupMembers = new Map<string, number>();
        for (const name of djangoGroups.values()) {
          const mapped = groupByName.get(name.toLowerCase());
          if (mapped) out.mappedGroups.push({ django: name, tenant: mapped.name });
          else skippedGroupMembers.set(name, 0);
        }
        const toCreate: { row: DjangoUserRow; user: DjangoImportedUser; groupIds: number[] }[] = [];
        const total = django.users.length;
        let done = 0;
        for (const row of django.users) {
          const username = String(row.username ?? '');
          const email = String(row.email ?? '')
            .trim()
            .toLowerCase();
          options.onProgress?.({ done: ++done, total });
          if (usernames.has(username)) {
            out.existing.push({ username, matchedBy: 'username' });
            continue;
          }
          if (email && emails.has(email)) {
            out.existing.push({ username, matchedBy: 'email' });
            continue;
          }
          if (!isUsername(username)) {
            out.skippedUsers.push({ username, reason: 'the username is not valid here (letters, digits and @ . + - _, at most 150)' });
            continue;
          }
          if (!isEmail(email)) {
            out.skippedUsers.push({ username, reason: email ? `invalid email "${email}"` : 'no email (tenant users need one)' });
            continue;
          }
          const names = groupsOf.get(Number(row.id)) ?? [];
          const groups: string[] = [];
          const groupIds: number[] = [];
          for (const name of names) {
            const mapped = groupByName.get(name.toLowerCase());
            if (mapped) {
              groups.push(mapped.name);
              groupIds.push(mapped.id);
            } else skippedGroupMembers.set(name, (skippedGroupMembers.get(name) ?? 0) + 1);
          }
          const reason = mustResetReason(String(row.password ?? ''));
          const user: DjangoImportedUser = {
            username,
            email,
            isActive: truthy(row.is_active),
            isSuperuser: truthy(row.is_superuser),
            groups: groups.sort(),
            password: reason ? 'must-reset' : 'kept',
            ...(reason ? { mustResetReason: reason } : {}),
          };
          usernames.add(username);
          emails.add(email);
          if (user.isActive) activeUsers++;
          toCreate.push({ row, user, groupIds });
          out.created.push(user);
        }
        out.skippedGroups = [...skippedGroupMembers].map(([name, members]) => ({ name, members }));
        if (activeUsers > tenant.maxUsers) {
          throw new LimitReached(
            `Importing would give ${slug} ${activeUsers} active users; it allows at most ${tenant.maxUsers}. Raise the limit first (nothing was imported)`,
            { limit: 'maxUsers', maxUsers: tenant.maxUsers, activeUsers },
          );
        }
        if (dryRun) return out;
        for (const { row, user, groupIds } of toCreate) {
          const created = await models.User.create(
            {
              username: user.username,
              email: user.email,
              passwordHash: user.password === 'kept' ? String(row.password) : `!${randomBytes(20).toString('hex')}`,
              firstName: String(row.first_name ?? '').slice(0, 150),
              lastName: String(row.last_name ?? '').slice(0, 150),
              isActive: user.isActive,
              isSuperuser: user.isSuperuser,
              mustChangePassword: user.password === 'must-reset',
            },
            { transaction },
          );
          if (groupIds.length)
            await models.UserGroup.bulkCreate(
              groupIds.map((groupId) => ({ userId: created.id, groupId })),
              { transaction },
            );
        }
        return out;
      }),
    );
    await run.succeed({
      dryRun,
      created: result.created.length,
      existing: result.existing.length,
      skippedUsers: result.skippedUsers.length,
      mustReset: result.created.filter((u) => u.password === 'must-reset').length,
      skippedGroups: result.skippedGroups.map((g) => g.name),
    });
    return result;
  } catch (err) {
    await run.fail(err);
    throw err;
  }
}
