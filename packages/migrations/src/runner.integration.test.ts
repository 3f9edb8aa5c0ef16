import { createTestDatabase, testDialects, type TestDatabase } from '@salesfleet/models/testing';
import { DataTypes, type Sequelize } from 'sequelize';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateDown, migrateUp, migrationStatus, MIGRATION_TABLE } from './runner';
import { tenantMigrations } from './tenant/index';
import type { MigrationDefinition } from './types';
import { MigrationFailed, NotFound } from '@salesfleet/contracts';

const dialects = await testDialects();
const all = tenantMigrations.map((m) => m.name);
const [auth, sales, accounting] = all as [string, string, string, ...string[]];

async function tables(sequelize: Sequelize): Promise<string[]> {
  const list = (await sequelize.getQueryInterface().showAllTables()) as (string | { tableName: string })[];
  return list.map((t) => (typeof t === 'string' ? t : t.tableName)).sort();
}

/** Creates `table`, then optionally fails — after its DDL ran, the worst case for a database. */
function probeMigration(name: string, table: string, fail: boolean): MigrationDefinition {
  return {
    name,
    async up({ queryInterface, transaction }) {
      await queryInterface.createTable(table, { id: { type: DataTypes.INTEGER, primaryKey: true } }, { transaction });
      if (fail) throw new Error(`boom in ${name}`);
    },
    async down({ queryInterface, transaction }) {
      await queryInterface.dropTable(table, { transaction });
    },
  };
}

