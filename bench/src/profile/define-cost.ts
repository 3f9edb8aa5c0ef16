/**
 * `tsx src/profile/define-cost.ts [n]` — CPU cost of the models a product-list request touches on a
 * new tenant handle (Session, User, Product, StockLevel, and what their associations pull in), on
 * Sequelize instances that never connect: the part of a cold request that is pure model definition.
 */
import { Sequelize } from 'sequelize';
import { defineTenantModels, tenantSequelizeOptions } from '@salesfleet/models';
import { median, round } from '../lib/stats';

const n = Number(process.argv[2] ?? 50);
const t: Record<string, number[]> = {};
for (let i = 0; i < n + 5; i++) {
  const sequelize = new Sequelize(tenantSequelizeOptions('sqlite', { dialect: 'sqlite', storage: ':memory:', logging: false }));
  const models = defineTenantModels(sequelize);
  let t0 = performance.now();
  const step = (k: string) => {
    const now = performance.now();
    if (i >= 5) (t[k] ??= []).push(now - t0);
    t0 = now;
  };
  void models.Session;
  step('Session');
  void models.User;
  step('User');
  void models.Product;
  step('Product');
  void models.StockLevel;
  step('StockLevel');
  const defined = Object.keys(sequelize.models).length;
  if (i === n + 4) process.stdout.write(`models defined after those four: ${defined} (${Object.keys(sequelize.models).join(', ')})\n`);
  for (const name of ['UserGroup', 'Group', 'GroupPermission', 'Permission'] as const) void models[name];
  step('permission models (UserGroup, Group, GroupPermission, Permission)');
}
let total = 0;
for (const [k, xs] of Object.entries(t)) {
  total += median(xs);
  process.stdout.write(`  ${k.padEnd(64)} ${round(median(xs), 2)} ms\n`);
}
process.stdout.write(`  total ${round(total, 2)} ms per new tenant handle\n`);
