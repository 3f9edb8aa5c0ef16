import type { Sequelize } from 'sequelize';
import { afterAll, describe, expect, it } from 'vitest';
import { defineAllTenantModels, defineTenantModels, TENANT_MODEL_NAMES } from './define-tenant-models';
import { tenantSequelizeOptions } from './sequelize-options';
import { createTestDatabase, testDialects, type TestDatabase, type TestDialect } from './testing';
import { units } from './sales/quantity';

const dialects = await testDialects();

async function tenantDatabase(dialect: TestDialect): Promise<{ db: TestDatabase; sequelize: Sequelize }> {
  const db = await createTestDatabase(dialect);
  const sequelize = db.connect(tenantSequelizeOptions(dialect));
  const models = defineTenantModels(sequelize);
  defineAllTenantModels(models);
  await sequelize.sync();
  return { db, sequelize };
}

describe('defineTenantModels is lazy', () => {
  it('defines nothing until a model is read, then only that model and the targets of its associations', async () => {
    const db = await createTestDatabase('sqlite');
    try {
      const sequelize = db.connect();
      const models = defineTenantModels(sequelize);
      expect(Object.keys(sequelize.models)).toEqual([]);

      const Invoice = models.Invoice;
      expect(Object.keys(sequelize.models).sort()).toEqual(['Customer', 'Invoice', 'InvoiceLine', 'Location', 'Payment', 'User']);
      expect(Object.keys(Invoice.associations).sort()).toEqual(['creator', 'customer', 'lines', 'location', 'payments']);
      // A target is initialised, but its own associations wait until it is itself read.
      expect(Object.keys(sequelize.models.InvoiceLine!.associations)).toEqual([]);
      expect(Object.keys(models.InvoiceLine.associations).sort()).toEqual(['invoice', 'product']);
      expect(models.InvoiceLine).toBe(sequelize.models.InvoiceLine);
      expect(models.Invoice).toBe(Invoice);
    } finally {
      await db.drop();
    }
  });

  it('gives a model without its associations through unassociated(), the same class models[name] returns later, wired then', async () => {
    const db = await createTestDatabase('sqlite');
    try {
      const sequelize = db.connect();
      const models = defineTenantModels(sequelize);
      const Product = models.unassociated('Product');
      expect(Object.keys(sequelize.models)).toEqual(['Product']);
      expect(Object.keys(Product.associations)).toEqual([]);
      expect(models.unassociated('Product')).toBe(Product);
      expect(Object.keys(models)).not.toContain('unassociated');

      expect(models.Product).toBe(Product);
      expect(Object.keys(Product.associations).sort()).toEqual(['stockLevels', 'taxRate', 'unit']);
      // Wired once: reading either way again changes nothing.
      expect(models.unassociated('Product')).toBe(Product);
      expect(Object.keys(models.Product.associations).sort()).toEqual(['stockLevels', 'taxRate', 'unit']);
    } finally {
      await db.drop();
    }
  });

  it('wires each association exactly once, however often and in whatever order models are read', async () => {
    const db = await createTestDatabase('sqlite');
    try {
      const a = defineTenantModels(db.connect());
      const b = defineTenantModels(db.connect());
      // a: targets first, then sources; b: the declared order; both read twice.
      for (const name of [...TENANT_MODEL_NAMES].reverse()) void a[name];
      defineAllTenantModels(b);
      defineAllTenantModels(a);
      defineAllTenantModels(b);
      for (const name of TENANT_MODEL_NAMES) {
        expect(Object.keys(a[name].associations).sort(), name).toEqual(Object.keys(b[name].associations).sort());
      }
      const total = TENANT_MODEL_NAMES.reduce((n, name) => n + Object.keys(a[name].associations).length, 0);
      expect(total).toBe(45); // the associations declared in the model files
    } finally {
      await db.drop();
    }
  });
});

