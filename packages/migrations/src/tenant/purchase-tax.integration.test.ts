import { DEFAULT_CHART_OF_ACCOUNTS, tenantSequelizeOptions } from '@salesfleet/models';
import { createTestDatabase, testDialects, type TestDatabase } from '@salesfleet/models/testing';
import { QueryTypes, type Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDown, migrateUp } from '../runner';

const dialects = await testDialects();

describe.each(dialects)('the purchase-tax migration on %s', (dialect) => {
  let db: TestDatabase;
  let sequelize: Sequelize;
  const accounts = () =>
    sequelize.query<{ code: string; name: string; type: string }>('SELECT code, name, type FROM accounts ORDER BY code', {
      type: QueryTypes.SELECT,
    });

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    sequelize = db.connect(tenantSequelizeOptions(dialect));
    // A tenant of the previous version: its chart has no input tax account.
    await migrateUp(sequelize, 'tenant', { to: '202612070400-stock-batches' });
    const now = new Date();
    const present = new Set((await accounts()).map((a) => a.code)); // 5100 came with the inventory migration
    await sequelize.getQueryInterface().bulkInsert(
      'accounts',
      DEFAULT_CHART_OF_ACCOUNTS.filter((a) => a.code !== '1300' && !present.has(a.code)).map((a) => ({
        ...a,
        is_active: true,
        created_at: now,
        updated_at: now,
      })),
    );
  });
  afterAll(async () => {
    await db.drop();
  });

  it('adds account 1300 "Input tax recoverable" (an asset) to an existing chart, and takes it away again when unused', async () => {
    expect((await accounts()).map((a) => a.code)).not.toContain('1300');
    await migrateUp(sequelize, 'tenant', { to: '202612070500-purchase-tax' });
    expect((await accounts()).filter((a) => a.code === '1300')).toEqual([{ code: '1300', name: 'Input tax recoverable', type: 'asset' }]);
    expect((await accounts()).length).toBe(DEFAULT_CHART_OF_ACCOUNTS.length);
    await migrateDown(sequelize, 'tenant');
    expect((await accounts()).map((a) => a.code)).not.toContain('1300');
    await migrateUp(sequelize, 'tenant', { to: '202612070500-purchase-tax' });
    expect((await accounts()).map((a) => a.code)).toContain('1300');
  });
});
