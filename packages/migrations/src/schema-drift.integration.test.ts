import { defineAllTenantModels, defineTenantModels, TENANT_MODEL_NAMES, tenantSequelizeOptions } from '@salesfleet/models';
import { createTestDatabase, testDialects, type TestDatabase } from '@salesfleet/models/testing';
import { DataTypes, type Model, type ModelAttributeColumnOptions, type ModelStatic, type Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateUp } from './runner';
import { compareSchemaWithModels, type SchemaDifference } from './schema-drift';

const dialects = await testDialects();

/** Changes one attribute of an initialised model, as editing its model file would. */
function setAttribute(model: ModelStatic<Model>, name: string, change: Partial<ModelAttributeColumnOptions>) {
  const m = model as unknown as {
    rawAttributes: Record<string, ModelAttributeColumnOptions>;
    refreshAttributes(): void;
  };
  m.rawAttributes[name] = { ...m.rawAttributes[name], ...change } as ModelAttributeColumnOptions;
  m.refreshAttributes();
}

const summary = (diffs: SchemaDifference[]) => diffs.map((d) => `${d.kind}: ${d.message}`);

describe.each(dialects)('tenant schema drift on %s', (dialect) => {
  let db: TestDatabase;
  let sequelize: Sequelize;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    sequelize = db.connect(tenantSequelizeOptions(dialect));
    await migrateUp(sequelize, 'tenant');
  });
  afterAll(async () => {
    await db.drop();
  });

  /** Every tenant model, defined on a throwaway instance so edits never leak into other tests. */
  function throwawayModels() {
    const models = defineTenantModels(db.connect(tenantSequelizeOptions(dialect)));
    return { models, all: defineAllTenantModels(models) };
  }

  it('the migrated schema is exactly what the models declare', async () => {
    const { models, all } = throwawayModels();
    expect(all).toHaveLength(TENANT_MODEL_NAMES.length);
    expect(summary(await compareSchemaWithModels(models.sequelize, all))).toEqual([]);
  });

  it('fails when a model gains a field without a migration', async () => {
    const { models, all } = throwawayModels();
    setAttribute(models.Product, 'shelfLabel', { type: DataTypes.STRING(64), allowNull: true });
    expect(summary(await compareSchemaWithModels(models.sequelize, all))).toEqual([
      'missing-column: products.shelf_label (Product.shelfLabel) is declared by the model but missing in the database — add a migration',
    ]);
  });

  it('fails when a column type, nullability, length, index or foreign key differs', async () => {
    const { models, all } = throwawayModels();
    setAttribute(models.JournalLine, 'debit', { type: DataTypes.INTEGER }); // money must stay BIGINT
    setAttribute(models.Customer, 'email', { allowNull: false });
    setAttribute(models.Customer, 'phone', { type: DataTypes.STRING(20) });
    setAttribute(models.StockMovement, 'createdBy', { onDelete: 'CASCADE' });
    const internals = models.Invoice as unknown as { _indexes: { name?: string }[] };
    internals._indexes = internals._indexes.filter((i) => i.name !== 'invoices_status');

    const kinds = (await compareSchemaWithModels(models.sequelize, all)).map((d) => `${d.kind} ${d.table}.${d.name}`);
    expect(kinds.sort()).toEqual(
      [
        'type journal_lines.debit',
        'nullability customers.email',
        'type customers.phone',
        'foreign-key stock_movements.created_by',
        'extra-index invoices.invoices_status',
      ].sort(),
    );
  });

  it('fails when the database has a table, column or index that no model declares', async () => {
    const scratch = await createTestDatabase(dialect);
    try {
      const s = scratch.connect(tenantSequelizeOptions(dialect));
      await migrateUp(s, 'tenant');
      const qi = s.getQueryInterface();
      await qi.addColumn('locations', 'phone', { type: DataTypes.STRING(30), allowNull: true });
      await qi.addIndex('customers', ['email'], { name: 'customers_email' });
      await qi.createTable('leftovers', { id: { type: DataTypes.INTEGER, primaryKey: true } });
      const models = defineTenantModels(s);
      const kinds = (await compareSchemaWithModels(s, defineAllTenantModels(models))).map((d) => `${d.kind} ${d.table}.${d.name ?? ''}`);
      expect(kinds.sort()).toEqual(
        ['extra-column locations.phone', 'extra-index customers.customers_email', 'extra-table leftovers.'].sort(),
      );
      expect(await compareSchemaWithModels(s, defineAllTenantModels(models), { ignoreTables: ['leftovers'] })).toHaveLength(2);
    } finally {
      await scratch.drop();
    }
  });

  it('fails when a model is missing its table', async () => {
    const { models } = throwawayModels();
    const Extra = models.sequelize.define('Extra', { label: DataTypes.STRING }, { tableName: 'extras', underscored: true });
    const diffs = await compareSchemaWithModels(models.sequelize, [models.Location, Extra]);
    expect(diffs.map((d) => d.kind)).toContain('missing-table');
  });
});
