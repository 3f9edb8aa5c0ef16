import { type Model, type ModelStatic, QueryTypes } from 'sequelize';
import type { TenantModels } from '../model-types';
import { rawSelectParts } from '../raw-select';

/** A session found by its token hash, with its user, as plain values. */
export interface SessionWithUser {
  session: { id: number; userId: number; expiresAt: Date; lastSeenAt: Date | null; createdAt: Date };
  user: {
    id: number;
    username: string;
    email: string;
    firstName: string;
    lastName: string;
    isActive: boolean;
    isSuperuser: boolean;
    mustChangePassword: boolean;
    lastLoginAt: Date | null;
  };
}

const USER_COLUMNS = [
  'username',
  'email',
  'firstName',
  'lastName',
  'isActive',
  'isSuperuser',
  'mustChangePassword',
  'lastLoginAt',
] as const;

/** The statement per Session class (one per tenant handle): built once, the token hash bound as $1. */
const statements = new WeakMap<ModelStatic<Model>, string>();

function lookupSql(sessionModel: ModelStatic<Model>, userModel: ModelStatic<Model>): string {
  let sql = statements.get(sessionModel);
  if (sql) return sql;
  const s = rawSelectParts(sessionModel);
  const u = rawSelectParts(userModel);
  const as = (col: string, name: string) => `${col} AS ${s.quote(name)}`;
  const columns = [
    as(s.col('id'), 'sessionId'),
    as(s.col('userId'), 'userId'),
    as(s.col('expiresAt'), 'expiresAt'),
    as(s.col('lastSeenAt'), 'lastSeenAt'),
    as(s.col('createdAt'), 'createdAt'),
    ...USER_COLUMNS.map((name) => as(u.col(name), name)),
  ];
  sql = `SELECT ${columns.join(', ')} FROM ${s.from} INNER JOIN ${u.from} ON ${u.col('id')} = ${s.col('userId')} WHERE ${s.col('tokenHash')} = $1`;
  statements.set(sessionModel, sql);
  return sql;
}

/** A DATE column as the driver returns it (SQLite: text such as `2026-12-07 13:56:33.916 +00:00`). */
const instant = (value: unknown): Date => (value instanceof Date ? value : new Date(value as string));

/**
 * The session whose token hashes to `tokenHash`, with its user — one plain statement with the hash
 * bound, no model instances and no query building: the session check of a signed-in request whose
 * session this process does not hold (every request of a tenant that is not asked again within the
 * session cache's second). The same text every time, so SQLite runs it on a prepared statement.
 */
export async function findSessionByTokenHash(models: TenantModels, tokenHash: string): Promise<SessionWithUser | null> {
  const sessionModel = models.unassociated('Session');
  const sql = lookupSql(sessionModel, models.unassociated('User'));
  const [row] = await sessionModel.sequelize!.query<Record<string, unknown>>(sql, {
    type: QueryTypes.SELECT,
    raw: true,
    bind: [tokenHash],
  });
  if (!row) return null;
  return {
    session: {
      id: Number(row.sessionId),
      userId: Number(row.userId),
      expiresAt: instant(row.expiresAt),
      lastSeenAt: row.lastSeenAt === null ? null : instant(row.lastSeenAt),
      createdAt: instant(row.createdAt),
    },
    user: {
      id: Number(row.userId),
      username: row.username as string,
      email: row.email as string,
      firstName: (row.firstName as string | null) ?? '',
      lastName: (row.lastName as string | null) ?? '',
      isActive: Boolean(row.isActive),
      isSuperuser: Boolean(row.isSuperuser),
      mustChangePassword: Boolean(row.mustChangePassword),
      lastLoginAt: row.lastLoginAt === null ? null : instant(row.lastLoginAt),
    },
  };
}