describe.each(dialects)('tenant models on %s', (dialect) => {
  const cleanup: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(cleanup.map((db) => db.drop()));
  });

  it('includes across associations of models read from the tenant models', async () => {
    const { db, sequelize } = await tenantDatabase(dialect);
    cleanup.push(db);
    // A fresh, lazy set on the same database: nothing defined until read.
    const models = defineTenantModels(db.connect(tenantSequelizeOptions(dialect)));
    const user = await models.User.create({ username: 'ana', email: 'ana@example.com', passwordHash: 'x' });
    const location = await models.Location.create({ code: 'MAIN', name: 'Main store' });
    const customer = await models.Customer.create({ name: 'Acme Ltd' });
    const invoice = await models.Invoice.create({
      number: 'INV-0001',
      locationId: location.id,
      customerId: customer.id,
      issueDate: '2026-11-23',
      subtotal: 2000,
      tax: 400,
      total: 2400,
      createdBy: user.id,
    });
    await models.InvoiceLine.bulkCreate([
      {
        invoiceId: invoice.id,
        description: 'Widget',
        quantity: units(2),
        unitPrice: 1000,
        taxRateBp: 2000,
        lineSubtotal: 2000,
        lineTax: 400,
        lineTotal: 2400,
      },
    ]);

    const found = await models.Invoice.findOne({
      where: { number: 'INV-0001' },
      include: [
        { model: models.InvoiceLine, as: 'lines' },
        { model: models.Customer, as: 'customer' },
        { model: models.Location, as: 'location' },
      ],
    });
    expect(found?.lines?.map((l) => [l.description, l.quantity, l.lineTotal])).toEqual([['Widget', units(2), 2400]]);
    expect(found?.customer?.name).toBe('Acme Ltd');
    expect(found?.location?.code).toBe('MAIN');
    expect(found?.issueDate).toBe('2026-11-23');

    // The reverse direction, through the inverse association of the line.
    const line = await models.InvoiceLine.findOne({ include: [{ model: models.Invoice, as: 'invoice' }] });
    expect(line?.invoice?.number).toBe('INV-0001');
    expect(sequelize).not.toBe(models.sequelize);
  });

  it('never shares a model class between two tenants, and a write through A lands only in A', async () => {
    const [a, b] = await Promise.all([tenantDatabase(dialect), tenantDatabase(dialect)]);
    cleanup.push(a.db, b.db);
    const modelsA = defineTenantModels(a.sequelize);
    const modelsB = defineTenantModels(b.sequelize);
    for (const name of TENANT_MODEL_NAMES) {
      expect(modelsA[name], name).not.toBe(modelsB[name]);
      expect(modelsA[name].sequelize, name).toBe(a.sequelize);
      expect(modelsB[name].sequelize, name).toBe(b.sequelize);
    }
    // Interleave the writes: with a shared class (sequelize#14050) both would reach the last instance.
    await modelsA.Customer.create({ name: 'Only in A' });
    await modelsB.Customer.create({ name: 'Only in B' });
    await modelsA.Location.create({ code: 'A1', name: 'A store' });

    expect((await modelsA.Customer.findAll()).map((c) => c.name)).toEqual(['Only in A']);
    expect((await modelsB.Customer.findAll()).map((c) => c.name)).toEqual(['Only in B']);
    expect(await modelsB.Location.count()).toBe(0);
    const [rows] = await b.sequelize.query('SELECT name FROM customers');
    expect(rows).toEqual([{ name: 'Only in B' }]);
  });
});

describe('isolation across dialects', () => {
  const mix: TestDialect[] = ['sqlite', ...dialects];
  it(`keeps tenants on ${mix.join(', ')} apart`, async () => {
    const dbs = await Promise.all(mix.map((d) => tenantDatabase(d)));
    try {
      const sets = dbs.map(({ sequelize }) => defineTenantModels(sequelize));
      for (const [i, models] of sets.entries()) await models.Customer.create({ name: `tenant ${i}` });
      for (const [i, models] of sets.entries()) {
        expect((await models.Customer.findAll()).map((c) => c.name)).toEqual([`tenant ${i}`]);
        for (const other of sets) if (other !== models) expect(other.Customer).not.toBe(models.Customer);
      }
    } finally {
      await Promise.all(dbs.map(({ db }) => db.drop()));
    }
  });
});
