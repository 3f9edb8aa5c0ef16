import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAllTenantModels, defineTenantModels } from './define-tenant-models';
import type { TenantModels } from './model-types';
import { tenantSequelizeOptions } from './sequelize-options';
import { createTestDatabase, testDialects, type TestDatabase } from './testing';

const dialects = await testDialects();

// Beyond 2^31: a column that silently were INTEGER, or a value that came back as a string, fails here.
const BIG = 3_000_000_000_12;

describe.each(dialects)('money amounts on %s', (dialect) => {
  let db: TestDatabase;
  let models: TenantModels;
  let entryId: number;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    models = defineTenantModels(db.connect(tenantSequelizeOptions(dialect)));
    defineAllTenantModels(models);
    await models.sequelize.sync();
    const cash = await models.Account.create({ code: '1000', name: 'Cash', type: 'asset' });
    const sales = await models.Account.create({ code: '4000', name: 'Sales', type: 'income' });
    const entry = await models.JournalEntry.create({ entryDate: '2026-11-23', memo: 'big sale' });
    entryId = entry.id;
    await models.JournalLine.bulkCreate([
      { journalEntryId: entry.id, accountId: cash.id, debit: BIG, credit: 0 },
      { journalEntryId: entry.id, accountId: sales.id, debit: 0, credit: BIG },
      { journalEntryId: entry.id, accountId: cash.id, debit: 5, credit: 0 },
    ]);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('reads BIGINT cents back as exact JS numbers through models', async () => {
    const lines = await models.JournalLine.findAll({ where: { journalEntryId: entryId }, order: [['id', 'ASC']] });
    expect(lines.map((l) => [l.debit, l.credit])).toEqual([
      [BIG, 0],
      [0, BIG],
      [5, 0],
    ]);
  });

  it('reads them as numbers in raw queries, sums and counts too', async () => {
    const raw = await models.JournalLine.findAll({ attributes: ['debit'], raw: true, order: [['id', 'ASC']] });
    expect(raw.map((r) => r.debit)).toEqual([BIG, 0, 5]);
    const [rows] = await models.sequelize.query('SELECT SUM(debit) AS debit, SUM(credit) AS credit, COUNT(*) AS n FROM journal_lines');
    expect(rows).toEqual([{ debit: BIG + 5, credit: BIG, n: 3 }]);
  });

  it('refuses a journal line with both or neither side set', async () => {
    const line = { journalEntryId: entryId, accountId: 1 };
    await expect(models.JournalLine.create({ ...line, debit: 1, credit: 1 })).rejects.toThrow(/exactly one non-zero side/);
    await expect(models.JournalLine.create({ ...line, debit: 0, credit: 0 })).rejects.toThrow(/exactly one non-zero side/);
  });
});

describe.each(dialects.filter((d) => d === 'postgres'))('numbers on %s without tenantSequelizeOptions', (dialect) => {
  it('defineTenantModels still installs the per-connection parsers for new connections', async () => {
    const db = await createTestDatabase(dialect);
    try {
      const sequelize = db.connect();
      const models = defineTenantModels(sequelize);
      const [rows] = await sequelize.query('SELECT CAST(9007199254740991 AS BIGINT) AS big, COUNT(*) AS n FROM (VALUES (1)) v');
      expect(rows).toEqual([{ big: 9007199254740991, n: 1 }]);
      // …and only on this instance: another instance on the same server keeps pg's default strings.
      const other = db.connect();
      const [plain] = await other.query('SELECT CAST(42 AS BIGINT) AS big');
      expect(plain).toEqual([{ big: '42' }]);
      expect(models.sequelize).toBe(sequelize);
    } finally {
      await db.drop();
    }
  });
});
