import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAllTenantModels, defineTenantModels, tenantSequelizeOptions } from '@salesfleet/models';
import { createTestDatabase, testDialects, testServerUrls, type TestDatabase } from '@salesfleet/models/testing';
import { compareSchemaWithModels, migrateUp, migrationNames, migrationStatus } from '@salesfleet/migrations';
import { closeSequelize, driverFor, openSequelize, parseDatabaseUrl, type DatabaseSpec } from './drivers/index';
import { TemplateCache } from './templates';
import { createTestTenancy, memoryLogger, testSlug } from './testing/index';

// Issue 16.5: MySQL cannot clone a database, so a new tenant database is made by replaying the
// template's DDL and rows as one script. It must be exactly what running the migrations makes.

const dialects = await testDialects();

/** Every table's DDL and rows (timestamps left out: the two databases were made at different times). */
async function snapshot(url: string, database: string) {
  const conn = await mysql.createConnection({ uri: url, database, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
  try {
    const [tables] = await conn.query(
      "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
    );
    const result: Record<string, { ddl: string; rows: unknown[] }> = {};
    for (const { name } of tables as { name: string }[]) {
      const [created] = await conn.query(`SHOW CREATE TABLE \`${name}\``);
      const [rows] = await conn.query(`SELECT * FROM \`${name}\``);
      const kept = (rows as Record<string, unknown>[]).map((row) =>
        Object.fromEntries(Object.entries(row).filter(([column]) => !/_at$|^(created|updated)At$/.test(column))),
      );
      kept.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      result[name] = { ddl: String((created as Record<string, unknown>[])[0]?.['Create Table']), rows: kept };
    }
    return result;
  } finally {
    await conn.end();
  }
}

describe.runIf(dialects.includes('mysql'))('MySQL tenant databases from the template script', () => {
  const server = () => parseDatabaseUrl(testServerUrls.mysql);
  let dataDir: string;
  let migrated: TestDatabase;
  const made: DatabaseSpec[] = [];
  const templates = () => new TemplateCache({ dataDir, connectTimeoutMs: 5000, namespace: 'mysqltpl' });
  const ctx = () => ({ dataDir, connectTimeoutMs: 5000 });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'salesfleet-mysql-template-'));
    migrated = await createTestDatabase('mysql');
    const sequelize = migrated.connect(tenantSequelizeOptions('mysql'));
    await migrateUp(sequelize, 'tenant');
  });
  afterAll(async () => {
    for (const spec of made) await driverFor('mysql').drop(spec, ctx());
    await templates().dropMysqlTemplates(server(), ctx());
    await migrated.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('makes exactly the schema and rows the migrations make, from a fresh and from a kept template', async () => {
    const reference = await snapshot(testServerUrls.mysql, new URL(migrated.url).pathname.slice(1));
    // The first cache builds the template on the server; a second one (another process) records from it.
    for (const cache of [templates(), templates()]) {
      const script = await cache.scriptFor(server(), ctx());
      expect(script).toBeTruthy();
      const spec: DatabaseSpec = { ...server(), database: `sales_${testSlug('tpl')}` };
      made.push(spec);
      await driverFor('mysql').create(spec, ctx(), { script: script! });

      expect(await snapshot(testServerUrls.mysql, spec.database)).toEqual(reference);
      const sequelize = openSequelize(spec, { dataDir, tenant: true });
      try {
        expect(await compareSchemaWithModels(sequelize, defineAllTenantModels(defineTenantModels(sequelize)))).toEqual([]);
        expect((await migrationStatus(sequelize, 'tenant')).applied).toEqual(migrationNames('tenant'));
      } finally {
        await closeSequelize(sequelize);
      }
    }
    const kept = await driverFor('mysql').list(server(), 'salestpl_mysqltpl_', ctx());
    expect(kept).toEqual([`salestpl_mysqltpl_${TemplateCache.fingerprint()}`]);
  });

  it('drops the database again when the script fails half-way, so creation can fall back to migrating', async () => {
    const spec: DatabaseSpec = { ...server(), database: `sales_${testSlug('tplbad')}` };
    made.push(spec);
    await expect(
      driverFor('mysql').create(spec, ctx(), { script: 'CREATE TABLE a (id INT PRIMARY KEY);\nINSERT INTO missing VALUES (1)' }),
    ).rejects.toThrow();
    expect(await driverFor('mysql').exists(spec, ctx())).toBe(false);
  });

  it('provisions a MySQL tenant through the script, not by migrating', async () => {
    const logger = memoryLogger();
    const t = await createTestTenancy({ engine: 'mysql', logger });
    try {
      const slug = testSlug();
      const { tenant } = await t.provisioner.createTenant({ name: 'Fast', subdomain: slug, adminEmail: 'a@fast.test' }, { actor: 'test' });
      expect(tenant.status).toBe('active');
      // A script that could not be recorded or failed is reported as a warning before migrating instead.
      expect(logger.entries.filter((e) => e.level === 'warn' || e.level === 'error')).toEqual([]);
      const templatesThere = await driverFor('mysql').list(server(), 'salestpl_', ctx());
      expect(templatesThere.some((name) => name.endsWith(`_${TemplateCache.fingerprint()}`))).toBe(true);
      const conn = await mysql.createConnection({ uri: testServerUrls.mysql, database: tenant.db.name });
      try {
        const [users] = await conn.query('SELECT username FROM users');
        expect(users).toEqual([{ username: 'admin' }]);
      } finally {
        await conn.end();
      }
    } finally {
      await t.cleanup();
    }
  });
});
