/**
 * How much a cold tenant pays before its first query answers: a new Sequelize instance on an
 * existing SQLite file, defineTenantModels, and the first `Product.findAll()` (which defines Product,
 * TaxRate and StockLevel only). Compared with defining every model eagerly. Not a test: no assertions.
 *
 *   pnpm --filter @salesfleet/models measure:cold-define
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequelize } from 'sequelize';
import { defineAllTenantModels, defineTenantModels, seedTenant } from '../src/index';

const RUNS = 40;
const dir = mkdtempSync(join(tmpdir(), 'salesfleet-measure-'));
const storage = join(dir, 'tenant.sqlite');
const open = () => new Sequelize({ dialect: 'sqlite', storage, logging: false });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function main() {
  const setup = open();
  const setupModels = defineTenantModels(setup);
  defineAllTenantModels(setupModels);
  await setup.sync();
  const seedStart = performance.now();
  await seedTenant(setupModels, {
    admin: { username: 'admin', email: 'admin@example.com', passwordHash: 'scrypt$placeholder', mustChangePassword: true },
  });
  const seedMs = performance.now() - seedStart;
  await setupModels.Product.bulkCreate(
    Array.from({ length: 20 }, (_, i) => ({ sku: `SKU-${i}`, name: `Product ${i}`, unitPrice: 100 + i })),
  );
  await setup.close();

  const lazyDefineOnly: number[] = [];
  const lazy: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const sequelize = open();
    await sequelize.query('SELECT 1'); // connection already open: measure the models, not the file
    const t = performance.now();
    const models = defineTenantModels(sequelize);
    void models.Product;
    lazyDefineOnly.push(performance.now() - t);
    const rows = await models.Product.findAll();
    lazy.push(performance.now() - t);
    if (rows.length !== 20) throw new Error('unexpected row count');
    await sequelize.close();
  }

  const cold: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const sequelize = open();
    await defineTenantModels(sequelize).Product.findAll();
    cold.push(performance.now() - t);
    await sequelize.close();
  }

  const eagerDefineOnly: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const eager = open();
    const t = performance.now();
    defineAllTenantModels(defineTenantModels(eager));
    eagerDefineOnly.push(performance.now() - t);
    await eager.close();
  }

  // A whole seed on fresh files (schema by sync here; the bench measures migrations + seed).
  const seeds: number[] = [seedMs];
  for (let i = 0; i < 5; i++) {
    const file = join(dir, `seed-${i}.sqlite`);
    const sequelize = new Sequelize({ dialect: 'sqlite', storage: file, logging: false });
    const models = defineTenantModels(sequelize);
    defineAllTenantModels(models);
    await sequelize.sync();
    const t = performance.now();
    await seedTenant(models, {
      admin: { username: 'admin', email: 'admin@example.com', passwordHash: 'scrypt$placeholder', mustChangePassword: true },
    });
    seeds.push(performance.now() - t);
    await sequelize.close();
  }

  console.log(`runs: ${RUNS} (first run includes JIT warm-up; medians below)`);
  console.log(`defineTenantModels + models.Product (lazy):          ${ms(median(lazyDefineOnly))}  (first ${ms(lazyDefineOnly[0]!)})`);
  console.log(`defineTenantModels + first Product.findAll (20 rows): ${ms(median(lazy))}  (first ${ms(lazy[0]!)})`);
  console.log(`same, including new Sequelize + opening the file:     ${ms(median(cold))}  (first ${ms(cold[0]!)})`);
  console.log(`every model + association defined eagerly:             ${ms(median(eagerDefineOnly))}  (first ${ms(eagerDefineOnly[0]!)})`);
  console.log(`seedTenant, pre-hashed password:                      ${ms(median(seeds.slice(1)))}  (first ${ms(seeds[0]!)})`);
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
