import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTenantModels } from '@salesfleet/models';
import { dialectAvailable, testServerUrls, uniqueTestName } from '@salesfleet/models/testing';
import { TenantConnections, isTooManyConnections } from './connections';
import { openSequelize, parseDatabaseUrl } from './drivers/index';
import type { TenantRecord } from './registry/records';
import { tenantRecord } from './testing/index';

/**
 * A PostgreSQL server that refuses a new connection for having too many (SQLSTATE 53300) must not fail
 * a request while this process's own idle tenant handles hold that server's connections: the cache gives
 * some back (least recently used, idle first) and opens once more. Provoked for real with a dedicated role
 * whose CONNECTION LIMIT is 2 (the server's own settings are not touched); each handle keeps one connection.
 */
const postgres = await dialectAvailable('postgres');

describe.runIf(postgres)('a server refusing connections (postgres)', () => {
  const role = uniqueTestName('sf_limit');
  const server = parseDatabaseUrl(testServerUrls.postgres);
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: testServerUrls.postgres });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 2`);
  }, 30_000);

  afterAll(async () => {
    if (!admin) return;
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  }, 30_000);

  function tenant(id: number): TenantRecord {
    return tenantRecord(`limit${id}`, {
      id,
      maxUsers: 5,
      db: {
        engine: 'postgres',
        host: server.host,
        port: server.port,
        name: server.database,
        user: role,
        passwordEncrypted: null,
        managed: false,
        key: null,
      },
    });
  }

  function connections() {
    return new TenantConnections({
      maxOpen: 10,
      idleMs: 60_000,
      slotWaitMs: 5000,
      open: async () => {
        const sequelize = openSequelize(
          { ...server, user: role, password: null },
          { dataDir: '.', tenant: true, poolMax: 1, poolMin: 1, connectTimeoutMs: 5000 },
        );
        try {
          await sequelize.authenticate();
        } catch (err) {
          await sequelize.close().catch(() => undefined);
          throw err;
        }
        return { sequelize, models: defineTenantModels(sequelize) };
      },
    });
  }

  async function ping(c: TenantConnections, t: TenantRecord): Promise<void> {
    await c.withTenant(t, (h) => h.sequelize.query('SELECT 1'));
  }

  it('closes its least recently used idle handle on that server and opens the new one', async () => {
    const c = connections();
    try {
      await ping(c, tenant(1));
      await ping(c, tenant(2));
      // the role's two connections are held by the idle handles of tenants 1 and 2
      await ping(c, tenant(3));
      expect(c.has(1)).toBe(false);
      expect(c.has(2)).toBe(true);
      expect(c.has(3)).toBe(true);
      expect(c.stats().serverRefusals).toBe(1);
    } finally {
      await c.closeAll();
    }
  }, 30_000);

  it('gives back an idle handle, never one with work in flight', async () => {
    const c = connections();
    try {
      const busy = await c.acquire(tenant(1));
      await ping(c, tenant(2));
      await ping(c, tenant(3));
      expect(c.has(1)).toBe(true);
      expect(c.has(2)).toBe(false);
      await busy.handle.sequelize.query('SELECT 1'); // its connection is still there
      busy.release();
    } finally {
      await c.closeAll();
    }
  }, 30_000);

  it('recognises the refusal of PostgreSQL and MySQL, also when only the message survived', () => {
    expect(isTooManyConnections(Object.assign(new Error('x'), { parent: { code: '53300' } }))).toBe(true);
    expect(isTooManyConnections(Object.assign(new Error('x'), { original: { errno: 1040, code: 'ER_CON_COUNT_ERROR' } }))).toBe(true);
    expect(isTooManyConnections(new Error('Database of tenant "a" is unreachable: sorry, too many clients already'))).toBe(true);
    expect(isTooManyConnections(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toBe(false);
  });
});
