import { defineAllTenantModels, defineTenantModels } from '../define-tenant-models';
import type { Product, TenantModels } from '../model-types';
import { seedTenant } from '../seed-tenant';
import { tenantSequelizeOptions } from '../sequelize-options';
import { createTestDatabase, type TestDatabase, type TestDialect } from '../testing';
import { createProduct, type ProductInput } from './catalog';
import { units } from './quantity';
import { adjustStock } from './stock';

/**
 * Test fixture of the domain operations' integration tests (not exported from the package): a seeded
 * tenant database on a dialect. Models tests cannot use @salesfleet/migrations (it depends on
 * models), so the schema comes from the models (`sync`), as in the other models tests; the API tests
 * run the same operations on databases created by the real migrations.
 */
export interface TestTenant {
  db: TestDatabase;
  models: TenantModels;
  userId: number;
  locationId: number;
  /** A second connection to the same database (another process, as far as the database knows). */
  connectAgain(): TenantModels;
  /** A product with `stock` whole units at the main location, received at its cost price (0 when none). */
  product(input?: Partial<ProductInput>, stock?: number): Promise<Product>;
  cleanup(): Promise<void>;
}

let skus = 0;

export async function openTestTenant(dialect: TestDialect): Promise<TestTenant> {
  const db = await createTestDatabase(dialect);
  const models = defineTenantModels(db.connect(tenantSequelizeOptions(dialect)));
  defineAllTenantModels(models);
  await models.sequelize.sync();
  const { adminUserId } = await seedTenant(models, {
    admin: { username: 'admin', email: 'admin@example.com', passwordHash: 'not-a-real-hash', mustChangePassword: false },
  });
  const location = await models.Location.findOne({ where: { code: 'MAIN' } });
  const tenant: TestTenant = {
    db,
    models,
    userId: adminUserId,
    locationId: location!.id,
    connectAgain: () => defineTenantModels(db.connect(tenantSequelizeOptions(dialect))),
    async product(input = {}, stock = 0) {
      const n = ++skus;
      const product = await createProduct(models, { sku: `SKU-${n}`, name: `Product ${n}`, unitPrice: 1000, ...input });
      if (stock > 0) {
        await adjustStock(models, {
          productId: product.id,
          locationId: location!.id,
          quantity: units(stock),
          reason: 'receipt',
          unitCost: input.costPrice ?? 0,
          userId: adminUserId,
        });
      }
      return product;
    },
    cleanup: () => db.drop(),
  };
  return tenant;
}