describe.each(dialects)('migration runner on %s', (dialect) => {
  let db: TestDatabase;
  afterEach(async () => {
    await db?.drop();
  });

  it('reports everything pending on an empty database without creating anything', async () => {
    db = await createTestDatabase(dialect);
    const sequelize = db.connect();
    expect(await migrationStatus(sequelize, 'tenant')).toEqual({ applied: [], pending: all });
    expect(await tables(sequelize)).toEqual([]);
  });

  it('migrates up to a named migration, then the rest, then nothing', async () => {
    db = await createTestDatabase(dialect);
    const sequelize = db.connect();
    // Its result says the state after it, as a read then would.
    expect(await migrateUp(sequelize, 'tenant', { to: auth })).toEqual({
      applied: [auth],
      status: { applied: [auth], pending: all.slice(1) },
    });
    expect(await migrationStatus(sequelize, 'tenant')).toEqual({ applied: [auth], pending: all.slice(1) });
    expect(await tables(sequelize)).toContain('users');
    expect(await tables(sequelize)).not.toContain('invoices');

    expect(await migrateUp(sequelize, 'tenant', { to: auth })).toEqual({ applied: [], status: { applied: [auth], pending: all.slice(1) } });
    expect(await migrateUp(sequelize, 'tenant')).toEqual({ applied: all.slice(1), status: { applied: all, pending: [] } });
    expect(await migrateUp(sequelize, 'tenant')).toEqual({ applied: [], status: { applied: all, pending: [] } });
    expect(await migrationStatus(sequelize, 'tenant')).toEqual({ applied: all, pending: [] });
    // The round-1 tables at least; the exact set is the schema-drift test's (it compares with the models).
    expect(await tables(sequelize)).toEqual(
      expect.arrayContaining([
        MIGRATION_TABLE,
        'accounts',
        'auth_groups',
        'auth_permissions',
        'customers',
        'expenses',
        'group_permissions',
        'invoice_lines',
        'invoices',
        'journal_entries',
        'journal_lines',
        'locations',
        'payments',
        'products',
        'purchase_order_lines',
        'purchase_orders',
        'sessions',
        'stock_levels',
        'stock_movements',
        'supplier_bills',
        'supplier_payments',
        'suppliers',
        'tax_rates',
        'user_groups',
        'users',
      ]),
    );
  });

  it('rejects an unknown target migration', async () => {
    db = await createTestDatabase(dialect);
    await expect(migrateUp(db.connect(), 'tenant', { to: '209901010000-nope' })).rejects.toBeInstanceOf(NotFound);
  });

  it('reverts one migration at a time down to an empty schema, and migrates up again', async () => {
    db = await createTestDatabase(dialect);
    const sequelize = db.connect();
    await migrateUp(sequelize, 'tenant');

    for (let i = all.length - 1; i >= 0; i--) {
      expect(await migrateDown(sequelize, 'tenant')).toEqual({ reverted: [all[i]] });
      expect(await migrationStatus(sequelize, 'tenant')).toEqual({ applied: all.slice(0, i), pending: all.slice(i) });
      if (all[i] === accounting) {
        expect(await tables(sequelize)).not.toContain('journal_lines');
        expect(await tables(sequelize)).toContain('invoices');
      }
    }
    expect(await migrateDown(sequelize, 'tenant')).toEqual({ reverted: [] });
    expect(await tables(sequelize)).toEqual([MIGRATION_TABLE]);

    expect(await migrateUp(sequelize, 'tenant')).toMatchObject({ applied: all });
  });

  it('stops at a failing migration and names it', async () => {
    db = await createTestDatabase(dialect);
    const sequelize = db.connect();
    const migrations = [
      ...tenantMigrations,
      probeMigration('209901010000-good', 'probe_good', false),
      probeMigration('209901010001-bad', 'probe_bad', true),
      probeMigration('209901010002-never', 'probe_never', false),
    ];

    const error = await migrateUp(sequelize, 'tenant', { migrations }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(MigrationFailed);
    const failed = error as MigrationFailed;
    expect(failed.code).toBe('MigrationFailed');
    expect(failed.migration).toBe('209901010001-bad');
    expect(failed.completed).toEqual([...all, '209901010000-good']);
    expect(failed.message).toContain('Migration 209901010001-bad failed: boom in 209901010001-bad');

    // The version is the last good migration either way; nothing after the failure ran.
    const status = await migrationStatus(sequelize, 'tenant', { migrations });
    expect(status.applied.at(-1)).toBe('209901010000-good');
    expect(status.pending).toEqual(['209901010001-bad', '209901010002-never']);
    const present = await tables(sequelize);
    expect(present).toContain('probe_good');
    expect(present).not.toContain('probe_never');

    expect(failed.message).toContain('migrations before it stayed applied');
    if (dialect !== 'mysql') {
      // PostgreSQL and SQLite: one transaction per migration, so the failed one left nothing behind.
      expect(failed.rolledBack).toBe(true);
      expect(failed.message).toContain('209901010001-bad was rolled back');
      expect(present).not.toContain('probe_bad');
      // …so fixing it and running again just works.
      const fixed = [...migrations.slice(0, -2), probeMigration('209901010001-bad', 'probe_bad', false)];
      expect(await migrateUp(sequelize, 'tenant', { migrations: fixed })).toMatchObject({
        applied: ['209901010001-bad'],
        status: { pending: [] },
      });
    } else {
      // MySQL: the DDL before the throw stays; the message says so.
      expect(failed.rolledBack).toBe(false);
      expect(failed.message).toContain('may be partly applied');
      expect(present).toContain('probe_bad');
    }
  });

  it('refuses to revert beneath a newer migration it does not know', async () => {
    db = await createTestDatabase(dialect);
    const sequelize = db.connect();
    const newer = [...tenantMigrations, probeMigration('209901010000-newer', 'probe_newer', false)];
    await migrateUp(sequelize, 'tenant', { migrations: newer });
    expect((await migrationStatus(sequelize, 'tenant')).applied.at(-1)).toBe('209901010000-newer');
    await expect(migrateDown(sequelize, 'tenant')).rejects.toMatchObject({ code: 'Conflict' });
    expect(await tables(sequelize)).toContain('expenses');
  });
});

// MySQL has no transactional DDL.
describe.each(dialects.filter((d) => d !== 'mysql'))('migration runner transactions on %s', (dialect) => {
  let db: TestDatabase;
  afterEach(async () => {
    await db?.drop();
  });

  it('keeps the bookkeeping row and the schema change of a failed revert together', async () => {
    db = await createTestDatabase(dialect);
    const sequelize = db.connect();
    await migrateUp(sequelize, 'tenant', { migrations: tenantMigrations.slice(0, 3) });
    // A down migration that fails half-way: its DROP is undone and the row stays.
    const brokenDown: MigrationDefinition = {
      ...tenantMigrations[2]!,
      async down({ queryInterface, transaction }) {
        await queryInterface.dropTable('expenses', { transaction });
        throw new Error('cannot revert');
      },
    };
    const migrations = [...tenantMigrations.slice(0, 2), brokenDown];
    await expect(migrateDown(sequelize, 'tenant', { migrations })).rejects.toMatchObject({
      code: 'MigrationFailed',
      migration: accounting,
      direction: 'down',
    });
    expect(await tables(sequelize)).toContain('expenses');
    expect((await migrationStatus(sequelize, 'tenant')).applied).toEqual([auth, sales, accounting]);
  });
});
