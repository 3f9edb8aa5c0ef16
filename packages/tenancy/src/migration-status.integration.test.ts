import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateUp, migrationNames, migrationStatus } from '@salesfleet/migrations';
import { createTestDatabase, testDialects, type TestDatabase } from '@salesfleet/models/testing';
import { parseDatabaseUrl } from './drivers/index';
import { readServerMigrationStatus } from './migration-status';

/**
 * `migrate-tenants --check` reads a PostgreSQL/MySQL tenant's status over a plain connection; it must
 * say exactly what the migrations runner says (applied, pending, schema version), also for an empty
 * database and one a migration behind, and fail on a database that is not there.
 */
const serverDialects = (await testDialects()).filter((d): d is 'postgres' | 'mysql' => d !== 'sqlite');
const names = migrationNames('tenant');

describe.each(serverDialects)('tenant migration status over a plain %s connection', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  }, 60_000);
  afterAll(async () => {
    await db?.drop();
  }, 60_000);

  it('matches the runner on an empty database, one migration behind, and up to date', async () => {
    const spec = parseDatabaseUrl(db.url);
    expect(await readServerMigrationStatus(spec, 5000)).toEqual({ applied: [], pending: names });

    const sequelize = db.connect();
    await migrateUp(sequelize, 'tenant', { to: names.at(-2)! });
    const behind = await readServerMigrationStatus(spec, 5000);
    expect(behind).toEqual({ applied: names.slice(0, -1), pending: [names.at(-1)] });
    expect(behind).toEqual(await migrationStatus(sequelize, 'tenant'));

    await migrateUp(sequelize, 'tenant');
    expect(await readServerMigrationStatus(spec, 5000)).toEqual({ applied: names, pending: [] });
  }, 60_000);

  it('fails on a database that does not exist', async () => {
    const spec = { ...parseDatabaseUrl(db.url), database: `${db.name}_missing` };
    await expect(readServerMigrationStatus(spec, 5000)).rejects.toThrow(/does not exist|Unknown database/);
  });
});
