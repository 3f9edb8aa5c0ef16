import type { Engine } from '@salesfleet/contracts';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { Sequelize, type Options } from 'sequelize';

export type TestDialect = Engine;

/** Server URLs used by tests; override with SALESFLEET_TEST_POSTGRES_URL / SALESFLEET_TEST_MYSQL_URL. */
export const testServerUrls = {
  postgres: process.env.SALESFLEET_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  mysql: process.env.SALESFLEET_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql',
};

/**
 * Servers listed in SALESFLEET_TEST_REQUIRE_SERVERS (comma separated: postgres,mysql) must be
 * reachable: their tests fail instead of skipping. CI sets it; a laptop without the servers skips.
 */
export function requiredServers(): Set<string> {
  return new Set(
    (process.env.SALESFLEET_TEST_REQUIRE_SERVERS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

const reachability = new Map<TestDialect, Promise<boolean>>();

async function probe(dialect: 'postgres' | 'mysql'): Promise<boolean> {
  try {
    if (dialect === 'postgres') {
      const client = new pg.Client({ connectionString: testServerUrls.postgres, connectionTimeoutMillis: 2000 });
      await client.connect();
      await client.end();
    } else {
      const conn = await mysql.createConnection({ uri: testServerUrls.mysql, connectTimeout: 2000 });
      await conn.end();
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether tests for a dialect should run. SQLite always runs. A server that is down is skipped with a
 * message, unless it is required, in which case this throws so the suite fails.
 */
export async function dialectAvailable(dialect: TestDialect): Promise<boolean> {
  if (dialect === 'sqlite') return true;
  let pending = reachability.get(dialect);
  if (!pending) {
    pending = probe(dialect);
    reachability.set(dialect, pending);
  }
  const ok = await pending;
  if (!ok) {
    if (requiredServers().has(dialect)) {
      throw new Error(`${dialect} is required (SALESFLEET_TEST_REQUIRE_SERVERS) but not reachable at ${maskUrl(testServerUrls[dialect])}`);
    }
    console.warn(`[salesfleet tests] skipping ${dialect} tests: no server at ${maskUrl(testServerUrls[dialect])}`);
  }
  return ok;
}

/** The dialects whose tests run on this machine (always includes sqlite). */
export async function testDialects(): Promise<TestDialect[]> {
  const out: TestDialect[] = ['sqlite'];
  for (const d of ['postgres', 'mysql'] as const) if (await dialectAvailable(d)) out.push(d);
  return out;
}

function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}

export interface TestDatabase {
  dialect: TestDialect;
  /** Database name (SQLite: the file path). */
  name: string;
  /** Connection URL of this database (no password on the default servers). */
  url: string;
  /** Sequelize options to connect to it; pass to `new Sequelize(options)`. */
  options: Options;
  /** A new Sequelize instance on this database; closed by drop(). */
  connect(extra?: Partial<Options>): Sequelize;
  /** Closes every instance made by connect() and removes the database. */
  drop(): Promise<void>;
}

export function uniqueTestName(prefix = 'sf_test'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** Creates an empty, uniquely named database on the given dialect. */
export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  const name = uniqueTestName();
  const instances: Sequelize[] = [];
  let options: Options;
  let url: string;
  let dropDatabase: () => Promise<void>;

  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'salesfleet-test-'));
    const storage = join(dir, `${name}.sqlite`);
    options = { dialect: 'sqlite', storage, logging: false };
    url = `sqlite:${storage}`;
    dropDatabase = async () => rmSync(dir, { recursive: true, force: true });
  } else if (dialect === 'postgres') {
    const admin = new pg.Client({ connectionString: testServerUrls.postgres });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const u = new URL(testServerUrls.postgres);
    u.pathname = `/${name}`;
    url = u.toString();
    options = { dialect: 'postgres', logging: false };
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: testServerUrls.postgres });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    };
  } else {
    const admin = await mysql.createConnection({ uri: testServerUrls.mysql });
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    const u = new URL(testServerUrls.mysql);
    u.pathname = `/${name}`;
    url = u.toString();
    options = { dialect: 'mysql', logging: false };
    dropDatabase = async () => {
      const c = await mysql.createConnection({ uri: testServerUrls.mysql });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    };
  }

  return {
    dialect,
    name,
    url,
    options,
    connect(extra = {}) {
      const sequelize = dialect === 'sqlite' ? new Sequelize({ ...options, ...extra }) : new Sequelize(url, { ...options, ...extra });
      instances.push(sequelize);
      return sequelize;
    },
    async drop() {
      await Promise.all(instances.splice(0).map((s) => s.close().catch(() => undefined)));
      await dropDatabase();
    },
  };
}
