import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dialectAvailable, testServerUrls } from '@salesfleet/models/testing';
import { makeConfig } from './config';
import { checkConnectionBudget, connectionBudgetWarnings, type BudgetSource } from './connection-budget';
import { parseDatabaseUrl } from './drivers/index';
import { tenantRecord } from './testing/index';

/**
 * The per-process budget (SALESFLEET_MAX_OPEN_TENANTS × SALESFLEET_TENANT_POOL_MAX) is compared with the
 * real server's limit: above it, churn makes the server refuse connections (bench cause 3), so the
 * operator must hear it, with the fix. The servers are real; the registry is a list of tenant records.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'sf-budget-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const engines = [
  ...((await dialectAvailable('postgres')) ? (['postgres'] as const) : []),
  ...((await dialectAvailable('mysql')) ? (['mysql'] as const) : []),
];

async function serverLimit(engine: 'postgres' | 'mysql'): Promise<number> {
  if (engine === 'postgres') {
    const client = new pg.Client({ connectionString: testServerUrls.postgres });
    await client.connect();
    try {
      const r = await client.query<{ n: string }>(
        `SELECT (current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int
                 - coalesce(current_setting('reserved_connections', true), '0')::int) AS n`,
      );
      return Number(r.rows[0]!.n);
    } finally {
      await client.end();
    }
  }
  const connection = await mysql.createConnection(testServerUrls.mysql);
  try {
    const [rows] = await connection.query('SELECT @@max_connections AS n');
    return Number((rows as { n: number }[])[0]!.n);
  } finally {
    await connection.end();
  }
}

function fleet(engine: 'postgres' | 'mysql', tenants: number, maxOpenTenants: number, tenantPoolMax: number): BudgetSource {
  const spec = parseDatabaseUrl(testServerUrls[engine]);
  const records = Array.from({ length: tenants }, (_, i) =>
    tenantRecord(`budget${i}`, {
      id: i + 1,
      maxUsers: 5,
      db: {
        engine,
        host: spec.host,
        port: spec.port,
        name: spec.database,
        user: spec.user,
        passwordEncrypted: null,
        managed: false,
        key: null,
      },
    }),
  );
  return {
    config: makeConfig({ dataDir, maxOpenTenants, tenantPoolMax, dbConnectTimeoutMs: 3000 }),
    registry: { listTenants: async () => records, databaseSpecOf: () => spec },
  };
}

describe.each(engines)('connection budget against a real server (%s)', (engine) => {
  it('says when open tenants × pool max can exceed the server, with the fix', async () => {
    const limit = await serverLimit(engine);
    const pool = Math.ceil(limit / 2) + 1;
    const [result] = await checkConnectionBudget(fleet(engine, 2, 100, pool));
    expect(result).toMatchObject({ engine, tenants: 2, budget: 2 * pool, serverLimit: limit, ok: false });
    expect(result!.message).toMatch(/can exceed the server's \d+ available connections/);
    expect(result!.message).toMatch(/SALESFLEET_MAX_OPEN_TENANTS or SALESFLEET_TENANT_POOL_MAX/);
    const warnings = await connectionBudgetWarnings(fleet(engine, 2, 100, pool));
    expect(warnings).toHaveLength(1);
  });

  it('counts only as many handles as the server has tenants, and is quiet when the budget fits', async () => {
    const limit = await serverLimit(engine);
    // 1,000 open tenants allowed, but only 2 tenants on this server: 2 × pool max can be open there
    const [result] = await checkConnectionBudget(fleet(engine, 2, 1000, 1));
    expect(result).toMatchObject({ budget: 2, serverLimit: limit, ok: true });
    expect(await connectionBudgetWarnings(fleet(engine, 2, 1000, 1))).toEqual([]);
  });
});

describe('connection budget with SQLite tenants only', () => {
  it('has nothing to compare', async () => {
    const source: BudgetSource = {
      config: makeConfig({ dataDir, maxOpenTenants: 1000, tenantPoolMax: 50 }),
      registry: { listTenants: async () => [], databaseSpecOf: () => parseDatabaseUrl('sqlite:///x.sqlite') },
    };
    expect(await checkConnectionBudget(source)).toEqual([]);
  });
});
