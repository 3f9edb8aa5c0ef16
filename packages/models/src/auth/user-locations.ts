import { Op } from 'sequelize';
import type { TenantModels } from '../model-types';
import { rawSelectParts, sqlBool, sqlInt, type RawRead } from '../raw-select';
import { NotFound, SalesfleetError, ValidationFailed } from '@salesfleet/contracts';

/** The user may not act at this location (403 in the API). */
export class LocationNotAllowed extends SalesfleetError {
  constructor(locationId: number) {
    super('PermissionDenied', 'You may not sell at this location; ask a workspace admin to allow it', {
      permission: 'location',
      locationId,
    });
  }
}

/** The locations a user is restricted to, or null when they may use every location. */
export async function userLocationIds(models: TenantModels, userId: number): Promise<number[] | null> {
  const rows = await models
    .unassociated('UserLocation')
    .findAll({ where: { userId }, attributes: ['locationId'], order: [['locationId', 'ASC']], raw: true });
  return rows.length === 0 ? null : rows.map((r) => r.locationId as number);
}

/** What the location rule needs of a user (userLocationsRead): their locations and the first two active ones. */
export interface UserLocations {
  /** The user's locations (whether each is active), in id order; empty when they may use every location. */
  allowed: { id: number; isActive: boolean }[];
  /** The first two active locations of the tenant, in id order. */
  active: number[];
}

/**
 * The read behind the location rule (locationForUser), to send with other reads in one round trip
 * (rawReads): the user's locations and, in the same statement (a UNION), the first two active locations.
 */
export function userLocationsRead(models: TenantModels, userId: number): RawRead<UserLocations> {
  const links = models.unassociated('UserLocation');
  const u = rawSelectParts(links);
  const l = rawSelectParts(models.unassociated('Location'));
  const active = `${l.col('isActive')} = ${l.escape(true)}`;
  return {
    sql:
      `SELECT 0 AS ${u.quote('kind')}, ${u.col('locationId')} AS ${u.quote('id')}, ` +
      `(SELECT ${active} FROM ${l.from} WHERE ${l.col('id')} = ${u.col('locationId')}) AS ${u.quote('active')} ` +
      `FROM ${u.from} WHERE ${u.col('userId')} = ${sqlInt(userId)} ` +
      `UNION ALL SELECT 1, ${u.quote('d')}.${u.quote('id')}, ${l.escape(true)} FROM (SELECT ${l.col('id')} AS ${u.quote('id')} FROM ${l.from} ` +
      `WHERE ${active} ORDER BY ${l.col('id')} LIMIT 2) AS ${u.quote('d')}`,
    read: (rows) => ({
      allowed: rows
        .filter((r) => Number(r.kind) === 0)
        .map((r) => ({ id: Number(r.id), isActive: sqlBool(r.active) }))
        .sort((a, b) => a.id - b.id),
      active: rows.filter((r) => Number(r.kind) === 1).map((r) => Number(r.id)),
    }),
  };
}

/**
 * The location a sale (or any document) by a user happens at when the request names none: the
 * user's only allowed location, else the tenant's only active location — then checked against the
 * user's locations (LocationNotAllowed). `requested`, when given, is only checked.
 */
export function locationForUser(user: UserLocations, requested: number | undefined): number {
  const allowed = user.allowed.map((l) => l.id);
  let locationId: number;
  if (requested !== undefined) locationId = requested;
  else if (allowed.length === 1) locationId = allowed[0]!;
  else if (user.active.length === 1) locationId = user.active[0]!;
  else throw new ValidationFailed('Say which location sells', [{ path: 'locationId', message: 'required' }]);
  assertLocationAllowed(allowed.length === 0 ? null : allowed, locationId);
  return locationId;
}

/** Throws LocationNotAllowed unless the user may use the location. */
export async function assertMayUseLocation(models: TenantModels, userId: number, locationId: number): Promise<void> {
  assertLocationAllowed(await userLocationIds(models, userId), locationId);
}

/** assertMayUseLocation on the user's locations already read (userLocationIds: null = every location). */
export function assertLocationAllowed(allowed: readonly number[] | null, locationId: number): void {
  if (allowed !== null && !allowed.includes(locationId)) throw new LocationNotAllowed(locationId);
}

/** Restricts a user to these locations; an empty list lifts the restriction (every location). */
export async function setUserLocations(models: TenantModels, userId: number, locationIds: readonly number[]): Promise<number[] | null> {
  const ids = [...new Set(locationIds)].sort((a, b) => a - b);
  return models.sequelize.transaction(async (transaction) => {
    const user = await models.User.findByPk(userId, { attributes: ['id'], transaction });
    if (!user) throw new NotFound('User', userId);
    if (ids.length > 0) {
      const found = await models.Location.count({ where: { id: { [Op.in]: ids } }, transaction });
      if (found !== ids.length)
        throw new ValidationFailed('Unknown location', [{ path: 'locationIds', message: 'every id must name a location' }]);
    }
    const links = models.unassociated('UserLocation');
    await links.destroy({ where: { userId }, transaction });
    if (ids.length > 0)
      await links.bulkCreate(
        ids.map((locationId) => ({ userId, locationId })),
        { transaction },
      );
    return ids.length === 0 ? null : ids;
  });
}
