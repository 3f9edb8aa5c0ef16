import { QueryTypes } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, dialectAvailable } from './databases';
import { takePgDeprecations } from './pg-deprecations';

const postgres = await dialectAvailable('postgres');

describe.runIf(postgres)('the node-postgres deprecation watch (PostgreSQL)', () => {
  it('catches queries sent at once on one transaction, and nothing for queries one at a time', async () => {
    const db = await createTestDatabase('postgres');
    try {
      const sequelize = db.connect();
      await sequelize.transaction(async (transaction) => {
        await sequelize.query('SELECT 1', { transaction, type: QueryTypes.SELECT });
        await sequelize.query('SELECT 2', { transaction, type: QueryTypes.SELECT });
      });
      expect(await takePgDeprecations()).toEqual([]);

      await sequelize.transaction(async (transaction) => {
        await Promise.all([
          sequelize.query('SELECT pg_sleep(0.05)', { transaction, type: QueryTypes.SELECT }),
          sequelize.query('SELECT 2', { transaction, type: QueryTypes.SELECT }),
          // pg warns once a query waits behind another queued one: the third at once.
          sequelize.query('SELECT 3', { transaction, type: QueryTypes.SELECT }),
        ]);
      });
      // Taken here, so the setup file's check after this test finds nothing left to fail on.
      const warnings = await takePgDeprecations();
      expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining('already executing a query')]);
    } finally {
      await db.drop();
    }
  });
});
