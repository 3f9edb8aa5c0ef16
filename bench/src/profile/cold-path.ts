/**
 * The models a cold `GET /api/products?limit=20` defines, in order, as define-cost.ts replays them on
 * instances that never connect. cold-open.ts runs the real request and compares what it defined with
 * this list, so a change in the API or models that makes the two drift apart is reported there.
 */
import { Sequelize } from 'sequelize';
import { SESSION_MODEL_NAMES, defineTenantModels, tenantSequelizeOptions, type TenantModelName } from '@salesfleet/models';

export interface ColdStep {
  step: string;
  /** Read as `models[name]`: defined with the associations whose source it is (and their targets). */
  associated: readonly TenantModelName[];
  /** Read as `models.unassociated(name)`: the class alone. */
  unassociated: readonly TenantModelName[];
  /** Only for a user who is not a superuser (the bench template's admin is one). */
  nonSuperuserOnly?: boolean;
}

export const COLD_PRODUCT_LIST: readonly ColdStep[] = [
  { step: 'open handle: SESSION_MODEL_NAMES', associated: SESSION_MODEL_NAMES, unassociated: [] },
  { step: 'session + user (the session’s user association)', associated: [], unassociated: [] },
  { step: 'permission load: memberships, group names', associated: [], unassociated: ['UserGroup', 'Group'] },
  {
    step: 'permission load, not a superuser: grants, codenames',
    associated: [],
    unassociated: ['GroupPermission', 'Permission'],
    nonSuperuserOnly: true,
  },
  { step: 'product page (listProducts)', associated: [], unassociated: ['Product'] },
  { step: 'stock of the page (stockByProduct)', associated: [], unassociated: ['StockLevel'] },
];

/** A tenant Sequelize instance that never connects (definitions only). */
export function unconnectedInstance(): Sequelize {
  return new Sequelize(tenantSequelizeOptions('sqlite', { dialect: 'sqlite', storage: ':memory:', logging: false }));
}

/** The models defined after replaying `steps` on a new instance, sorted. */
export function definedByReplay(steps: readonly ColdStep[]): string[] {
  const models = defineTenantModels(unconnectedInstance());
  for (const s of steps) {
    for (const name of s.associated) void models[name];
    for (const name of s.unassociated) void models.unassociated(name);
  }
  return Object.keys(models.sequelize.models).sort();
}
