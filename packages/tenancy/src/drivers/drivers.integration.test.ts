import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sequelize } from 'sequelize';
import { tenantSequelizeOptions } from '@salesfleet/models';
import { testDialects, testServerUrls, uniqueTestName } from '@salesfleet/models/testing';
import { closeSequelize, driverFor, openSequelize, parseDatabaseUrl, type DatabaseSpec } from './index';
import { DatabaseExists, DatabaseUnreachable, ValidationFailed } from '@salesfleet/contracts';

const dialects = await testDialects();
const dataDir = mkdtempSync(join(tmpdir(), 'salesfleet-drivers-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const ctx = { dataDir, connectTimeoutMs: 3000 };

function specFor(dialect: (typeof dialects)[number], name: string): DatabaseSpec {
  if (dialect === 'sqlite')
    return { engine: 'sqlite', database: `tenants/${name}.sqlite`, host: null, port: null, user: null, password: null };
  return { ...parseDatabaseUrl(testServerUrls[dialect]), database: name };
}

describe.each(dialects)('%s driver', (dialect) => {
  const driver = driverFor(dialect);

  it('creates, inspects, pings, sizes and drops a database', async () => {
    const spec = specFor(dialect, uniqueTestName('sf_drv'));
    expect(await driver.exists(spec, ctx)).toBe(false);
    expect(await driver.inspect(spec, ctx)).toEqual({ exists: false, tables: [], migrationRows: null });
    await driver.create(spec, ctx);
    try {
      expect(await driver.exists(spec, ctx)).toBe(true);
      expect(await driver.inspect(spec, ctx)).toEqual({ exists: true, tables: [], migrationRows: null });
      await expect(driver.create(spec, ctx)).rejects.toBeInstanceOf(DatabaseExists);
      expect(await driver.ping(spec, ctx)).toBeGreaterThanOrEqual(0);

      const sequelize = openSequelize(spec, { dataDir });
      await sequelize.query('CREATE TABLE things (id INTEGER PRIMARY KEY)');
      await sequelize.query('CREATE TABLE "SequelizeMeta" (name VARCHAR(255) PRIMARY KEY)'.replace(/"/g, dialect === 'mysql' ? '`' : '"'));
      await closeSequelize(sequelize);
      expect(await driver.inspect(spec, ctx)).toEqual({ exists: true, tables: ['SequelizeMeta', 'things'], migrationRows: 0 });
      expect(await driver.sizeBytes(spec, ctx)).toBeGreaterThan(0);
    } finally {
      await driver.drop(spec, ctx);
    }
    expect(await driver.exists(spec, ctx)).toBe(false);
    await driver.drop(spec, ctx); // idempotent
  });

  it('refuses identifiers that could escape quoting', async () => {
    if (dialect === 'sqlite') {
      for (const bad of ['../escape', '/etc/passwd']) {
        await expect(driver.create({ ...specFor('sqlite', 'x'), database: bad }, ctx)).rejects.toBeInstanceOf(ValidationFailed);
      }
      return;
    }
    for (const bad of ['x"; DROP DATABASE postgres; --', 'x`; DROP DATABASE mysql; --', 'Upper', 'a-b', '']) {
      await expect(driver.create(specFor(dialect, bad), ctx)).rejects.toBeInstanceOf(ValidationFailed);
      await expect(driver.drop(specFor(dialect, bad), ctx)).rejects.toBeInstanceOf(ValidationFailed);
    }
  });

  it('reports an unreachable server as DatabaseUnreachable without the password', async () => {
    if (dialect === 'sqlite') {
      await expect(driver.ping(specFor('sqlite', 'missing'), ctx)).rejects.toBeInstanceOf(DatabaseUnreachable);
      return;
    }
    const spec = { ...specFor(dialect, 'x'), port: 1, password: 'Unreachable-Pw-42' };
    const err = await driver.ping(spec, ctx).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(DatabaseUnreachable);
    expect(err!.message).not.toContain('Unreachable-Pw-42');
    expect(err!.message).toContain('***');
  });
});

describe.each(dialects.filter((d) => d !== 'sqlite'))('a new %s instance', (dialect) => {
  it('opens one connection, not two (the server version is known after the first instance)', async () => {
    const spec = parseDatabaseUrl(testServerUrls[dialect]);
    const first = openSequelize(spec, { dataDir, tenant: true });
    await first.authenticate();
    await closeSequelize(first);
    const second = openSequelize(spec, { dataDir, tenant: true });
    let connects = 0;
    second.addHook('afterConnect', () => {
      connects++;
    });
    await second.authenticate();
    await second.query('SELECT 1');
    await closeSequelize(second);
    expect(connects).toBe(1);
  });
});

describe.runIf(dialects.includes('postgres'))('PostgreSQL instances', () => {
  it('parse values the same way whether they looked up type OIDs or reused them', async () => {
    const spec = parseDatabaseUrl(testServerUrls.postgres);
    const sql = "SELECT '2026-01-02'::date AS d, '2026-01-02T03:04:05Z'::timestamptz AS ts, 12::bigint AS b, 1.5::numeric AS n";
    const results = [];
    for (let i = 0; i < 3; i++) {
      const sequelize = openSequelize(spec, { dataDir, tenant: true });
      const [rows] = await sequelize.query(sql);
      results.push(rows);
      await closeSequelize(sequelize);
    }
    // The reference: a plain instance, which always looks the OIDs up itself.
    const reference = new Sequelize(testServerUrls.postgres, tenantSequelizeOptions('postgres', { logging: false }));
    const [expected] = await reference.query(sql);
    await reference.close();
    expect(expected).toEqual([{ d: '2026-01-02', ts: new Date('2026-01-02T03:04:05Z'), b: 12, n: 1.5 }]);
    expect(results[0]).toEqual(expected);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  it('send no session settings (PgBouncer refuses start-up options), and instants survive any session time zone', async () => {
    const spec = parseDatabaseUrl(testServerUrls.postgres);
    const sequelize = openSequelize(spec, { dataDir, tenant: true });
    try {
      const instant = new Date('2026-06-30T23:30:00.123Z');
      const [[row]] = (await sequelize.transaction(async (transaction) => {
        // As if the server (or a pooled connection's last user) were on another zone.
        await sequelize.query("SET LOCAL TimeZone = 'Pacific/Auckland'", { transaction });
        return sequelize.query(
          "SELECT CAST(:instant AS timestamptz) AS t, current_setting('TimeZone') AS tz, current_setting('client_min_messages') AS cmm",
          {
            replacements: { instant },
            transaction,
          },
        );
      })) as [[{ t: Date; tz: string; cmm: string }], unknown];
      expect(row.tz).toBe('Pacific/Auckland');
      expect(row.t).toEqual(instant);
      // Nothing was set at connect: the server's own default is in force.
      const [[fresh]] = (await sequelize.query("SELECT current_setting('client_min_messages') AS cmm")) as [[{ cmm: string }], unknown];
      expect(fresh.cmm).toBe('notice');
    } finally {
      await closeSequelize(sequelize);
    }
  });
});
