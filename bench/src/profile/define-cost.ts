/**
 * `tsx src/profile/define-cost.ts [n]` — CPU cost of the model definitions a cold
 * `GET /api/products?limit=20` makes on a new tenant handle, step by step as listed in cold-path.ts
 * (what the connection cache's open defines — SESSION_MODEL_NAMES with their associations — then the
 * request's `models.unassociated(…)` reads), on Sequelize instances that never connect: the part of a
 * cold request that is pure model definition. For comparison, the same models read as `models[name]`
 * (every association of each wired, as before `unassociated`). cold-open.ts checks the list against
 * what the real request defines.
 */
import { defineTenantModels, type TenantModels } from '@salesfleet/models';
import { median, round } from '../lib/stats';
import { COLD_PRODUCT_LIST, unconnectedInstance } from './cold-path';

const n = Number(process.argv[2] ?? 50);
const WARMUP = 5;

const t: Record<string, number[]> = {};
let definedNow = '';
let definedBefore = '';
for (let i = 0; i < n + WARMUP; i++) {
  const sequelize = unconnectedInstance();
  let t0 = performance.now();
  const step = (k: string) => {
    const now = performance.now();
    if (i >= WARMUP) (t[k] ??= []).push(now - t0);
    t0 = now;
  };
  const models: TenantModels = defineTenantModels(sequelize);
  step('defineTenantModels (nothing defined yet)');
  for (const s of COLD_PRODUCT_LIST) {
    for (const name of s.associated) void models[name];
    for (const name of s.unassociated) void models.unassociated(name);
    step(s.step);
  }
  definedNow = Object.keys(sequelize.models).join(', ');

  // The same models as every one of them was read before `unassociated`: with their associations.
  const before = defineTenantModels(unconnectedInstance());
  t0 = performance.now();
  for (const s of COLD_PRODUCT_LIST) for (const name of [...s.associated, ...s.unassociated]) void before[name];
  step('for comparison: the same models read as models[name]');
  definedBefore = Object.keys(before.sequelize.models).join(', ');
}

process.stdout.write(`model definition of a cold GET /api/products?limit=20, median of ${n} new instances:\n`);
let total = 0;
for (const [k, xs] of Object.entries(t)) {
  const ms = median(xs);
  if (!k.startsWith('for comparison')) total += ms;
  else
    process.stdout.write(`  total ${round(total, 2)} ms per new tenant handle (a superuser's request skips the 'not a superuser' step)\n`);
  process.stdout.write(`  ${k.padEnd(64)} ${round(ms, 2)} ms\n`);
}
process.stdout.write(`models defined: ${definedNow}\nread as models[name] instead: ${definedBefore}\n`);
